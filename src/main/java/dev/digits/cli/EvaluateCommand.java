package dev.digits.cli;

import dev.digits.data.LabelledSet;
import dev.digits.data.TrainingData;
import dev.digits.predict.Predictor;
import dev.digits.report.ModelReport;
import dev.digits.util.TensorFlowRuntime;
import dev.digits.util.Text;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code Evaluate}: measure a model on labelled data and write an HTML report. */
public final class EvaluateCommand {
  /** Train's defaults, so that --data-dir finds the very images a default Train held out. */
  private static final double TRAIN_TEST_SHARE = 0.2;
  private static final long TRAIN_SEED = dev.digits.train.TrainConfig.defaults().seed();

  private EvaluateCommand() {}

  static Args spec() {
    return new Args(Digits.usage("evaluate", "Evaluate", "[OPTIONS]"),
        "Evaluates a SavedModel on the MNIST test set (default) or other labelled data, prints accuracy, the\n"
            + "confusion matrix and the most common confusions, and writes an HTML report to --out.")
        .option("model", "DIR", "saved-model", "a SavedModel folder, or a folder of versions (the highest is used)")
        .option("data-dir", "DIR", "data", "the test set of what Train --data-dir DIR trains on: MNIST's (the"
            + " default), another IDX dataset's, or the images Train holds out of a labelled folder (its default"
            + " --seed and --test-share)")
        .option("images", "FILE", null, "an IDX image file to evaluate on (with --labels)")
        .option("labels", "FILE", null, "the IDX label file that goes with --images")
        .option("folder", "DIR", null, "a folder of image files in subfolders named by digit (DIR/7/a.png), or one"
            + " with a manifest.csv (file,label,…,style) such as ../shared/realdigits: accuracy per part and style")
        .option("csv", "FILE", null, "a CSV of 'file,label' lines (paths relative to the CSV)")
        .option("out", "DIR", "reports/<model version>", "the report folder: new, empty, or an earlier report (replaced as a whole; a folder holding other files is refused)");
  }

  public static int main(String[] argv) throws Exception {
    TensorFlowRuntime.prefer(TensorFlowRuntime.Workload.INFERENCE); // before TensorFlow loads
    Args args = spec().parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    run(args, System.out);
    return Cli.OK;
  }

  static ModelReport.Result run(Args args, PrintStream out) throws Exception {
    LabelledSet set = data(args);
    try (Predictor predictor = Predictor.load(Path.of(args.get("model")))) {
      return ModelReport.write(predictor, set, args.has("out") ? Path.of(args.get("out")) : null, out);
    }
  }

  private static LabelledSet data(Args args) throws Exception {
    int sources = (args.has("images") || args.has("labels") ? 1 : 0) + (args.has("folder") ? 1 : 0)
        + (args.has("csv") ? 1 : 0);
    if (sources > 1) {
      throw new UsageException("give one of --images/--labels, --folder or --csv");
    }
    if (args.has("images") != args.has("labels")) {
      throw new UsageException("--images and --labels go together");
    }
    if (args.has("images")) {
      return LabelledSet.idx(Path.of(args.get("images")), Path.of(args.get("labels")));
    }
    if (args.has("folder")) {
      return LabelledSet.folder(Path.of(args.get("folder")));
    }
    if (args.has("csv")) {
      return LabelledSet.csv(Path.of(args.get("csv")));
    }
    TrainingData.Loaded data = TrainingData.load(Path.of(args.get("data-dir")), TRAIN_TEST_SHARE, TRAIN_SEED,
        Text.lines(System.err));
    return LabelledSet.of(data.testName(), data.data().test());
  }

}
