package dev.digits.bench;

import dev.digits.cli.Args;
import dev.digits.cli.Cli;
import dev.digits.cli.UsageException;
import dev.digits.data.RealDigitSet;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import dev.digits.predict.Predictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Accuracy on real handwritten digits ({@link RealDigitSet}): per part and per style, each file
 * read the way {@code Predict} reads it (decode, preprocess, model, averaged over the scale
 * variants). With {@code --ablate} it runs again with each preprocessing step left out, so every
 * step shows what it pays.
 */
public final class RealImageBenchmark {
  private RealImageBenchmark() {}

  public static void main(String[] argv) {
    Cli.main("benchmark-realdigits", RealImageBenchmark::run, argv);
  }

  static int run(String[] argv) throws Exception {
    Args args = new Args("RealImageBenchmark [OPTIONS]",
        "Accuracy on real handwritten digits, per part and style, read from the realdigits folder in place.")
        .option("model", "DIR", "saved-model/1", "model folder (a SavedModel, or a folder of versions)")
        .option("dir", "DIR", RealDigitSet.DEFAULT_DIR.toString(), "the realdigits folder (with manifest.csv)")
        .option("synthetic", "DIR", "src/test/resources/digits",
            "also score the project's generated image set (<label>-<style>-<n>.<ext>), reported apart; '' for none")
        .option("seed", "N", "1", "seed of the rendered variants (upscaled scans, faint ink, restyled digits)")
        .option("without", "STEPS", "none", "leave these preprocessing steps out (comma-separated: "
            + String.join(",", stepNames()) + ")")
        .flag("ablate", "also run with each preprocessing step left out in turn, and print what each pays")
        .flag("misses", "list every misread file with the answer it got")
        .option("save-misses", "DIR", null, "write each misread file, as sent, into DIR (a new or empty folder)")
        .parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    if (args.has("save-misses")) {
      requireNewOrEmpty(Path.of(args.get("save-misses")));
    }
    RealDigitSet set = RealDigitSet.load(Path.of(args.get("dir")), args.getLong("seed"));
    if (!args.get("synthetic").isEmpty()) {
      set = set.with(synthetic(Path.of(args.get("synthetic"))));
    }
    Set<DigitPreprocessor.Step> without = steps(args.get("without"));
    try (Predictor predictor = Predictor.load(Path.of(args.get("model")))) {
      System.out.println("model  " + predictor.modelDir() + "   data  " + set.dir()
          + " (manifest " + RealDigitSet.version(set.dir()) + ")"
          + (without.isEmpty() ? "" : "   without " + without));
      Score all = score(predictor, set, without);
      if (args.has("save-misses")) {
        saveMisses(set, all, Path.of(args.get("save-misses")));
      }
      all.print(args.has("misses"));
      if (args.has("ablate")) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-22s %7s %7s %7s %7s %8s %8s %7s %7s %7s%n", "preprocessing", "dev", "hand",
            "usps", "usps-up", "usps-big", "restyled", "faint", "printed", "synth");
        all.row("all steps");
        for (DigitPreprocessor.Step step : DigitPreprocessor.Step.values()) {
          if (!without.contains(step)) {
            EnumSet<DigitPreprocessor.Step> less = without.isEmpty() ? EnumSet.noneOf(DigitPreprocessor.Step.class)
                : EnumSet.copyOf(without);
            less.add(step);
            score(predictor, set, less).row("without " + step.name().toLowerCase());
          }
        }
      }
    }
    return Cli.OK;
  }

  /** The generated set, named {@code <label>-<style>-<n>.<ext>}; it is not real, so it is its own part. */
  private static List<RealDigitSet.Item> synthetic(Path dir) throws java.io.IOException {
    List<RealDigitSet.Item> items = new ArrayList<>();
    if (!java.nio.file.Files.isDirectory(dir)) {
      return items;
    }
    try (var files = java.nio.file.Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.matches("[0-9]-[a-z]+-.*\\.(png|jpg)")) {
          items.add(new RealDigitSet.Item(f.toString(), name.charAt(0) - '0', "synthetic", name.split("-")[1],
              java.nio.file.Files.readAllBytes(f)));
        }
      }
    }
    return items;
  }

  private static List<String> stepNames() {
    List<String> names = new ArrayList<>();
    for (DigitPreprocessor.Step s : DigitPreprocessor.Step.values()) {
      names.add(s.name().toLowerCase());
    }
    return names;
  }

  private static Set<DigitPreprocessor.Step> steps(String list) {
    EnumSet<DigitPreprocessor.Step> out = EnumSet.noneOf(DigitPreprocessor.Step.class);
    for (String name : list.split(",")) {
      if (name.isBlank() || name.equals("none")) {
        continue;
      }
      try {
        out.add(DigitPreprocessor.Step.valueOf(name.strip().toUpperCase().replace('-', '_')));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--without: no step '" + name + "'; the steps are " + String.join(", ", stepNames()));
      }
    }
    return out;
  }

  private static Score score(Predictor predictor, RealDigitSet set, Set<DigitPreprocessor.Step> without) {
    Score s = new Score();
    for (RealDigitSet.Item item : set.items()) {
      String answer;
      try {
        var variants = DigitPreprocessor.variants(ImageDecoder.decode(item.bytes()), without);
        answer = Integer.toString(predictor.predictVariants(variants).digit());
      } catch (ImageException e) {
        answer = e.getMessage();
      }
      s.add(item, answer);
    }
    return s;
  }

  /** Misses are written only into a new or empty folder, so no file of the user's is overwritten. */
  private static void requireNewOrEmpty(Path dir) throws java.io.IOException {
    if (java.nio.file.Files.isDirectory(dir)) {
      try (var entries = java.nio.file.Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new UsageException("--save-misses " + dir + " is not empty: name a new or empty folder");
        }
      }
    } else if (java.nio.file.Files.exists(dir)) {
      throw new UsageException("--save-misses " + dir + " is a file: name a new or empty folder");
    }
  }

  private static void saveMisses(RealDigitSet set, Score score, Path dir) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    for (RealDigitSet.Item item : set.items()) {
      if (score.missed.contains(item.name())) {
        String name = item.name().replaceAll("[^A-Za-z0-9.@-]", "_");
        java.nio.file.Files.write(dir.resolve(name), item.bytes());
      }
    }
  }

  /** Hits and totals per part and per part/style, and the misses. */
  private static final class Score {
    final Map<String, int[]> parts = new TreeMap<>();
    final Map<String, int[]> styles = new TreeMap<>();
    final List<String> misses = new ArrayList<>();
    final Set<String> missed = new java.util.HashSet<>();
    int noDigit;

    void add(RealDigitSet.Item item, String answer) {
      boolean hit = answer.equals(Integer.toString(item.label()));
      for (int[] c : List.of(parts.computeIfAbsent(item.part(), k -> new int[2]),
          styles.computeIfAbsent(item.part() + " / " + item.style(), k -> new int[2]))) {
        c[0] += hit ? 1 : 0;
        c[1]++;
      }
      if (!hit) {
        misses.add(item.name() + " (" + item.label() + ") -> " + answer);
        missed.add(item.name());
        noDigit += answer.startsWith("no digit") ? 1 : 0;
      }
    }

    /** Accuracy over the development set's own parts together. */
    double dev() {
      int hit = 0;
      int n = 0;
      for (String p : RealDigitSet.DEV_PARTS) {
        int[] c = parts.getOrDefault(p, new int[2]);
        hit += c[0];
        n += c[1];
      }
      return n == 0 ? 0 : 100.0 * hit / n;
    }

    double pct(String part) {
      int[] c = parts.getOrDefault(part, new int[] {0, 1});
      return 100.0 * c[0] / c[1];
    }

    void print(boolean listMisses) {
      System.out.printf(Locale.ROOT, "development set (hand + usps + usps-up): %.1f%%%n", dev());
      parts.forEach((part, c) -> {
        System.out.printf(Locale.ROOT, "  %-28s %4d/%4d  %5.1f%%%s%n", part, c[0], c[1], 100.0 * c[0] / c[1],
            RealDigitSet.DEV_PARTS.contains(part) ? "" : part.equals("synthetic") ? "   (generated by the project)"
                : "   (not in the development set: rendered from it or typed)");
        styles.forEach((style, sc) -> {
          if (style.startsWith(part + " / ")) {
            System.out.printf(Locale.ROOT, "    %-26s %4d/%4d  %5.1f%%%n", style.substring(part.length() + 3), sc[0],
                sc[1], 100.0 * sc[0] / sc[1]);
          }
        });
      });
      System.out.println("misread " + misses.size() + ", of which 'no digit found' " + noDigit);
      if (listMisses) {
        misses.forEach(m -> System.out.println("  " + m));
      }
    }

    void row(String what) {
      System.out.printf(Locale.ROOT, "%-22s %6.1f%% %6.1f%% %6.1f%% %6.1f%% %7.1f%% %7.1f%% %6.1f%% %6.1f%% %6.1f%%%n",
          what, dev(), pct("hand"), pct("usps"), pct("usps-up"), pct("usps-big"), pct("restyled"), pct("faint"),
          pct("printed"), pct("synthetic"));
    }
  }
}
