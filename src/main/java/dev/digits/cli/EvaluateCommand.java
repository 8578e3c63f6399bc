package dev.digits.cli;

import dev.digits.export.ModelExporter;
import dev.digits.predict.Predictor;
import dev.digits.report.Evaluation;
import dev.digits.report.Evaluator;
import dev.digits.report.LabelledSet;
import dev.digits.report.ReportWriter;
import dev.digits.train.EpochStats;
import dev.digits.util.Json;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code Evaluate}: measure a model on labelled data and write an HTML report. */
public final class EvaluateCommand {
  /** What an evaluation produced. */
  public record Result(Evaluation evaluation, Path reportDir) {}

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
    Args args = spec().parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    run(args, System.out);
    return Cli.OK;
  }

  static Result run(Args args, PrintStream out) throws Exception {
    LabelledSet set = data(args);
    try (Predictor predictor = Predictor.load(Path.of(args.get("model")))) {
      return evaluate(predictor, set, args.has("out") ? Path.of(args.get("out")) : null, out);
    }
  }

  /** Evaluates and reports; {@code out} null means reports/<version folder name>. */
  public static Result evaluate(Predictor predictor, LabelledSet set, Path reportDir, PrintStream out)
      throws Exception {
    if (set.count() == 0) {
      throw new IllegalArgumentException("no usable examples in " + set.description());
    }
    Path modelDir = predictor.modelDir();
    Path target = reportDir != null ? reportDir : Path.of("reports", modelDir.toAbsolutePath().getFileName().toString());
    Evaluation e = Evaluator.evaluate(predictor, set);
    Map<String, Object> metadata = null;
    if (Files.isRegularFile(modelDir.resolve(ModelExporter.METADATA_FILE))) {
      metadata = Json.parseObject(Files.readString(modelDir.resolve(ModelExporter.METADATA_FILE)));
    }
    List<EpochStats> history = Files.isRegularFile(modelDir.resolve(ModelExporter.HISTORY_FILE))
        ? EpochStats.readCsv(modelDir.resolve(ModelExporter.HISTORY_FILE)) : null;
    ReportWriter.write(target, e, set, new ReportWriter.Context(modelDir.toString(), metadata, history));
    print(e, set, out);
    out.println("report: " + target.resolve("index.html"));
    return new Result(e, target);
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
        System.err::println);
    return LabelledSet.of(data.testName(), data.data().test());
  }

  static void print(Evaluation e, LabelledSet set, PrintStream out) {
    out.printf("accuracy %.2f%% (%d of %d) on %s%n", 100 * e.accuracy(), e.correct(), e.count(), set.description());
    if (!set.skipped().isEmpty()) {
      out.println("skipped " + set.skipped().size() + " unusable images (listed in the report; they count as neither)");
    }
    e.byGroup(set.groups()).forEach((group, c) -> out.printf("  %-32s %5d/%5d  %6.2f%%%n", group, c[0], c[1],
        100.0 * c[0] / c[1]));
    out.println("confusion matrix (rows: true label, columns: predicted):");
    out.print("      ");
    for (int p = 0; p < 10; p++) {
      out.printf("%6d", p);
    }
    out.println();
    int[][] m = e.confusion();
    for (int t = 0; t < 10; t++) {
      out.printf("%6d", t);
      for (int p = 0; p < 10; p++) {
        out.printf("%6d", m[t][p]);
      }
      out.println();
    }
    List<Evaluation.Confusion> top = e.topConfusions(5);
    out.println(top.isEmpty() ? "no confusions" : "most common confusions: " + String.join(", ",
        top.stream().map(c -> c.trueDigit() + " as " + c.predicted() + " (" + c.count() + ")").toList()));
  }
}
