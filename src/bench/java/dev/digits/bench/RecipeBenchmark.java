package dev.digits.bench;

import dev.digits.cli.Args;
import dev.digits.cli.Cli;
import dev.digits.cli.UsageException;
import dev.digits.data.Augmenter;
import dev.digits.data.Mnist;
import dev.digits.model.ModelConfig;
import dev.digits.train.EpochStats;
import dev.digits.train.LearningRateSchedule;
import dev.digits.train.TrainConfig;
import dev.digits.train.Trainer;
import dev.digits.util.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each change to the training recipe buys, on real MNIST: every variant trains from scratch
 * once per seed, and the table gives the epoch and training time at which test accuracy first
 * reached 99.0%, and the final test accuracy (of the exported weights) as mean and spread over the
 * seeds. "cosine" is the recipe before the one-cycle schedule; "default" is today's (its peak rate
 * depends on the epochs: {@link TrainConfig#peakRate}); the others change one thing each.
 */
public final class RecipeBenchmark {
  private RecipeBenchmark() {}

  /** The variants, in the order they build on each other. */
  static Map<String, java.util.function.UnaryOperator<TrainConfig>> variants() {
    Map<String, java.util.function.UnaryOperator<TrainConfig>> v = new LinkedHashMap<>();
    v.put("cosine", c -> c.with(c.model(), c.epochs(), 1e-3f).withRecipe(LearningRateSchedule.COSINE, 0f, 0f, 0f));
    v.put("one-cycle-1e-3", c -> c.with(c.model(), c.epochs(), 1e-3f)
        .withRecipe(LearningRateSchedule.ONE_CYCLE, 0.1f, 0f, 0f));
    v.put("one-cycle-3e-3", c -> c.with(c.model(), c.epochs(), 3e-3f)
        .withRecipe(LearningRateSchedule.ONE_CYCLE, 0.1f, 0f, 0f));
    v.put("one-cycle-6e-3", c -> c.with(c.model(), c.epochs(), 6e-3f)
        .withRecipe(LearningRateSchedule.ONE_CYCLE, 0.1f, 0f, 0f));
    // The default recipe plus one change each:
    v.put("smoothing", c -> c.withRecipe(LearningRateSchedule.ONE_CYCLE, 0.1f, 0.1f, 0f));
    v.put("average", c -> c.withRecipe(LearningRateSchedule.ONE_CYCLE, 0.1f, 0f, 0.999f));
    v.put("batch-256", c -> c.with(c.model(), c.epochs(), 4e-3f)
        .withRecipe(LearningRateSchedule.ONE_CYCLE, 0.1f, 0f, 0f).withBatchSize(256));
    v.put("batch-64", c -> c.with(c.model(), c.epochs(), 2e-3f)
        .withRecipe(LearningRateSchedule.ONE_CYCLE, 0.1f, 0f, 0f).withBatchSize(64));
    v.put("default", c -> c);
    return v;
  }

  public static void main(String[] argv) {
    Cli.main("benchmark-recipe", RecipeBenchmark::run, argv);
  }

  static int run(String[] argv) throws Exception {
    Args args = new Args("RecipeBenchmark [OPTIONS]", "Trains each recipe variant per seed and tabulates the results.")
        .option("variants", "LIST", String.join(",", variants().keySet()), "comma-separated variants to run")
        .option("epochs", "N", "20", "epochs per run")
        .option("width", "W", "1", "network width")
        .option("seeds", "LIST", "1,2,3", "comma-separated seeds")
        .option("augment", "KIND", "real", "augmentation: none, affine or real")
        .option("threads", "N", "0", "TensorFlow threads (0 = one per core)")
        .option("precision", "KIND", "auto", dev.digits.cli.TrainCommand.PRECISION_HELP)
        .option("data-dir", "DIR", "data", "MNIST folder")
        .flag("verbose", "print every epoch of every run");
    if (args.parse(argv).helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    Mnist data = Mnist.load(Path.of(args.get("data-dir")), System.err::println);
    int epochs = args.getInt("epochs", 1, 1000);
    int width = args.getInt("width", 1, 4);
    Augmenter.Kind augment = args.getEnum("augment", Augmenter.Kind.class);
    List<Long> seeds = new ArrayList<>();
    for (String s : args.get("seeds").split(",")) {
      try {
        seeds.add(Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        throw new UsageException("--seeds must be comma-separated integers, got '" + s + "'");
      }
    }
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    System.out.printf(Locale.ROOT, "%-16s %-28s %-22s %-22s %s%n", "variant", "reached 99.0% (epoch, s)",
        "final test (mean±sd)", "last epoch live/avg", "per seed");
    for (String name : args.get("variants").split(",")) {
      var variant = variants().get(name.trim());
      if (variant == null) {
        throw new UsageException("unknown variant '" + name + "'; known: " + variants().keySet());
      }
      List<Double> finals = new ArrayList<>();
      List<String> reached = new ArrayList<>();
      List<String> averaged = new ArrayList<>();
      for (long seed : seeds) {
        TrainConfig base = TrainConfig.defaults().with(new ModelConfig(width, 0.25f, 1f), epochs, TrainConfig.peakRate(epochs))
            .withAugmentation(augment).withSeed(seed);
        TrainConfig config = variant.apply(base);
        Path dir = Files.createTempDirectory("digits-recipe-");
        try {
          PrintStream out = args.has("verbose") ? System.out : quiet;
          Trainer.Outcome o = Trainer.train(config, data, new Trainer.Options(dir, false, args.getInt("threads", 0, 256),
              out, quiet, false).withPrecision(dev.digits.cli.TrainCommand.precision(args)));
          finals.add(o.testAccuracy());
          double seconds = 0;
          String hit = "never";
          for (EpochStats h : o.history()) {
            seconds += h.seconds();
            if (h.bestTestAccuracy() >= 0.99) {
              hit = String.format(Locale.ROOT, "%d/%.0fs", h.epoch(), seconds);
              break;
            }
          }
          reached.add(hit);
          EpochStats last = o.history().get(o.history().size() - 1);
          averaged.add(Double.isNaN(last.averageTestAccuracy()) ? "-"
              : String.format(Locale.ROOT, "%.2f/%.2f", 100 * last.testAccuracy(), 100 * last.averageTestAccuracy()));
        } finally {
          AtomicFiles.deleteTree(dir);
        }
      }
      double mean = finals.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
      double sd = Math.sqrt(finals.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / Math.max(1, finals.size() - 1));
      System.out.printf(Locale.ROOT, "%-16s %-28s %6.2f%% ± %.2f          %-22s %s%n", name, String.join(" ", reached),
          100 * mean, 100 * sd, String.join(" ", averaged),
          finals.stream().map(f -> String.format(Locale.ROOT, "%.2f", 100 * f)).toList());
    }
    return Cli.OK;
  }
}
