package dev.digits.report;

import dev.digits.data.LabelledSet;
import dev.digits.model.ModelContract;
import dev.digits.predict.Predictor;
import dev.digits.train.EpochStats;
import dev.digits.util.Json;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A model measured on a labelled set: the figures printed, and the HTML report written. */
public final class ModelReport {
  /** What an evaluation produced. */
  public record Result(Evaluation evaluation, Path reportDir) {}

  private ModelReport() {}

  /** Evaluates and reports to {@code reportDir} (null: reports/<the model folder's name>). */
  public static Result write(Predictor predictor, LabelledSet set, Path reportDir, PrintStream out)
      throws Exception {
    if (set.count() == 0) {
      throw new IllegalArgumentException("no usable examples in " + set.description());
    }
    Path modelDir = predictor.modelDir();
    Path target = reportDir != null ? reportDir : Path.of("reports", modelDir.toAbsolutePath().getFileName().toString());
    Evaluation e = Evaluator.evaluate(predictor, set);
    Map<String, Object> metadata = null;
    if (Files.isRegularFile(modelDir.resolve(ModelContract.METADATA_FILE))) {
      metadata = Json.parseObject(Files.readString(modelDir.resolve(ModelContract.METADATA_FILE)));
    }
    List<EpochStats> history = Files.isRegularFile(modelDir.resolve(ModelContract.HISTORY_FILE))
        ? EpochStats.readCsv(modelDir.resolve(ModelContract.HISTORY_FILE)) : null;
    ReportWriter.Context context = new ReportWriter.Context(modelDir.toString(), metadata, history,
        predictor.classNames());
    ReportWriter.write(target, e, set, context);
    print(e, set, context, out);
    out.println("report: " + target.resolve("index.html"));
    return new Result(e, target);
  }

  public static void print(Evaluation e, LabelledSet set, ReportWriter.Context names, PrintStream out) {
    out.printf("accuracy %.2f%% (%d of %d) on %s%n", 100 * e.accuracy(), e.correct(), e.count(), set.description());
    if (!set.skipped().isEmpty()) {
      out.println("skipped " + set.skipped().size() + " unusable images (listed in the report; they count as neither)");
    }
    e.byGroup(set.groups()).forEach((group, c) -> out.printf("  %-32s %5d/%5d  %6.2f%%%n", group, c[0], c[1],
        100.0 * c[0] / c[1]));
    int k = e.classes();
    if (k <= 20) { // a wider matrix does not fit a terminal: the report has it
      int cell = 6;
      for (int c = 0; c < k; c++) {
        cell = Math.max(cell, names.name(c).length() + 2);
      }
      String column = "%" + cell + "s";
      out.println("confusion matrix (rows: true label, columns: predicted):");
      out.printf(column, "");
      for (int p = 0; p < k; p++) {
        out.printf(column, names.name(p));
      }
      out.println();
      int[][] m = e.confusion();
      for (int t = 0; t < k; t++) {
        out.printf(column, names.name(t));
        for (int p = 0; p < k; p++) {
          out.printf(column, m[t][p]);
        }
        out.println();
      }
    }
    List<Evaluation.Confusion> top = e.topConfusions(5);
    out.println(top.isEmpty() ? "no confusions" : "most common confusions: " + String.join(", ",
        top.stream().map(c -> names.name(c.trueDigit()) + " as " + names.name(c.predicted()) + " (" + c.count() + ")")
            .toList()));
  }
}
