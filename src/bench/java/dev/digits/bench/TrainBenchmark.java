package dev.digits.bench;

import dev.digits.bench.ProcessMemory;
import dev.digits.cli.Args;
import dev.digits.cli.Cli;
import dev.digits.data.Mnist;
import dev.digits.model.ModelConfig;
import dev.digits.train.LearningRateSchedule;
import dev.digits.train.TrainConfig;
import dev.digits.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Training throughput of one configuration on real MNIST: runs the real Trainer for a number of
 * steps (data loading, batching, augmentation and the session loop included; graph build and the
 * first steps' warm-up count too, so the figure is slightly conservative) and prints images/s and
 * the process's peak RSS. tools/benchmark runs it once per configuration, each in its own JVM.
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  public static void main(String[] argv) {
    Cli.main("benchmark-train", TrainBenchmark::run, argv);
  }

  static int run(String[] argv) throws Exception {
    Args args = new Args("TrainBenchmark [OPTIONS]", "Measures training images/s and peak memory.")
        .option("batch-size", "N", "128", "images per step")
        .option("width", "W", "1", "network width")
        .option("steps", "N", "400", "steps to time")
        .option("threads", "N", "0", "TensorFlow threads (0 = one per core)")
        .option("precision", "KIND", "auto", dev.digits.cli.TrainCommand.PRECISION_HELP)
        .option("data-dir", "DIR", "data", "MNIST folder")
        .option("augment", "KIND", "none", "augmentation: none, affine or real")
        .parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    int batch = args.getInt("batch-size", 1, 4096);
    int steps = args.getInt("steps", 10, 1_000_000);
    int width = args.getInt("width", 1, 16);
    dev.digits.data.Augmenter.Kind augment = args.getEnum("augment", dev.digits.data.Augmenter.Kind.class);
    Mnist data = Mnist.load(Path.of(args.get("data-dir")), System.err::println);
    TrainConfig config = TrainConfig.builder().preset("benchmark").model(new ModelConfig(width, 0.25f, 1f)).epochs(1000)
        .batchSize(batch).schedule(LearningRateSchedule.COSINE).augmentation(augment).maxSteps(steps).build();
    Path dir = Files.createTempDirectory("digits-bench-");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    long start = System.nanoTime();
    Trainer.Outcome o = Trainer.train(config, data, new Trainer.Options(dir, false, args.getInt("threads", 0, 256),
        quiet, quiet, false).withPrecision(dev.digits.cli.TrainCommand.precision(args)));
    double seconds = (System.nanoTime() - start) / 1e9;
    dev.digits.util.AtomicFiles.deleteTree(dir);
    List<Double> rates = o.history().stream().map(h -> h.imagesPerSecond()).toList();
    System.out.printf(Locale.ROOT, "train  width %d  batch %3d  augment %-6s  %-8s  %,6.0f images/s  (%d steps, %.0f s in all)"
            + "  peak RSS %d MiB%n", width, batch, augment.name().toLowerCase(),
        dev.digits.cli.TrainCommand.precision(args).label(), rates.get(0), o.steps(),
        seconds, ProcessMemory.peakMib());
    return Cli.OK;
  }
}
