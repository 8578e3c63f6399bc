package dev.digits.cli;

import dev.digits.data.Augmenter;
import dev.digits.data.Mnist;
import dev.digits.export.ModelExporter;
import dev.digits.model.DigitNetwork;
import dev.digits.model.ModelConfig;
import dev.digits.predict.DigitPreprocessor;
import dev.digits.predict.Predictor;
import dev.digits.report.LabelledSet;
import dev.digits.train.Checkpoints;
import dev.digits.train.RunLock;
import dev.digits.train.TrainConfig;
import dev.digits.train.Trainer;
import dev.digits.util.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.TensorFlow;

/** {@code Train}: fetch data if needed, train, export a SavedModel, evaluate it and write its report. */
public final class TrainCommand {
  /** The original Keras recipe's reported accuracies, printed for comparison. */
  private static final String ORIGINAL = "original recipe: train 97.14%, test 97.86%";
  private static final String MNIST_TEST = "MNIST test set";

  /** What a run produced; {@code exportDir} is null with --no-export. */
  public record Result(Trainer.Outcome outcome, Path exportDir) {}

  /** Fine-tuning's defaults: a few passes at a third of the default rate nudge a model, not retrain it. */
  static final int FINE_TUNE_EPOCHS = 3;
  static final float FINE_TUNE_LR = 3e-4f;
  /** With --from, each epoch shows the user's images this many times or so, with MNIST mixed in. */
  static final int FINE_TUNE_EPOCH_IMAGES = 10_000;

  private TrainCommand() {}

  static Args spec() {
    TrainConfig d = TrainConfig.defaults();
    return new Args(Digits.usage("train", "Train", "[OPTIONS]"),
        "Trains the digit network on MNIST (fetched into --data-dir if missing), prints per-epoch and final\n"
            + "accuracy, checkpoints every epoch, and exports a SavedModel to <export-dir>/<next version>/.")
        .option("preset", "NAME", d.preset(), "'default' (Adam, cosine decay, augmentation) or 'seed' (the original"
            + " recipe: SGD 0.003, L2 0.04, raw pixels, batch 50, 5 epochs); other options override it")
        .option("epochs", "N", Integer.toString(d.epochs()), "passes over the training set")
        .option("batch-size", "N", Integer.toString(d.batchSize()), "images per training step")
        .option("lr", "RATE", Float.toString(d.learningRate()), "base learning rate")
        .option("width", "W", Integer.toString(d.model().width()), "multiply every layer's width: 1, 2 or 4"
            + " (the seed preset: 1)")
        .option("dropout", "RATE", Float.toString(d.model().dropoutRate()), "dropout rate after each pooling layer")
        .option("seed", "N", Long.toString(d.seed()), "seed for initialization, shuffling, augmentation and dropout")
        .option("threads", "N", "0", "TensorFlow threads (0 = one per core)")
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
    Result result = run(args, System.out, System.err);
    double minAccuracy = args.getFloat("min-accuracy", 0, 100) / 100.0;
    if (result.outcome().testAccuracy() < minAccuracy) {
      System.err.printf("train: error: test accuracy %.2f%% is below --min-accuracy %s%%%n",
          100 * result.outcome().testAccuracy(), args.get("min-accuracy"));
      return Cli.FAILED;
    }
    return Cli.OK;
  }

  public static Result run(String[] argv, PrintStream out, PrintStream log) throws Exception {
    return run(spec().parse(argv), out, log);
  }

