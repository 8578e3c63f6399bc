package dev.digits.bench;

import dev.digits.bench.ProcessMemory;
import dev.digits.cli.Args;
import dev.digits.cli.Cli;
import dev.digits.data.Batcher;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.model.ModelContract;
import dev.digits.predict.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Prediction figures: end-to-end latency for a small PNG and a 1000x1000 photo (decode,
 * preprocess, inference), single and batched inference on MNIST, and whether native memory grows.
 * Accuracy on real images is {@link RealImageBenchmark}'s.
 */
public final class PredictBenchmark {
  private PredictBenchmark() {}

  public static void main(String[] argv) {
    Cli.main("benchmark-predict", PredictBenchmark::run, argv);
  }

  static int run(String[] argv) throws Exception {
    Args args = new Args("PredictBenchmark [OPTIONS]", "Measures prediction speed and memory.")
        .option("model", "DIR", "saved-model", "model folder")
        .option("images", "DIR", "src/test/resources/digits", "where the timed example images are")
        .option("data-dir", "DIR", "data", "MNIST folder")
        .parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    Path images = Path.of(args.get("images"));
    try (Predictor predictor = Predictor.load(Path.of(args.get("model")))) {
      System.out.println("model  " + predictor.modelDir());
      latency(predictor, images.resolve("2-font-0.png"), "small PNG (160x160)", 300);
      latency(predictor, images.resolve("2-canvas-0.png"), "280x280 PNG canvas drawing", 300);
      latency(predictor, images.resolve("3-photo-0.jpg"), "1000x1000 JPEG photo", 100);
      MnistDataset test = Mnist.load(Path.of(args.get("data-dir")), System.err::println).test();
      inference(predictor, test);
      memoryGrowth(predictor, test);
    }
    System.out.printf("peak RSS of this process: %d MiB%n", ProcessMemory.peakMib());
    return Cli.OK;
  }

  private static void latency(Predictor predictor, Path file, String what, int runs) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    for (int i = 0; i < 1000; i++) { // as a running server is: the JIT has compiled the hot loops
      predictor.predict(bytes);
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      predictor.predict(bytes);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "end-to-end  %-36s median %6.2f ms   p90 %6.2f ms%n", what, ms[runs / 2],
        ms[runs * 9 / 10]);
  }

  private static void inference(Predictor predictor, MnistDataset test) {
    int n = test.count();
    float[] all = new float[n * ModelContract.PIXELS];
    Batcher.toFloats(test.pixels(), 0, all, 0, n * ModelContract.PIXELS);
    float[] one = Arrays.copyOf(all, ModelContract.PIXELS);
    for (int i = 0; i < 200; i++) {
      predictor.probabilities(one, 1);
    }
    double[] ms = new double[1000];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      predictor.probabilities(one, 1);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "inference   single 28x28 input                   median %6.3f ms%n", ms[500]);
    for (int batch : new int[] {100, 1000}) {
      float[] chunk = new float[batch * ModelContract.PIXELS];
      predictor.probabilities(Arrays.copyOf(all, batch * ModelContract.PIXELS), batch);
      long t = System.nanoTime();
      int done = 0;
      for (int rep = 0; rep < 3; rep++) {
        for (int start = 0; start + batch <= n; start += batch) {
          System.arraycopy(all, start * ModelContract.PIXELS, chunk, 0, batch * ModelContract.PIXELS);
          predictor.probabilities(chunk, batch);
          done += batch;
        }
      }
      System.out.printf(Locale.ROOT, "inference   batches of %4d (MNIST test set x3)      %,8.0f images/s%n", batch,
          done / ((System.nanoTime() - t) / 1e9));
    }
  }

  /** Resident memory after 10,000 single predictions and after 60,000 more: native memory must not grow. */
  private static void memoryGrowth(Predictor predictor, MnistDataset test) {
    float[] x = new float[ModelContract.PIXELS];
    for (int i = 0; i < 70_000; i++) {
      Batcher.toFloats(test.pixels(), (i % test.count()) * ModelContract.PIXELS, x, 0, ModelContract.PIXELS);
      predictor.predictNormalized(x);
      if (i == 9_999) {
        System.gc();
        System.out.printf("memory      RSS after 10,000 single predictions: %d MiB%n", ProcessMemory.currentMib());
      }
    }
    System.gc();
    System.out.printf("memory      RSS after 70,000 single predictions: %d MiB%n", ProcessMemory.currentMib());
  }
}
