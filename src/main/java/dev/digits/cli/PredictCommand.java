package dev.digits.cli;

import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import dev.digits.imaging.ImageFiles;
import dev.digits.numbers.NumberPicture;
import dev.digits.numbers.NumberReader;
import dev.digits.numbers.NumberReading;
import dev.digits.numbers.PageLine;
import dev.digits.predict.Prediction;
import dev.digits.predict.Predictor;
import dev.digits.util.AtomicFiles;
import dev.digits.util.Json;
import dev.digits.util.TensorFlowRuntime;
import dev.digits.util.Text;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** {@code Predict}: classify image files with an exported model. */
public final class PredictCommand {
  /** Per-file outcome: a prediction (or, with --number, a number) or an error message. */
  public record Item(Path file, Prediction prediction, NumberReading number, List<PageLine> page, String error) {
    Item(Path file, Prediction prediction, String error) {
      this(file, prediction, null, null, error);
    }

    Item(Path file, Prediction prediction, NumberReading number, String error) {
      this(file, prediction, number, null, error);
    }
  }

  private PredictCommand() {}

  static Args spec() {
    return new Args(Digits.usage("predict", "Predict", "[OPTIONS] FILE_OR_DIR..."),
        "Classifies images of handwritten digits (PNG, JPEG, GIF, BMP, TIFF, WebP, ...): photos, scans and\n"
            + "drawings, dark on light or light on dark. Folders are searched for image files.")
        .positional("FILE_OR_DIR...  images, or folders to search for images (sorted by path)")
        .option("model", "DIR", Predictor.DEFAULT_MODEL_BASE.toString(),
            "a SavedModel folder, or a folder of numbered versions (the highest is used)")
        .option("top", "K", "3", "how many candidates to show per image (at most the model's classes: 10 for digits)")
        .option("save-preprocessed", "DIR", null, "also write each 28x28 model input there as PNG, to see what the"
            + " model saw (with --number: each digit's, and the image with the boxes found drawn on it)")
        .flag("number", "read each image as a whole number (one line of digits, left to right) instead of one digit")
        .flag("page", "read each image as a page of several lines of digits (a list, a form): each line's number,"
            + " top to bottom")
        .option("digits", "N", null, "with --number: the number's length when you know it (a postcode: 5, a year: 4);"
            + " the best reading of that many digits is given (default: any length)")
        .flag("json", "one JSON object per line: {\"file\",\"digit\",\"probabilities\"} or {\"file\",\"error\"}; with"
            + " --number {\"file\",\"number\",\"probability\",\"digits\":[{\"digit\",\"probability\",\"box\":[x,y,w,h]},...],"
            + " \"skipped\":[{\"box\",\"reason\"}], \"unsure\", \"runner_up\":{\"number\",\"probability\",\"why\"}}"
            + " (the last three when there is something to say); with --page {\"file\",\"lines\":[{\"number\",...,\"box\"},...]}");
  }

  public static int main(String[] argv) throws Exception {
    TensorFlowRuntime.prefer(TensorFlowRuntime.Workload.INFERENCE); // before TensorFlow loads
    Args args = spec().parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    List<Item> items = run(args, System.out, System.err);
    return items.stream().anyMatch(i -> i.error() != null) ? Cli.FAILED : Cli.OK;
  }

