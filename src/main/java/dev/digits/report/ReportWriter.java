package dev.digits.report;

import dev.digits.data.DataException;
import dev.digits.data.LabelledSet;
import dev.digits.train.EpochStats;
import dev.digits.util.AtomicFiles;
import dev.digits.util.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes an evaluation report folder: {@code index.html} (self-contained apart from the PNGs
 * beside it, works from the file system), {@code confusion.png}, {@code mistakes.png},
 * {@code calibration.png}, {@code curves.png} when the model has a training history, and
 * {@code metrics.json} with every number shown. The folder is built under a temporary name and
 * swapped into place, so a report is there completely or not at all.
 */
public final class ReportWriter {
  public static final int MAX_MISTAKES_SHOWN = 100;

  private ReportWriter() {}

  /** Inputs to a report besides the evaluation itself. */
  public record Context(String modelDir, Map<String, Object> modelMetadata, List<EpochStats> history,
      List<String> classNames) {
    /** A report of a digit model: classes named 0-9. */
    public Context(String modelDir, Map<String, Object> modelMetadata, List<EpochStats> history) {
      this(modelDir, modelMetadata, history, null);
    }

    /** The name of class {@code k}: its number unless the model names its classes. */
    String name(int k) {
      return classNames != null && k < classNames.size() ? classNames.get(k) : Integer.toString(k);
    }
  }

  /** The files a report consists of: a folder holding anything else is not replaced. */
  static final java.util.Set<String> REPORT_FILES = java.util.Set.of("index.html", "metrics.json", "confusion.png",
      "curves.png", "calibration.png", "mistakes.png");