  static Result run(Args args, PrintStream out, PrintStream log) throws Exception {
    TrainConfig config = config(args);
    args.getFloat("min-accuracy", 0, 100);
    int threads = args.getInt("threads", 0, 256);
    Path checkpointDir = Path.of(args.get("checkpoint-dir"));
    Path exportBase = Path.of(args.get("export-dir"));

    TrainingData.Loaded loaded = TrainingData.load(Path.of(args.get("data-dir")),
        args.getFloat("test-share", 0.01f, 0.9f), config.seed(), log::println);
    if (loaded.otherIdx() && !args.has("augment") && !args.has("no-augment")) {
      // The default augmentation imitates people's handwriting (slant, warp, pen, blur); on other
      // data (clothing, ...) it costs accuracy (Fashion-MNIST, 3 epochs: 83.6% with, 87.3% without).
      config = config.withAugmentation(Augmenter.Kind.NONE);
      log.println("data: not handwritten digits, so no augmentation by default (--augment real|affine to have it)");
    }
    FineTune fineTune = args.get("from") == null ? null
        : FineTune.prepare(Path.of(args.get("from")), loaded, Path.of(args.get("mnist-dir")),
            args.getFloat("replay", 0f, 0.95f), FINE_TUNE_EPOCH_IMAGES, config.seed(), out, log::println);
    if (fineTune != null) {
      config = fineTune.config(config, args.has("epochs") ? config.epochs() : FINE_TUNE_EPOCHS,
          args.has("lr") ? config.learningRate() : FINE_TUNE_LR);
    }
    Mnist data = fineTune != null ? fineTune.data() : loaded.data();
    java.util.List<String> classes = ClassNames.of(args.get("classes"), Path.of(args.get("data-dir")), data);
    if (!args.has("resume")) {
      out.printf("training %s network (width %d, %,d parameters) on %,d images: %s lr %s %s, batch %d, %d epochs,"
              + " augmentation %s, dropout %s, seed %d%n",
          config.preset(), config.model().width(), DigitNetwork.parameterCount(config.model()), data.train().count(),
          config.optimizer().name().toLowerCase(), config.learningRate(), config.schedule().name().toLowerCase(),
          config.batchSize(), config.epochs(), config.augmentation().name().toLowerCase(), config.model().dropoutRate(),
          config.seed());
    }
    try (RunLock lock = RunLock.take(checkpointDir)) {
      return trainAndExport(args, config, data, loaded.testName(), classes, fineTune, threads, checkpointDir, exportBase,
          out, log);
    }
  }

  /**
   * Marks a finished run as done with: exported (or deliberately not, with --no-export). A finished
   * run without it is one whose export failed or was cut short, and only --resume may touch it.
   */
  static final String EXPORTED_FILE = "exported.txt";

  /**
   * Before a new run in {@code checkpointDir}: a finished run there may be replaced only once its
   * model was exported; its mark is removed, since the new run replaces it.
   *
   * @throws IllegalStateException for a finished run that was never exported
   */
  static void releaseFinishedRun(Path checkpointDir) throws IOException {
    Path marker = checkpointDir.resolve(EXPORTED_FILE);
    var old = new Checkpoints(checkpointDir).load();
    if (old.isPresent() && old.get().epochsDone() >= old.get().config().epochs()) {
      if (!Files.exists(marker)) {
        throw new IllegalStateException(checkpointDir + " holds a finished run whose model was never exported"
            + " (the export failed or was interrupted): run Train --resume to export it, or pass another"
            + " --checkpoint-dir");
      }
      Files.delete(marker);
    }
  }

