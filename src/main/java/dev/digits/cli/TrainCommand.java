package dev.digits.cli;

import dev.digits.data.Augmenter;
import dev.digits.data.Mnist;
import dev.digits.data.TrainingData;
import dev.digits.model.ModelConfig;
import dev.digits.pipeline.TrainingPipeline;
import dev.digits.train.Precision;
import dev.digits.train.StopAtAccuracy;
import dev.digits.train.TrainConfig;
import dev.digits.train.Trainer;
import dev.digits.util.Text;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code Train}: fetch data if needed, train, export a SavedModel, evaluate it and write its report. */
public final class TrainCommand {
  /** Fine-tuning's defaults: a few passes at a third of the default rate nudge a model, not retrain it. */
  static final int FINE_TUNE_EPOCHS = 3;
  static final float FINE_TUNE_LR = 3e-4f;
  /** With --from, each epoch shows the user's images this many times or so, with MNIST mixed in. */
  static final int FINE_TUNE_EPOCH_IMAGES = 10_000;

  /** --precision, as Train and the training benchmarks offer it. */
  public static final String PRECISION_HELP = "the arithmetic of training: 'bfloat16' (mixed precision: convolutions"
      + " in bfloat16, the weights and the exported model float32; 1.4–1.7× as fast at width 2 on CPUs with native"
      + " bfloat16, such as AVX512_BF16), 'float32', or 'auto' (bfloat16 where the CPU has it)";

  private TrainCommand() {}

  static Args spec() {
    TrainConfig d = TrainConfig.defaults();
    return new Args(Digits.usage("train", "Train", "[OPTIONS]"),
        "Trains the digit network on MNIST (fetched into --data-dir if missing), prints per-epoch and final\n"
            + "accuracy, checkpoints every epoch, and exports a SavedModel to <export-dir>/<next version>/.")
        .option("preset", "NAME", d.preset(), "'default' (Adam, one-cycle schedule, augmentation) or 'seed' (the original"
            + " recipe: SGD 0.003, L2 0.04, raw pixels, batch 50, 5 epochs); other options override it")
        .option("epochs", "N", Integer.toString(d.epochs()), "passes over the training set")
        .option("batch-size", "N", Integer.toString(d.batchSize()), "images per training step")
        .option("lr", "RATE", Float.toString(d.learningRate()), "peak learning rate of the schedule; by default"
            + " 0.003/sqrt(epochs) within [0.001, 0.003], so that shorter runs learn faster (the seed preset: a"
            + " constant 0.003)")
        .option("warmup", "SHARE", Float.toString(d.warmup()), "share of the steps spent warming the learning rate up"
            + " from a tenth of its peak; then it decays to zero on a cosine (the seed preset: a constant rate)")
        .option("label-smoothing", "SHARE", Float.toString(d.labelSmoothing()), "share of each training target spread"
            + " over all classes (0 = plain one-hot)")
        .option("average", "DECAY", Float.toString(d.emaDecay()), "keep a moving average of the weights with this"
            + " decay per step and export it (0 = export the last step's weights)")
        .option("width", "W", Integer.toString(d.model().width()), "multiply every layer's width: 1, 2 or 4"
            + " (the seed preset: 1)")
        .option("dropout", "RATE", Float.toString(d.model().dropoutRate()), "dropout rate after each pooling layer")
        .option("seed", "N", Long.toString(d.seed()), "seed for initialization, shuffling, augmentation and dropout")
        .option("threads", "N", "0", "TensorFlow threads (0 = one per core)")
        .option("precision", "KIND", "auto", PRECISION_HELP)
        .option("data-dir", "DIR", "data", "what to train on: MNIST's folder (fetched there if missing); a folder of"
            + " another IDX dataset named as MNIST's (Fashion-MNIST, ...); labelled images in DIR/<label>/ (or"
            + " DIR/train/<label>/ and DIR/test/<label>/); or a CSV of file,label lines")
        .option("classes", "NAMES", null, "names of the classes 0, 1, ..., comma-separated, stored with the model and"
            + " shown by Predict, Evaluate and Serve (default: a classes.txt beside the data, one name per line;"
            + " else the digits 0-9)")
        .option("test-share", "SHARE", "0.2", "for labelled images without a test folder: the share of each label"
            + " held out for testing (a seeded, stratified split)")
        .option("from", "MODEL_DIR", null, "fine-tune: start from this exported model's weights (a SavedModel folder"
            + " or a folder of versions), mix in replayed MNIST so it does not forget, and print accuracy on the"
            + " held-out images and on MNIST test before and after; --epochs defaults to " + FINE_TUNE_EPOCHS
            + " and --lr to " + FINE_TUNE_LR + " then (default: none, random initial weights)")
        .option("replay", "SHARE", "0.5", "with --from: the share of each epoch's training images that are MNIST's")
        .option("mnist-dir", "DIR", "data", "with --from: where MNIST is (or is fetched to), for replay and the"
            + " MNIST test figures")
        .option("export-dir", "DIR", "saved-model", "SavedModel base folder; the model goes to its next free version")
        .option("checkpoint-dir", "DIR", "checkpoints", "where checkpoints and the run's history are kept")
        .option("report-dir", "DIR", "reports", "where the evaluation report of the exported model goes (<dir>/<version>/)")
        .option("max-steps", "N", "0", "stop after N training steps in total (0 = no limit); for smoke tests")
        .option("min-accuracy", "PCT", "0", "fail (exit 1) if the final test accuracy is below PCT percent")
        .option("stop-at", "PCT", null, "stop after the first epoch whose test accuracy reaches PCT percent, and"
            + " export that model (default: run every epoch)")
        .option("augment", "KIND", d.augmentation().name().toLowerCase(), "training augmentation: 'real' (rotation,"
            + " scale, shift, plus what people's images look like: elastic warp, thick strokes, blur, low resolution,"
            + " faint, bold or hard-edged ink), 'affine' (rotation, scale, shift only) or 'none'")
        .flag("no-augment", "the same as --augment none")
        .flag("resume", "continue the run in --checkpoint-dir with its own configuration")
        .flag("no-export", "do not export a SavedModel");
  }