  static List<Item> run(Args args, PrintStream out, PrintStream err) throws IOException {
    if (args.positionals().isEmpty()) {
      throw new UsageException("no image files given");
    }
    int top = args.getInt("top", 1, dev.digits.model.ModelContract.MAX_CLASSES);
    boolean json = args.has("json");
    Path saveDir = args.get("save-preprocessed") == null ? null : Path.of(args.get("save-preprocessed"));
    if (saveDir != null) {
      try {
        Files.createDirectories(saveDir);
      } catch (IOException e) {
        throw new UsageException("--save-preprocessed " + saveDir + " cannot be made a folder (" + e.getMessage()
            + "); name a folder you can write to");
      }
      if (!Files.isWritable(saveDir)) {
        throw new UsageException("--save-preprocessed " + saveDir + " is not writable; name a folder you can write to");
      }
    }
    int length = digits(args); // checked before any model loads
    List<Path> files = collect(args.positionals());
    List<Item> items = new ArrayList<>();
    java.util.Set<String> savedNames = new java.util.HashSet<>();
    try (Predictor predictor = Predictor.load(Path.of(args.get("model")))) {
      boolean page = args.has("page");
      boolean number = args.has("number") || page;
      NumberReader reader = number ? new NumberReader(predictor).withLength(length) : null;
      for (Path file : files) {
        Item item = page ? readPage(reader, file) : number ? readNumber(reader, file) : classify(predictor, file);
        print(item, top, json, predictor.namedClasses() ? predictor.classNames() : null, out, err); // the answer first
        if (item.error() == null && saveDir != null) {
          try {
            if (page) {
              for (PageLine line : item.page()) {
                saveNumber(saveDir, file, line.reading(), savedNames);
              }
            } else if (number) {
              saveNumber(saveDir, file, item.number(), savedNames);
            } else {
              savePreprocessed(saveDir.resolve(uniqueName(file, ".28x28.png", savedNames)), item.prediction().input());
            }
          } catch (IOException e) {
            err.println(Text.oneLine(file + ": error: cannot save the preprocessed image in " + saveDir + ": " + e.getMessage()));
            item = new Item(file, item.prediction(), item.number(), item.page(), "cannot save the preprocessed image");
          }
        }
        items.add(item);
      }
    }
    return items;
  }

  /** {@code name<suffix>}, or {@code name-2<suffix>} ... when another input had the same file name. */
  private static String uniqueName(Path file, String suffix, java.util.Set<String> used) {
    String base = file.getFileName().toString();
    String name = base + suffix;
    for (int n = 2; !used.add(name); n++) {
      name = base + "-" + n + suffix;
    }
    return name;
  }

  /**
   * With --number: {@code name.boxes.png}, the image with each digit's box and reading drawn on
   * it, and {@code name.digit-<i>.28x28.png}, what the model saw of each digit.
   */
  private static void saveNumber(Path dir, Path file, NumberReading reading, java.util.Set<String> used)
      throws IOException {
    String base = uniqueName(file, "", used);
    BufferedImage drawn = NumberPicture.annotated(ImageDecoder.decode(ImageDecoder.readFile(file)), reading);
    AtomicFiles.write(dir.resolve(base + ".boxes.png"), out -> ImageIO.write(drawn, "png", out));
    for (int i = 0; i < reading.digits().size(); i++) {
      savePreprocessed(dir.resolve(base + ".digit-" + (i + 1) + ".28x28.png"), reading.digits().get(i).prediction().input());
    }
  }

  private static Item readNumber(NumberReader reader, Path file) {
    try {
      if (Files.isDirectory(file)) {
        return new Item(file, null, "is a folder");
      }
      return new Item(file, null, reader.read(file), null);
    } catch (ImageException e) {
      return new Item(file, null, e.getMessage());
    } catch (OutOfMemoryError e) {
      return new Item(file, null, OUT_OF_MEMORY);
    }
  }

  private static Item readPage(NumberReader reader, Path file) {
    try {
      if (Files.isDirectory(file)) {
        return new Item(file, null, "is a folder");
      }
      return new Item(file, null, null, reader.readPage(file), null);
    } catch (ImageException e) {
      return new Item(file, null, e.getMessage());
    } catch (OutOfMemoryError e) {
      return new Item(file, null, OUT_OF_MEMORY);
    }
  }

  /** --digits: the number's length, or 0 for any. */
  private static int digits(Args args) {
    if (args.get("digits") == null) {
      return 0;
    }
    if (!args.has("number") && !args.has("page")) {
      throw new UsageException("--digits goes with --number or --page (the length of a whole number)");
    }
    return args.getInt("digits", 1, 64);
  }

  private static final String OUT_OF_MEMORY = "out of memory decoding this image; give Java more heap"
      + " (tools/digits: DIGITS_JAVA_OPTS=-Xmx4g; Maven: MAVEN_OPTS=-Xmx4g)";

