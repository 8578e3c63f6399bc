package dev.digits.bench;

import dev.digits.cli.Args;
import dev.digits.cli.Cli;
import dev.digits.data.Batcher;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.model.ModelContract;
import dev.digits.predict.Predictor;
import dev.digits.serve.ServingCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The pieces of {@code tools/benchmark serve} that need Java (the load itself comes from wrk):
 * request bodies for wrk, and the model's offline batched inference rate in this JVM (the ceiling
 * a server is measured against, in the same run).
 */
public final class ServeBenchmark {
  private ServeBenchmark() {}

  public static void main(String[] argv) {
    Cli.main("benchmark-serve", ServeBenchmark::run, argv);
  }

  static int run(String[] argv) throws Exception {
    Args args = new Args("ServeBenchmark MODE [OPTIONS]", "offline: images/s of batched inference without a server;"
        + " bodies DIR: predict bodies of 1 and 32 MNIST test images for wrk.")
        .positional("MODE and its argument")
        .option("model", "DIR", "saved-model/1", "model folder (offline)")
        .option("data-dir", "DIR", "data", "MNIST folder")
        .option("seconds", "S", "10", "how long to measure (offline)")
        .parse(argv);
    if (args.helpRequested() || args.positionals().isEmpty()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    String mode = args.positionals().get(0);
    MnistDataset test = Mnist.load(Path.of(args.get("data-dir")), System.err::println).test().head(128);
    switch (mode) {
      case "offline" -> offline(Path.of(args.get("model")), test, args.getInt("seconds", 1, 600));
      case "bodies" -> bodies(Path.of(args.positionals().get(1)), test);
      default -> throw new dev.digits.cli.UsageException("mode must be offline or bodies");
    }
    return Cli.OK;
  }

  /** The model's batched inference in this process, batches of 128 (the server's largest batch) and 1. */
  private static void offline(Path model, MnistDataset test, int seconds) {
    try (Predictor predictor = Predictor.load(model)) {
      for (int n : new int[] {128, 1}) {
        float[] batch = new float[n * ModelContract.PIXELS];
        Batcher.toFloats(test.pixels(), 0, batch, 0, batch.length);
        for (int w = 0; w < 20; w++) {
          predictor.probabilities(batch, n);
        }
        long start = System.nanoTime();
        long images = 0;
        while (System.nanoTime() - start < seconds * 1_000_000_000L / 2) {
          predictor.probabilities(batch, n);
          images += n;
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "offline  batch %3d: %,7.0f images/s  (%.2f ms a batch; oneDNN %s)%n", n,
            images / s, 1000 * s * n / images, String.valueOf(System.getenv("TF_ENABLE_ONEDNN_OPTS")).replace("null",
                "as chosen for this CPU"));
      }
    }
  }

  /** {@code one.json} and {@code thirty-two.json}: TF Serving predict bodies. */
  private static void bodies(Path dir, MnistDataset test) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("one.json"), body(test, 1));
    Files.writeString(dir.resolve("thirty-two.json"), body(test, 32));
  }

  private static String body(MnistDataset d, int n) {
    StringBuilder b = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < n; i++) {
      float[] x = new float[ModelContract.PIXELS];
      Batcher.toFloats(d.pixels(), i * ModelContract.PIXELS, x, 0, ModelContract.PIXELS);
      b.append(i == 0 ? "" : ",").append(ServingCodec.instance(x));
    }
    return b.append("]}").toString();
  }
}
