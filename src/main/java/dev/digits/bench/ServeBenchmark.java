package dev.digits.bench;

import dev.digits.cli.Args;
import dev.digits.cli.Cli;
import dev.digits.data.Batcher;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.model.ModelContract;
import dev.digits.predict.Predictor;
import dev.digits.serve.DigitServer;
import dev.digits.serve.ServingCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load on the REST server over loopback: a server started in this process on a free 127.0.0.1
 * port, N clients sending single-image TF Serving predict requests (MNIST test images) for a
 * bounded time, then requests/s, latency percentiles and errors.
 */
public final class ServeBenchmark {
  private ServeBenchmark() {}

  public static void main(String[] argv) {
    Cli.main("benchmark-serve", ServeBenchmark::run, argv);
  }

  static int run(String[] argv) throws Exception {
    Args args = new Args("ServeBenchmark [OPTIONS]", "Measures the REST server under concurrent load on loopback.")
        .option("clients", "N", "8", "concurrent clients")
        .option("seconds", "S", "15", "how long to send (1-120)")
        .option("model", "DIR", "saved-model", "model folder")
        .option("data-dir", "DIR", "data", "MNIST folder")
        .parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    int clients = args.getInt("clients", 1, 256);
    int seconds = args.getInt("seconds", 1, 120);
    MnistDataset test = Mnist.load(Path.of(args.get("data-dir")), System.err::println).test().head(500);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < test.count(); i++) {
      bodies.add(body(test, i));
    }
    try (Predictor predictor = Predictor.load(Path.of(args.get("model")));
        DigitServer server = new DigitServer(predictor, "digits", "127.0.0.1", 0, Math.max(8, clients))) {
      URI uri = URI.create(server.url() + "v1/models/digits:predict");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      // Warm up: JIT and TensorFlow's first runs.
      for (int i = 0; i < 200; i++) {
        send(http, uri, bodies.get(i % bodies.size()));
      }
      AtomicInteger errors = new AtomicInteger();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<double[]>> futures = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        int offset = c * 37;
        futures.add(pool.submit(() -> {
          double[] ms = new double[1 << 16];
          int n = 0;
          for (int k = offset; System.nanoTime() < end && n < ms.length; k++) {
            long t = System.nanoTime();
            if (send(http, uri, bodies.get(k % bodies.size())) != 200) {
              errors.incrementAndGet();
            }
            ms[n++] = (System.nanoTime() - t) / 1e6;
          }
          return Arrays.copyOf(ms, n);
        }));
      }
      List<Double> all = new ArrayList<>();
      for (Future<double[]> f : futures) {
        for (double v : f.get()) {
          all.add(v);
        }
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(Locale.ROOT, "serve  %d clients, %d s: %,.0f requests/s (1 image each)  p50 %.2f ms  p99 %.2f ms"
              + "  errors %d of %,d  peak RSS %d MiB%n", clients, seconds, sorted.length / elapsed,
          sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)], errors.get(), sorted.length, ProcessMemory.peakMib());
    }
    return Cli.OK;
  }

  private static int send(HttpClient http, URI uri, String body) {
    try {
      return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String body(MnistDataset d, int i) {
    float[] x = new float[ModelContract.PIXELS];
    Batcher.toFloats(d.pixels(), i * ModelContract.PIXELS, x, 0, ModelContract.PIXELS);
    return "{\"instances\":[" + ServingCodec.instance(x) + "]}";
  }
}