  private static Result trainAndExport(Args args, TrainConfig config, Mnist data, String testName,
      java.util.List<String> classes, FineTune fineTune, int threads, Path checkpointDir, Path exportBase, PrintStream out,
      PrintStream log) throws Exception {
    Path marker = checkpointDir.resolve(EXPORTED_FILE);
    if (!args.has("resume")) {
      releaseFinishedRun(checkpointDir);
    }
    Trainer.Options options = new Trainer.Options(checkpointDir, args.has("resume"), threads, out, log,
        isTerminal(), fineTune == null ? null : fineTune.source());
    Trainer.Outcome outcome = Trainer.train(config, data, options);
    out.printf("final: train %.2f%%  test %.2f%%  %s%d steps in %s%n", 100 * outcome.trainAccuracy(),
        100 * outcome.testAccuracy(), fineTune == null && testName.equals(MNIST_TEST) ? "(" + ORIGINAL + ")  " : "",
        outcome.steps(), duration(outcome.seconds()));

    Path exported = null;
    if (args.has("no-export")) {
      AtomicFiles.writeString(marker, "not exported (--no-export)\n");
    } else {
      try {
        exported = ModelExporter.export(exportBase, outcome.config().model(), outcome.checkpointPrefix(),
            metadata(outcome, data, testName, classes, fineTune), checkpointDir.resolve(Checkpoints.HISTORY_FILE));
      } catch (IOException | RuntimeException e) {
        String why = e instanceof java.nio.file.FileAlreadyExistsException f ? f.getFile() + " is in the way (not a folder)"
            : e instanceof java.nio.file.AccessDeniedException a ? a.getFile() + ": permission denied" : e.getMessage();
        throw new IllegalStateException("export to " + exportBase + " failed (" + why + "); the trained"
            + " model is kept in " + checkpointDir + ": fix this and run Train --resume to export it", e);
      }
      AtomicFiles.writeString(marker, exported + "\n");
      out.println("exported " + exported);
      // Evaluate the export as users will load it, in a fresh session: this also proves the round trip.
      double reloaded;
      try (Predictor predictor = Predictor.load(exported)) {
        Path report = Path.of(args.get("report-dir")).resolve(exported.getFileName().toString());
        reloaded = EvaluateCommand.evaluate(predictor, LabelledSet.of(testName, data.test()), report, out)
            .evaluation().accuracy();
        if (fineTune != null) {
          fineTune.after(predictor, reloaded, Path.of(args.get("report-dir")).resolve(exported.getFileName() + "-mnist"),
              out);
        }
      }
      if (Math.abs(reloaded - outcome.testAccuracy()) > 0.0005) {
        throw new IllegalStateException("the exported model disagrees with the trained one (" + reloaded + " vs "
            + outcome.testAccuracy() + "); please report this");
      }
    }
    return new Result(outcome, exported);
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
    return new TrainConfig(
        base.preset(),
        model,
        args.has("epochs") ? args.getInt("epochs", 1, 10_000) : base.epochs(),
        args.has("batch-size") ? args.getInt("batch-size", 1, 65_536) : base.batchSize(),
        args.has("lr") ? args.getFloat("lr", 1e-7f, 10f) : base.learningRate(),
        base.schedule(),
        base.optimizer(),
        base.l2(),
        augmentation(args, base),
        args.getLong("seed"),
        args.getInt("max-steps", 0, Integer.MAX_VALUE));
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

  private static Map<String, Object> metadata(Trainer.Outcome o, Mnist data, String testName,
      java.util.List<String> classes, FineTune fineTune) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", "digit-recognizer reference network");
    m.put("created", Instant.now().toString());
    m.put("parameters", DigitNetwork.parameterCount(o.config().model()));
    m.put("config", o.config().toMap());
    m.put("augmentation", Augmenter.describe(o.config().augmentation()));
    m.put("preprocessing", DigitPreprocessor.RECIPE);
    m.put("train_accuracy", o.trainAccuracy());
    m.put("test_accuracy", o.testAccuracy());
    m.put("test_set", testName);
    m.put(ModelExporter.CLASSES_KEY, classes);
    if (fineTune != null) {
      m.put("fine_tuned_from", fineTune.source().toString());
      m.put("before_fine_tuning", fineTune.before());
    }
    m.put("steps", o.steps());
    m.put("training_seconds", Math.round(o.seconds() * 10) / 10.0);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", DigitNetwork.IMAGE);
    input.put("dtype", "float32");
    input.put("shape", java.util.List.of(-1, 28, 28, 1));
    input.put("range", "[0, 1], white ink on black (MNIST polarity)");
    m.put("input", input);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put(DigitNetwork.PROBABILITIES, "float32 [-1, 10]");
    outputs.put(DigitNetwork.DIGIT, "int64 [-1]");
    m.put("outputs", outputs);
    m.put("data_sha256", data.sha256());
    m.put("train_images", data.train().count());
    m.put("tensorflow_version", TensorFlow.version());
    m.put("java_version", System.getProperty("java.version"));
    return m;
  }

  /** A live progress bar only for a person at a terminal; logs and CI get plain lines. */
  private static boolean isTerminal() {
    return System.console() != null && System.getenv("CI") == null;
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? String.format("%dm %02ds", s / 60, s % 60) : String.format("%.1fs", seconds);
  }
}
