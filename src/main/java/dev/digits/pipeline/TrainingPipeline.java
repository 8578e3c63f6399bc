package dev.digits.pipeline;

import dev.digits.data.Augmenter;
import dev.digits.data.LabelledSet;
import dev.digits.data.Mnist;
import dev.digits.export.ModelExporter;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.model.DigitNetwork;
import dev.digits.model.ModelContract;
import dev.digits.predict.Predictor;
import dev.digits.report.ModelReport;
import dev.digits.train.Checkpoints;
import dev.digits.train.Precision;
import dev.digits.train.RunLock;
import dev.digits.train.TrainConfig;
import dev.digits.train.Trainer;
import dev.digits.train.TrainingListener;
import dev.digits.util.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.TensorFlow;

/**
 * A whole run, as Java code or the {@code Train} command asks for it: train (or resume), export a
 * SavedModel to the next free version, load that export in a fresh session as users will, check
 * that it agrees with the trained weights, and write its report.
 *
 * <pre>{@code
 * Mnist mnist = Mnist.load(Path.of("data"), System.err::println);
 * TrainingPipeline.Result result = TrainingPipeline.run(
 *     TrainingPipeline.Request.in(Path.of("work"), TrainConfig.defaults(), mnist), System.out);
 * }</pre>
 */
public final class TrainingPipeline {
  /** The original Keras recipe's reported accuracies, printed for comparison on MNIST. */
  private static final String ORIGINAL = "original recipe: train 97.14%, test 97.86%";
  public static final String MNIST_TEST = "MNIST test set";

  /**
   * Marks a finished run as done with: exported (or deliberately not). A finished run without it
   * is one whose export failed or was cut short, and only a resume may touch it.
   */
  public static final String EXPORTED_FILE = "exported.txt";

  /**
   * What to run.
   *
   * @param testName what {@code data.test()} is, for the report ("MNIST test set", a folder's held-out images)
   * @param classes the class names stored with the model (index by index)
   * @param exportDir the versions folder to export to, or null for no export
   * @param metadata more entries for the model's metadata.json (a fine-tuning's source and figures)
   * @param afterExport called with the exported model and its accuracy on the test set, or null
   */
  public record Request(TrainConfig config, Mnist data, String testName, List<String> classes, Path exportDir,
      Path reportDir, Trainer.Options options, Map<String, Object> metadata, AfterExport afterExport) {

    /** The run's checkpoint folder: the trainer's, which owns it. */
    public Path checkpointDir() {
      return options.checkpointDir();
    }

    /** Whether the run continues the one in its checkpoint folder: the trainer's choice too. */
    public boolean resume() {
      return options.resume();
    }

    /** A run of {@code config} on MNIST-shaped data, with its folders under {@code base}, printing to stdout. */
    public static Request in(Path base, TrainConfig config, Mnist data) {
      Path checkpoints = base.resolve("checkpoints");
      return new Request(config, data, MNIST_TEST, ModelContract.numberedClasses(ModelContract.CLASSES),
          base.resolve("saved-model"), base.resolve("reports"),
          new Trainer.Options(checkpoints, false, 0, System.out, System.err, false), Map.of(), null);
    }

    public Request withListener(TrainingListener listener) {
      return new Request(config, data, testName, classes, exportDir, reportDir, options.withListener(listener), metadata,
          afterExport);
    }
  }

  /** Something to do with the exported model once it is verified (print a fine-tuning's figures). */
  @FunctionalInterface
  public interface AfterExport {
    void accept(Predictor exported, double testAccuracy) throws Exception;
  }

  /** What a run produced; {@code exportDir} is null without an export. */
  public record Result(Trainer.Outcome outcome, Path exportDir) {}

  private TrainingPipeline() {}

  public static Result run(Request r, PrintStream out) throws Exception {
    TrainConfig c = r.config();
    if (!r.resume()) {
      out.printf("training %s network (width %d, %,d parameters) on %,d images: %s lr %s %s, batch %d, %d epoch%s,"
              + " augmentation %s, dropout %s, seed %d%s%n",
          c.preset(), c.model().width(), DigitNetwork.parameterCount(c.model()), r.data().train().count(),
          c.optimizer().name().toLowerCase(), plain(c.learningRate()), c.schedule().name().toLowerCase().replace('_', '-'),
          c.batchSize(), c.epochs(), c.epochs() == 1 ? "" : "s", c.augmentation().name().toLowerCase(),
          c.model().dropoutRate(), c.seed(),
          (c.labelSmoothing() > 0 ? ", label smoothing " + c.labelSmoothing() : "")
              + (c.emaDecay() > 0 ? ", weight average " + c.emaDecay() : "")
              + (r.options().precision() == Precision.BFLOAT16 ? ", bfloat16 mixed precision" : ""));
    }
    try (RunLock lock = RunLock.take(r.checkpointDir())) {
      if (!r.resume()) {
        releaseFinishedRun(r.checkpointDir());
      }
      Trainer.Outcome outcome = Trainer.train(c, r.data(), r.options());
      out.printf("final: train %.2f%%  test %.2f%%%s  %s%d steps in %s%n", 100 * outcome.trainAccuracy(),
          100 * outcome.testAccuracy(), outcome.averaged() ? " (the averaged weights, exported)" : "",
          r.testName().equals(MNIST_TEST) && r.options().initialWeights() == null ? "(" + ORIGINAL + ")  " : "", outcome.steps(),
          duration(outcome.seconds()));
      Path marker = r.checkpointDir().resolve(EXPORTED_FILE);
      if (r.exportDir() == null) {
        AtomicFiles.writeString(marker, "not exported (--no-export)\n");
        return new Result(outcome, null);
      }
      Path exported = export(r, outcome);
      AtomicFiles.writeString(marker, exported + "\n");
      out.println("exported " + exported);
      verifyAndReport(r, outcome, exported, out);
      return new Result(outcome, exported);
    }
  }