  /**
   * Refuses a target that holds anything but a previous report (a user's own folder named by
   * mistake), since writing a report replaces the folder as a whole.
   */
  static void requireReplaceable(Path target) throws IOException {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new DataException(target + " is a file; name a new folder, an empty one, or an earlier report for the report");
    }
    try (var entries = Files.list(target)) {
      List<String> foreign = entries.map(p -> p.getFileName().toString())
          .filter(n -> !REPORT_FILES.contains(n)).sorted().limit(3).toList();
      if (!foreign.isEmpty()) {
        throw new DataException(target + " holds files that are not part of a report (" + String.join(", ", foreign)
            + "), and a report replaces its folder whole; name a new folder, an empty one, or an earlier report");
      }
    }
  }

  public static void write(Path target, Evaluation e, LabelledSet set, Context context) throws IOException {
    requireReplaceable(target);
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    if (!Files.isWritable(parent)) {
      throw new IOException("cannot write to " + parent);
    }
    Path tmp = Files.createTempDirectory(parent, ".report-");
    try {
      // Temporary folders are owner-only; a report is meant to be opened by anyone, or served.
      try {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      List<Integer> shown = e.mistakesWorstFirst();
      shown = shown.subList(0, Math.min(MAX_MISTAKES_SHOWN, shown.size()));
      png(tmp.resolve("confusion.png"), ReportCharts.confusion(e.confusion()));
      png(tmp.resolve("calibration.png"), ReportCharts.calibration(e.calibration(10)));
      png(tmp.resolve("mistakes.png"), ReportCharts.mistakes(e, set, shown));
      boolean curves = context.history() != null && !context.history().isEmpty();
      if (curves) {
        png(tmp.resolve("curves.png"), ReportCharts.curves(context.history()));
      }
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("data", set.description());
      metrics.put("model", context.modelDir());
      metrics.putAll(e.toMap());
      List<Map<String, Object>> mistakes = new ArrayList<>();
      for (int i : shown) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", set.names().get(i));
        m.put("true", e.label(i));
        m.put("predicted", e.predicted(i));
        m.put("probability", e.probability(i, e.predicted(i)));
        mistakes.add(m);
      }
      metrics.put("worst_mistakes", mistakes);
      metrics.put("skipped", set.skipped());
      Map<String, Object> byGroup = new LinkedHashMap<>();
      e.byGroup(set.groups()).forEach((g, c) -> byGroup.put(g, Map.of("correct", c[0], "count", c[1])));
      if (!byGroup.isEmpty()) {
        metrics.put("by_group", byGroup);
      }
      Files.writeString(tmp.resolve("metrics.json"), Json.pretty(metrics));
      Files.writeString(tmp.resolve("index.html"), html(e, set, context, shown, curves));
      swapIntoPlace(tmp, target);
    } finally {
      AtomicFiles.deleteTree(tmp);
    }
  }

  private static void swapIntoPlace(Path fresh, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
      Files.move(target, old);
    }
    try {
      Files.move(fresh, target);
    } catch (IOException ex) {
      if (old != null) {
        Files.move(old, target);
      }
      throw ex;
    }
    if (old != null) {
      AtomicFiles.deleteTree(old);
    }
  }

  private static void png(Path file, BufferedImage img) throws IOException {
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }

  private static String html(Evaluation e, LabelledSet set, Context c, List<Integer> shown, boolean curves) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Digit recognizer evaluation</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}\n")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;")
        .append("text-align:right;overflow-wrap:anywhere}th{background:#f3f3f3}img{max-width:100%;border:1px solid #ddd}\n")
        .append(".big{font-size:2.2em;font-weight:600}.muted{color:#777}\n")
        // The model table: keys never wrap (a long hash or recipe wraps in its own cell instead).
        .append(".kv th{text-align:left;white-space:nowrap;vertical-align:top;overflow-wrap:normal}")
        .append(".kv td{text-align:left}.kv .kv{margin:0}\n</style></head><body>\n");
    h.append("<h1>Digit recognizer evaluation</h1>\n");
    h.append(String.format(Locale.ROOT, "<p class=\"big\">%.2f%% accuracy</p>\n<p>%d of %d correct on %s, model %s.</p>\n",
        100 * e.accuracy(), e.correct(), e.count(), esc(set.description()), esc(c.modelDir())));
    if (!set.skipped().isEmpty()) {
      h.append("<p>Skipped ").append(set.skipped().size()).append(" unusable images:</p><ul>");
      set.skipped().forEach(s -> h.append("<li>").append(esc(s)).append("</li>"));
      h.append("</ul>\n");
    }
    java.util.Map<String, int[]> groups = e.byGroup(set.groups());
    if (!groups.isEmpty()) {
      h.append("<h2>Per part and style</h2>\n<table><tr><th>group</th><th>correct</th><th>images</th><th>accuracy</th></tr>\n");
      groups.forEach((g, n) -> h.append(String.format(Locale.ROOT,
          "<tr><td style=\"text-align:left\">%s</td><td>%d</td><td>%d</td><td>%.2f%%</td></tr>%n", esc(g), n[0], n[1],
          100.0 * n[0] / n[1])));
      h.append("</table>\n");
    }
    if (c.modelMetadata() != null) {
      h.append("<h2>Model</h2>\n");
      keyValueTable(h, c.modelMetadata());
      h.append("\n");
    }
    h.append("<h2>Per class</h2>\n<table><tr><th>class</th><th>examples</th><th>precision</th><th>recall</th><th>F1</th></tr>\n");
    int[][] m = e.confusion();
    double[] p = e.precision();
    double[] r = e.recall();
    double[] f = e.f1();
    for (int d = 0; d < e.classes(); d++) {
      h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
          esc(c.name(d)),
          java.util.Arrays.stream(m[d]).sum(), pct(p[d]), pct(r[d]), pct(f[d])));
    }
    h.append("</table>\n<h2>Confusion matrix</h2>\n<img src=\"confusion.png\" alt=\"confusion matrix\">\n");
    h.append("<h3>Most common confusions</h3>\n<table><tr><th>true</th><th>predicted</th><th>count</th></tr>\n");
    e.topConfusions(5).forEach(x -> h.append(String.format("<tr><td>%s</td><td>%s</td><td>%d</td></tr>\n",
        esc(c.name(x.trueDigit())), esc(c.name(x.predicted())), x.count())));
    h.append("</table>\n");
    h.append("<h2>Misclassified, most confident first</h2>\n");
    if (shown.isEmpty()) {
      h.append("<p>None.</p>\n");
    } else {
      h.append("<p class=\"muted\">Each image is what the model saw, captioned true → predicted (probability).</p>\n")
          .append("<img src=\"mistakes.png\" alt=\"misclassified digits\">\n<details><summary>as a list</summary><ol>");
      for (int i : shown) {
        h.append("<li>").append(esc(set.names().get(i))).append(": ").append(esc(ReportCharts.caption(e, i))).append("</li>");
      }
      h.append("</ol></details>\n");
    }
    if (curves) {
      h.append("<h2>Training</h2>\n<img src=\"curves.png\" alt=\"training curves\">\n");
    }
    h.append(String.format(Locale.ROOT, "<h2>Calibration</h2>\n<p>Expected calibration error: %.4f.</p>\n",
        e.expectedCalibrationError(10)))
        .append("<img src=\"calibration.png\" alt=\"reliability diagram\">\n")
        .append("<p class=\"muted\">Every number is in <a href=\"metrics.json\">metrics.json</a>.</p>\n</body></html>\n");
    return h.toString();
  }

  /** A map as a table of names and values; a value that is itself a map (the recipe) is a small table in its cell. */
  private static void keyValueTable(StringBuilder h, Map<?, ?> map) {
    h.append("<table class=\"kv\">");
    map.forEach((k, v) -> {
      h.append("<tr><th>").append(esc(String.valueOf(k).replace('_', ' '))).append("</th><td>");
      if (v instanceof Map<?, ?> inner) {
        keyValueTable(h, inner);
      } else {
        h.append(esc(display(v)));
      }
      h.append("</td></tr>");
    });
    h.append("</table>");
  }

  /**
   * A metadata value as a person writes it: 125,830 and 20, not 125830.0 and 20.0 (JSON numbers
   * come back as doubles); 0.001, not 1.0E-3; a list as its items.
   */
  static String display(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        long whole = (long) d;
        return Math.abs(whole) >= 10_000 ? String.format(Locale.ROOT, "%,d", whole) : Long.toString(whole);
      }
      return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
    if (v instanceof List<?> list) {
      return String.join(", ", list.stream().map(ReportWriter::display).toList());
    }
    return String.valueOf(v);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