  /** Expands folders into their image files; a path that does not exist stays, to be reported. */
  static List<Path> collect(List<String> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String p : paths) {
      Path path = Path.of(p);
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          files.addAll(walk.filter(Files::isRegularFile).filter(PredictCommand::looksLikeImage).sorted()
              .collect(Collectors.toList()));
        }
      } else {
        files.add(path);
      }
    }
    return files;
  }

  private static boolean looksLikeImage(Path p) {
    return ImageFiles.looksLikeImage(p.getFileName().toString());
  }

  private static Item classify(Predictor predictor, Path file) {
    try {
      if (Files.isDirectory(file)) {
        return new Item(file, null, "is a folder");
      }
      return new Item(file, predictor.predict(file), null);
    } catch (ImageException e) {
      return new Item(file, null, e.getMessage());
    } catch (OutOfMemoryError e) {
      // One image too large for the heap costs its own line only; the rest of the batch goes on
      // (what it allocated is garbage again once the error is caught).
      return new Item(file, null, OUT_OF_MEMORY);
    }
  }

  /** Prints one item; {@code names} are the model's class names when it has its own, else null (digits). */
  private static void print(Item item, int top, boolean json, List<String> names, PrintStream out, PrintStream err) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", item.file().toString());
      if (item.error() != null) {
        m.put("error", item.error());
      } else if (item.page() != null) {
        m.put("lines", item.page().stream().map(l -> l.toMap(top)).toList());
      } else if (item.number() != null) {
        m.putAll(item.number().toMap(top));
      } else {
        m.put("digit", item.prediction().digit());
        if (names != null) {
          m.put("class", names.get(item.prediction().digit()));
        }
        m.put("probabilities", item.prediction().probabilities());
      }
      out.println(Json.write(m));
    } else if (item.error() != null) {
      err.println(Text.oneLine(item.file() + ": error: " + item.error()));
    } else if (item.page() != null) {
      for (int i = 0; i < item.page().size(); i++) {
        out.println(Text.oneLine(item.file()) + ": line " + (i + 1) + ": " + numberLine(item.page().get(i).reading()));
      }
    } else if (item.number() != null) {
      out.println(Text.oneLine(item.file()) + ": " + numberLine(item.number()));
    } else {
      Prediction p = item.prediction();
      java.util.function.IntFunction<String> name = d -> names == null ? Integer.toString(d) : names.get(d);
      String candidates = p.top(top).stream()
          .map(c -> String.format(Locale.ROOT, "%s %.1f%%", name.apply(c.digit()), 100 * c.probability()))
          .collect(Collectors.joining(", "));
      out.printf(Locale.ROOT, "%s: %s (%.1f%%)   top %d: %s%n", Text.oneLine(item.file()), Text.oneLine(name.apply(p.digit())), 100 * p.probability(),
          top, candidates);
    }
  }

  /**
   * A number as one text line: the number and how sure, each digit, then what a careful reader
   * needs to know: the runner-up reading when it is unsure, and ink that was left unread.
   */
  private static String numberLine(NumberReading n) {
    String digits = n.digits().stream()
        .map(d -> String.format(Locale.ROOT, "%d %.1f%%", d.digit(), 100 * d.probability()))
        .collect(Collectors.joining(", "));
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s (%.1f%%)   digits: %s", n.number(),
        100 * n.probability(), digits));
    NumberReading second = n.unsure() ? n.runnerUp() : null;
    if (second != null) {
      line.append(String.format(Locale.ROOT, "   unsure: or %s (%.1f%%)", second.number(), 100 * second.probability()));
      if (n.otherReading() == null && n.mayHoldSlashes()) {
        line.append(", ").append(n.runnerUpWhy());
      }
    }
    if (!n.skipped().isEmpty()) {
      line.append("   not read: ").append(n.skipped().stream().map(NumberReading.Skipped::reason)
          .collect(Collectors.joining(", ")));
    }
    return line.toString();
  }

  private static void savePreprocessed(Path target, float[] input) throws IOException {
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < input.length; i++) {
      int v = Math.round(input[i] * 255);
      img.getRaster().setSample(i % 28, i / 28, 0, v);
    }
    AtomicFiles.write(target, out -> ImageIO.write(img, "png", out));
  }
}