  /**
   * Before a new run in {@code checkpointDir}: a finished run there may be replaced only once its
   * model was exported; its mark is removed, since the new run replaces it.
   *
   * @throws IllegalStateException for a finished run that was never exported
   */
  public static void releaseFinishedRun(Path checkpointDir) throws IOException {
    Path marker = checkpointDir.resolve(EXPORTED_FILE);
    var old = new Checkpoints(checkpointDir).load();
    if (old.isPresent() && old.get().finished()) {
      if (!Files.exists(marker)) {
        throw new IllegalStateException(checkpointDir + " holds a finished run whose model was never exported"
            + " (the export failed or was interrupted): run Train --resume to export it, or pass another"
            + " --checkpoint-dir");
      }
      Files.delete(marker);
    }
  }

  private static Path export(Request r, Trainer.Outcome outcome) {
    try {
      return ModelExporter.export(r.exportDir(), outcome.config().model(), outcome.checkpointPrefix(),
          metadata(r, outcome), r.checkpointDir().resolve(ModelContract.HISTORY_FILE));
    } catch (IOException | RuntimeException e) {
      String why = e instanceof java.nio.file.FileAlreadyExistsException f ? f.getFile() + " is in the way (not a folder)"
          : e instanceof java.nio.file.AccessDeniedException a ? a.getFile() + ": permission denied" : e.getMessage();
      throw new IllegalStateException("export to " + r.exportDir() + " failed (" + why + "); the trained"
          + " model is kept in " + r.checkpointDir() + ": fix this and run Train --resume to export it", e);
    }
  }

  /** Evaluates the export as users will load it, in a fresh session: this also proves the round trip. */
  private static void verifyAndReport(Request r, Trainer.Outcome outcome, Path exported, PrintStream out)
      throws Exception {
    try (Predictor predictor = Predictor.load(exported)) {
      Path report = r.reportDir().resolve(exported.getFileName().toString());
      double reloaded = ModelReport.write(predictor, LabelledSet.of(r.testName(), r.data().test()), report, out)
          .evaluation().accuracy();
      if (Math.abs(reloaded - outcome.testAccuracy()) > 0.0005) {
        throw new IllegalStateException("the exported model disagrees with the trained one (" + reloaded + " vs "
            + outcome.testAccuracy() + "); please report this");
      }
      if (r.afterExport() != null) {
        r.afterExport().accept(predictor, reloaded);
      }
    }
  }

  private static Map<String, Object> metadata(Request r, Trainer.Outcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", "digit-recognizer reference network");
    m.put("created", Instant.now().toString());
    m.put("parameters", DigitNetwork.parameterCount(o.config().model()));
    m.put("config", o.config().toMap());
    m.put("augmentation", Augmenter.describe(o.config().augmentation()));
    m.put("preprocessing", DigitPreprocessor.RECIPE);
    m.put("weights", o.averaged() ? "moving average (decay " + o.config().emaDecay() + ")" : "last step");
    m.put("train_accuracy", o.trainAccuracy());
    m.put("test_accuracy", o.testAccuracy());
    m.put("test_set", r.testName());
    m.put(ModelContract.CLASSES_KEY, r.classes());
    m.putAll(r.metadata());
    m.put("steps", o.steps());
    m.put("training_precision", r.options().precision().label());
    m.put("training_seconds", Math.round(o.seconds() * 10) / 10.0);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", ModelContract.IMAGE);
    input.put("dtype", "float32");
    input.put("shape", List.of(-1, ModelContract.SIDE, ModelContract.SIDE, 1));
    input.put("range", "[0, 1], white ink on black (MNIST polarity)");
    m.put("input", input);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put(ModelContract.PROBABILITIES, "float32 [-1, " + o.config().model().classes() + "]");
    outputs.put(ModelContract.DIGIT, "int64 [-1]");
    m.put("outputs", outputs);
    m.put("data_sha256", r.data().sha256());
    m.put("train_images", r.data().train().count());
    m.put("tensorflow_version", TensorFlow.version());
    m.put("java_version", System.getProperty("java.version"));
    return m;
  }

  /** A rate as people write it: 0.00173, not 0.0017320508 or 1.7320508E-3. */
  private static String plain(float rate) {
    return new java.math.BigDecimal(Float.toString(rate)).round(new java.math.MathContext(3)).stripTrailingZeros()
        .toPlainString();
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? String.format("%dm %02ds", s / 60, s % 60) : String.format("%.1fs", seconds);
  }
}