  /** Exit status for the launcher. */
  public static int main(String[] argv) throws Exception {
    Args args = spec().parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    TrainingPipeline.Result result = run(args, System.out, System.err);
    double minAccuracy = args.getFloat("min-accuracy", 0, 100) / 100.0;
    if (result.outcome().testAccuracy() < minAccuracy) {
      System.err.printf("train: error: test accuracy %.2f%% is below --min-accuracy %s%%%n",
          100 * result.outcome().testAccuracy(), args.get("min-accuracy"));
      return Cli.FAILED;
    }
    return Cli.OK;
  }

  public static TrainingPipeline.Result run(String[] argv, PrintStream out, PrintStream log) throws Exception {
    return run(spec().parse(argv), out, log);
  }

  static TrainingPipeline.Result run(Args args, PrintStream out, PrintStream log) throws Exception {
    TrainConfig config = config(args);
    args.getFloat("min-accuracy", 0, 100);
    int threads = args.getInt("threads", 0, 256);
    Precision precision = precision(args); // a bad --precision fails before any data is read

    TrainingData.Loaded loaded = TrainingData.load(Path.of(args.get("data-dir")),
        args.getFloat("test-share", 0.01f, 0.9f), config.seed(), Text.lines(log));
    if (loaded.otherIdx() && !args.has("augment") && !args.has("no-augment")) {
      // The default augmentation imitates people's handwriting (slant, warp, pen, blur); on other
      // data (clothing, ...) it costs accuracy (Fashion-MNIST, 3 epochs: 83.6% with, 87.3% without).
      config = config.withAugmentation(Augmenter.Kind.NONE);
      log.println("data: not handwritten digits, so no augmentation by default (--augment real|affine to have it)");
    }
    FineTune fineTune = args.get("from") == null ? null
        : FineTune.prepare(Path.of(args.get("from")), loaded, Path.of(args.get("mnist-dir")),
            args.getFloat("replay", 0f, 0.95f), FINE_TUNE_EPOCH_IMAGES, config.seed(), out, Text.lines(log));
    if (fineTune != null) {
      config = fineTune.config(config, args.has("epochs") ? config.epochs() : FINE_TUNE_EPOCHS,
          args.has("lr") ? config.learningRate() : FINE_TUNE_LR);
    }
    Mnist data = fineTune != null ? fineTune.data() : loaded.data();
    // As many outputs as the data has labels (10 for MNIST); a fine-tuned model keeps its own.
    int classes = fineTune != null ? fineTune.classes() : data.classCount();
    config = config.with(config.model().withClasses(classes), config.epochs(), config.learningRate());
    Path checkpoints = Path.of(args.get("checkpoint-dir"));
    Trainer.Options options = new Trainer.Options(checkpoints, args.has("resume"), threads, out, log, isTerminal(),
        fineTune == null ? null : fineTune.source(), List.of(), precision);
    if (args.has("stop-at")) {
      options = options.withListener(new StopAtAccuracy(args.getFloat("stop-at", 1, 100) / 100.0));
    }
    Path reports = Path.of(args.get("report-dir"));
    TrainingPipeline.Request request = new TrainingPipeline.Request(config, data, loaded.testName(),
        ClassNames.of(args.get("classes"), Path.of(args.get("data-dir")), classes),
        args.has("no-export") ? null : Path.of(args.get("export-dir")), reports, options,
        fineTune == null ? Map.of() : fineTune.metadata(),
        fineTune == null ? null : (model, heldOut) -> fineTune.after(model, heldOut,
            reports.resolve(model.modelDir().getFileName() + "-mnist"), out));
    return TrainingPipeline.run(request, out);
  }

  static TrainConfig config(Args args) {
    String preset = args.get("preset");
    TrainConfig base = switch (preset) {
      case "default" -> TrainConfig.defaults();
      case "seed" -> TrainConfig.seedRecipe();
      default -> throw new UsageException("--preset must be 'default' or 'seed', got '" + preset + "'");
    };
    int width = args.has("width") ? args.getInt("width", 1, 16) : base.model().width();
    if (width != 1 && width != 2 && width != 4) {
      throw new UsageException("--width must be 1, 2 or 4, got " + width);
    }
    float dropout = args.has("dropout") ? args.getFloat("dropout", 0f, 0.9f) : base.model().dropoutRate();
    ModelConfig model = new ModelConfig(width, dropout, base.model().inputScale());
    TrainConfig.Builder config = base.toBuilder().model(model).augmentation(augmentation(args, base))
        .seed(args.getLong("seed")).maxSteps(args.getInt("max-steps", 0, Integer.MAX_VALUE));
    if (args.has("epochs")) {
      int epochs = args.getInt("epochs", 1, 10_000);
      config.epochs(epochs);
      if (preset.equals("default")) {
        config.learningRate(TrainConfig.peakRate(epochs)); // the default recipe's rate fits the run's length
      }
    }
    if (args.has("batch-size")) {
      config.batchSize(args.getInt("batch-size", 1, 65_536));
    }
    if (args.has("lr")) {
      config.learningRate(args.getFloat("lr", 1e-7f, 10f));
    }
    if (args.has("warmup")) {
      config.warmup(args.getFloat("warmup", 0f, 0.5f));
    }
    if (args.has("label-smoothing")) {
      config.labelSmoothing(args.getFloat("label-smoothing", 0f, 0.5f));
    }
    if (args.has("average")) {
      config.emaDecay(args.getFloat("average", 0f, 0.99999f));
    }
    return config.build();
  }

  /** The --precision asked for; bfloat16 only where the CPU computes it (emulated, it is slower than float32). */
  public static Precision precision(Args args) {
    String kind = args.get("precision");
    return switch (kind) {
      case "auto" -> Precision.auto();
      case "float32" -> Precision.FLOAT32;
      case "bfloat16" -> {
        if (!Precision.cpuHasBfloat16()) {
          throw new UsageException("--precision bfloat16: this CPU has no native bfloat16 instructions"
              + " (avx512_bf16 or amx_bf16 in /proc/cpuinfo), where it would be slower; use --precision float32");
        }
        yield Precision.BFLOAT16;
      }
      default -> throw new UsageException("--precision must be 'auto', 'float32' or 'bfloat16', got '" + kind + "'");
    };
  }

  private static Augmenter.Kind augmentation(Args args, TrainConfig base) {
    if (args.has("no-augment")) {
      if (args.has("augment") && !args.get("augment").equalsIgnoreCase("none")) {
        throw new UsageException("--no-augment contradicts --augment " + args.get("augment"));
      }
      return Augmenter.Kind.NONE;
    }
    return args.has("augment") ? args.getEnum("augment", Augmenter.Kind.class) : base.augmentation();
  }

  /** A live progress bar only for a person at a terminal; logs and CI get plain lines. */
  private static boolean isTerminal() {
    return System.console() != null && System.getenv("CI") == null;
  }
}
