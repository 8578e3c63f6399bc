package dev.digits.bench;

import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.data.RealDigitSet;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import dev.digits.numbers.NumberReader;
import dev.digits.numbers.NumberReading;
import dev.digits.predict.Predictor;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * {@code tools/benchmark numbers}: how well whole numbers are read. Exact-number accuracy (every
 * digit right, none missing or extra) and per-digit accuracy (1 - edit distance / length) on:
 *
 * <ul>
 *   <li>{@code mnist}: 2-8 MNIST test digits (never training digits) at heights of 24-84 px, apart,
 *       touching or overlapping, dark on light, light on dark, or as a photo on tinted paper;
 *   <li>{@code real}: 3-5 real hand-made digits of {@code ../shared/realdigits} (read in place), each
 *       digit's ink taken from its own image and laid on one line; some turned, some blurred, some
 *       light on dark;
 *   <li>{@code fonts}: numbers typed in handwriting fonts (Debian's font packages, in
 *       {@code data/fonts}; {@code tools/benchmark numbers} fetches them), likewise;
 *   <li>{@code untuned}: the same in faces that nothing was trained or tuned on ({@code data/untuned-fonts}),
 *       8 x per-cell numbers;
 *   <li>{@code unseen}: likewise in nine more such faces ({@code data/unseen-fonts}), chosen to check
 *       what had been tuned while the untuned faces were watched;
 *   <li>{@code faint}: numbers of 4 MNIST test digits, one of them at 15-30% of the others' ink;
 *   <li>{@code ruled}: numbers of 3-6 MNIST test digits standing on a faint ruled line that touches
 *       them, level or photographed up to 3 degrees askew;
 *   <li>{@code pages}: pages of 2-6 lines of 3-7 digits (MNIST test digits, real hand-made digits
 *       or one face of {@code data/fonts} per page), lines close or well apart, unevenly indented,
 *       some pages turned up to 3 degrees, blurred, light on dark, photos or on ruled paper, one line
 *       of some pages in a faint pen, some lines with a word
 *       beside the number, some numbers in two groups a space apart ({@link PageImages}): lines read
 *       exactly, in order, and whole pages;
 *   <li>{@code shadow}: photos with a shadow across them, pages and single lines, each read evenly lit
 *       and in the shadow;
 *   <li>{@code squared}: pages and single lines on squared paper, each read also on plain paper;
 *   <li>{@code desk}: pages and single lines photographed on a dark desk (square to the camera, and
 *       as a phone takes them: turned, blurred, the sheet as small as a fifth of the photo), each
 *       read also alone;
 *   <li>{@code canvas}: pages and single lines exported from a drawing app, strokes on a transparent
 *       canvas, each read also on paper;
 *   <li>{@code boxes}: a form's fields, a digit written in each box, single fields and forms of
 *       several, each read also without the boxes;
 *   <li>{@code marks}: numbers with separators (hyphens, dots, slashes between groups of digits, as in
 *       dates and phone numbers), the digits alone the right reading;
 *   <li>the time to read a 1000x300 JPEG photo of a 6-digit number, end to end.
 * </ul>
 *
 * Options: {@code --model DIR} (default saved-model), {@code --per-cell N} images per length and
 * spacing (default 50), {@code --fonts DIR} (default data/fonts), {@code --real DIR},
 * {@code --save-failures DIR} (each image read wrong, named by what it shows and what was read),
 * {@code --parts mnist,four,real,fonts,untuned,unseen,mixed,faint,ruled,pages,shadow,squared,desk,canvas,marks,boxes,speed} (which to run; {@code four}: 4 x per-cell 4-digit numbers
 * per spacing, for the targets), {@code --seed N} (default 0; another N makes other images of the same
 * kinds, so that a change tuned on one set is checked on another), {@code --readers segmenter,line,both}
 * (which readers to compare on the same images, default both: the segmenter judged by the line reader),
 * {@code --jpeg Q} (every image of the accuracy parts saved as a JPEG of quality Q, 0.01-1, and
 * read back before it is read, as a phone's photo comes; default 0: read as made).
 */
public final class NumberBenchmark {
  private final Predictor predictor;
  /** The readers compared ({@code --readers}), by name. */
  private final Map<String, NumberReader> readers = new LinkedHashMap<>();
  private final Map<String, int[]> tally = new LinkedHashMap<>(); // key -> {images, exact, digits, digitsRight, micros}
  private final Map<String, int[]> pageTally = new LinkedHashMap<>(); // key -> {pages, whole, lines, linesRight, micros}

  /** Where to write the images read wrong ({@code --save-failures DIR}), or null. */
  private Path failures;

  /** The JPEG quality every image is saved at and read back from before it is read ({@code --jpeg Q}), or 0. */
  private float jpegQuality;
  private int failureCount;
  /** Added to every generator's seed ({@code --seed N}): other images of the same kinds, to check a change on. */
  private long seed;

  private NumberBenchmark(Predictor predictor, String readerNames) {
    this.predictor = predictor;
    for (String name : readerNames.split(",")) {
      NumberReader.Readers which = switch (name) {
        case "segmenter" -> NumberReader.Readers.SEGMENTER;
        case "line" -> NumberReader.Readers.LINE_READER;
        case "both" -> NumberReader.Readers.BOTH;
        default -> throw new IllegalArgumentException("numbers: --readers takes segmenter, line, both; got " + name);
      };
      readers.put(name, new NumberReader(predictor).using(which));
    }
  }

  public static void main(String[] argv) throws IOException {
    Map<String, String> opt = new LinkedHashMap<>(Map.of("model", "saved-model", "per-cell", "50",
        "fonts", "data/fonts", "real", RealDigitSet.DEFAULT_DIR.toString(), "data", "data", "save-failures", "", "parts", "mnist,four,real,fonts,untuned,unseen,mixed,faint,ruled,pages,shadow,squared,desk,canvas,marks,boxes,speed", "seed", "0",
        "readers", "both", "untuned-fonts", "data/untuned-fonts"));
    opt.put("jpeg", "0");
    opt.put("unseen-fonts", "data/unseen-fonts");
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--") || !opt.containsKey(argv[i].substring(2))) {
        System.err.println("numbers: unknown option " + argv[i] + "; options: --model DIR --per-cell N --fonts DIR"
            + " --real DIR --data DIR --save-failures DIR --parts mnist,four,real,fonts,untuned,unseen,mixed,faint,ruled,pages,shadow,squared,desk,canvas,marks,boxes,speed"
            + " --seed N --readers segmenter,line,both --untuned-fonts DIR --unseen-fonts DIR --jpeg Q");
        System.exit(2);
      }
      opt.put(argv[i].substring(2), argv[i + 1]);
    }
    int perCell = Integer.parseInt(opt.get("per-cell"));
    try (Predictor predictor = Predictor.load(Path.of(opt.get("model")))) {
      NumberBenchmark b = new NumberBenchmark(predictor, opt.get("readers"));
      b.seed = Long.parseLong(opt.get("seed"));
      b.jpegQuality = Float.parseFloat(opt.get("jpeg"));
      if (b.jpegQuality < 0 || b.jpegQuality > 1) {
        System.err.println("numbers: --jpeg takes a quality from 0.01 to 1 (0: off); got " + opt.get("jpeg"));
        System.exit(2);
      }
      b.failures = opt.get("save-failures").isEmpty() ? null : Files.createDirectories(Path.of(opt.get("save-failures")));
      System.out.println("model: " + predictor.modelDir());
      MnistDataset test = Mnist.load(Path.of(opt.get("data")), s -> { }).test();
      List<String> parts = List.of(opt.get("parts").split(","));
      if (parts.contains("mnist")) {
        b.mnist(test, perCell);
      }
      if (parts.contains("four")) {
        b.four(test, perCell * 4);
      }
      if (parts.contains("real")) {
        b.real(Path.of(opt.get("real")), perCell * 4);
      }
      if (parts.contains("fonts")) {
        b.fonts(Path.of(opt.get("fonts")), perCell * 4);
      }
      if (parts.contains("untuned")) {
        b.fonts(Path.of(opt.get("untuned-fonts")), perCell * 8);
      }
      if (parts.contains("unseen")) {
        b.fonts(Path.of(opt.get("unseen-fonts")), perCell * 8);
      }
      if (parts.contains("mixed")) {
        b.mixed(test, perCell * 4);
      }
      if (parts.contains("faint")) {
        b.faint(test, perCell * 4);
      }
      if (parts.contains("ruled")) {
        b.ruled(test, perCell * 4);
      }
      if (parts.contains("pages")) {
        b.pages(test, Path.of(opt.get("real")), Path.of(opt.get("fonts")), perCell * 2);
      }
      if (parts.contains("shadow")) {
        b.shadow(test, Path.of(opt.get("real")), Path.of(opt.get("fonts")), perCell * 2);
      }
      if (parts.contains("squared")) {
        b.squared(test, Path.of(opt.get("real")), Path.of(opt.get("fonts")), perCell * 2);
      }
      if (parts.contains("desk")) {
        b.desk(test, Path.of(opt.get("real")), Path.of(opt.get("fonts")), perCell * 2);
      }
      if (parts.contains("marks")) {
        b.marks(test, perCell * 3);
      }
      if (parts.contains("boxes")) {
        b.boxes(test, Path.of(opt.get("real")), perCell * 2);
      }
      if (parts.contains("canvas")) {
        b.canvas(test, Path.of(opt.get("real")), Path.of(opt.get("fonts")), perCell * 2);
      }
      if (parts.contains("speed")) {
        b.speed(test);
      }
    }
  }

  private void mnist(MnistDataset test, int perCell) {
    SplittableRandom rng = new SplittableRandom(2025 + seed);
    for (NumberImages.Spacing spacing : NumberImages.Spacing.values()) {
      for (int length = 2; length <= 8; length++) {
        for (int i = 0; i < perCell; i++) {
          NumberImages.Sample s = NumberImages.mnist(test, length, spacing, rng);
          score(s.image(), s.number(), "mnist " + spacing.name().toLowerCase(Locale.ROOT) + " length " + length,
              "mnist " + spacing.name().toLowerCase(Locale.ROOT), length == 4 ? "mnist 4 digits " + spacing.name().toLowerCase(Locale.ROOT) : null);
        }
      }
    }
    print("MNIST test digits (exact number / per digit)");
  }

  /**
   * The targets' case: 4-digit numbers of MNIST test digits, more of them than per cell above. Each
   * spacing also gets its ceiling: the share of numbers whose four digits the digit model reads
   * right when shown each alone, as its own 28x28 MNIST image (what {@code Evaluate} measures). A
   * reader that finds every digit perfectly reads no more numbers right than that.
   */
  private void four(MnistDataset test, int count) {
    SplittableRandom rng = new SplittableRandom(4444 + seed);
    for (NumberImages.Spacing spacing : NumberImages.Spacing.values()) {
      String name = "4 digits " + spacing.name().toLowerCase(Locale.ROOT);
      for (int i = 0; i < count; i++) {
        NumberImages.Sample s = NumberImages.mnist(test, 4, spacing, rng);
        score(s.image(), s.number(), name);
        readAlone(test, s, name + ", each digit alone");
      }
    }
    print("4-digit numbers of MNIST test digits, " + count + " per spacing (other images than above;"
        + " \"each digit alone\": the digit model on each digit's own MNIST image, the ceiling)");
  }

  /** Tallies {@code key} with each reader's reading of the image as a page ({@link NumberReader#readPage}). */
  private void scoreAsPage(BufferedImage image, String truth, String key) {
    for (Map.Entry<String, NumberReader> r : readers.entrySet()) {
      long start = System.nanoTime();
      String read;
      try {
        read = String.join(" ", r.getValue().readPage(image).stream().map(l -> l.reading().number()).toList());
      } catch (ImageException e) {
        read = "";
      }
      int[] t = tally.computeIfAbsent(readers.size() > 1 ? key + " [" + r.getKey() + "]" : key, k -> new int[8]);
      t[0]++;
      t[1] += read.equals(truth) ? 1 : 0;
      t[2] += truth.length();
      t[3] += Math.max(0, truth.length() - editDistance(truth, read));
      t[4] += (int) ((System.nanoTime() - start) / 1000);
      if (!read.equals(truth)) {
        saveFailure(image, r.getKey() + "-as-page-" + truth, read.replace(' ', '_'));
      }
    }
  }

  /** Tallies {@code key} with what the digit model reads in each of the sample's MNIST images alone. */
  private void readAlone(MnistDataset test, NumberImages.Sample s, String key) {
    int area = test.pixelsPerImage();
    List<float[]> inputs = new ArrayList<>();
    for (int index : s.sources()) {
      float[] pixels = new float[area];
      for (int j = 0; j < area; j++) {
        pixels[j] = (test.pixels()[index * area + j] & 0xff) / 255f;
      }
      inputs.add(pixels);
    }
    long start = System.nanoTime();
    StringBuilder read = new StringBuilder();
    for (var p : predictor.predictNormalized(inputs)) {
      read.append(p.digit());
    }
    int[] t = tally.computeIfAbsent(key, k -> new int[8]);
    t[0]++;
    t[1] += read.toString().equals(s.number()) ? 1 : 0;
    t[2] += s.number().length();
    for (int d = 0; d < read.length(); d++) {
      t[3] += read.charAt(d) == s.number().charAt(d) ? 1 : 0;
    }
    t[4] += (int) ((System.nanoTime() - start) / 1000);
  }

  /**
   * The failure modes of mixed pens: numbers of 3-6 MNIST test digits, apart, one of them written
   * unlike the rest: with a thin or faint pen, a bold one, much smaller or larger, or a thick "1".
   * A digit dropped from such a number is what people's composites of real digits showed most.
   */
  private void mixed(MnistDataset test, int count) {
    SplittableRandom rng = new SplittableRandom(606 + seed);
    String[] kinds = {"thin", "faint", "bold", "small", "large", "thick 1"};
    for (int i = 0; i < count; i++) {
      String kind = kinds[i % kinds.length];
      int length = 3 + rng.nextInt(4);
      int odd = rng.nextInt(length);
      List<NumberImages.Glyph> glyphs = new ArrayList<>();
      StringBuilder number = new StringBuilder();
      for (int k = 0; k < length; k++) {
        int index = rng.nextInt(test.count());
        while (kind.equals("thick 1") && k == odd && test.label(index) != 1) {
          index = rng.nextInt(test.count());
        }
        NumberImages.Glyph g = NumberImages.Glyph.fromMnist(test, index);
        if (kind.equals("large")) {
          glyphs.add(k == odd ? g : standingSmall(g, 0.7)); // the others smaller: one digit much larger
        } else {
          glyphs.add(k == odd ? unlike(g, kind) : g);
        }
        number.append(test.label(index));
      }
      NumberImages.Glyph line = NumberImages.line(glyphs, 40 + rng.nextInt(50), NumberImages.Spacing.APART, rng);
      NumberImages.Paper paper = NumberImages.Paper.values()[rng.nextInt(3)];
      score(NumberImages.render(line, paper, 0, 0, rng), number.toString(), "mixed all", "mixed " + kind);
    }
    print("one digit unlike the others (mixed pens and sizes), MNIST test digits apart, " + count + " images");
  }

  /**
   * One digit in a much fainter pen than the rest, as light as the {@code mixed} part's faint digit
   * and lighter: numbers of 4 MNIST test digits apart, one of them at 30%, 22%, 18% or 15% of its
   * neighbours' ink, on white paper or photographed on tinted paper. Such a digit breaks into bits at
   * the faint level, and under about 20% its ink is barely above a photo's grain.
   */
  private void faint(MnistDataset test, int count) {
    SplittableRandom rng = new SplittableRandom(707 + seed);
    float[] levels = {0.3f, 0.22f, 0.18f, 0.15f};
    for (int i = 0; i < count; i++) {
      float level = levels[i % levels.length];
      NumberImages.Paper paper = i / levels.length % 2 == 0 ? NumberImages.Paper.DARK_ON_LIGHT : NumberImages.Paper.PHOTO;
      int odd = rng.nextInt(4);
      List<NumberImages.Glyph> glyphs = new ArrayList<>();
      StringBuilder number = new StringBuilder();
      for (int k = 0; k < 4; k++) {
        int index = rng.nextInt(test.count());
        NumberImages.Glyph g = NumberImages.Glyph.fromMnist(test, index);
        glyphs.add(k == odd ? g.scaled(level) : g);
        number.append(test.label(index));
      }
      NumberImages.Glyph line = NumberImages.line(glyphs, 40 + rng.nextInt(50), NumberImages.Spacing.APART, rng);
      String where = paper == NumberImages.Paper.PHOTO ? "photographed" : "on white paper";
      score(NumberImages.render(line, paper, 0, 0, rng), number.toString(), "faint all",
          String.format(Locale.ROOT, "faint %d%%, %s", Math.round(level * 100), where));
    }
    print("one digit in a much fainter pen, 4 MNIST test digits apart, " + count + " images");
  }

  /**
   * Numbers on ruled paper: 3-6 MNIST test digits apart, standing on a faint line one or two
   * pixels thick that runs across the whole image and touches their feet; half of them turned by
   * 1-3 degrees either way, as a phone held a little askew takes them.
   */
  private void ruled(MnistDataset test, int count) {
    SplittableRandom rng = new SplittableRandom(909 + seed);
    for (int i = 0; i < count; i++) {
      List<NumberImages.Glyph> glyphs = new ArrayList<>();
      StringBuilder number = new StringBuilder();
      for (int k = 3 + rng.nextInt(4); k > 0; k--) {
        int index = rng.nextInt(test.count());
        glyphs.add(NumberImages.Glyph.fromMnist(test, index));
        number.append(test.label(index));
      }
      NumberImages.Glyph line = NumberImages.line(glyphs, 30 + rng.nextInt(60), NumberImages.Spacing.APART, rng);
      float[] ink = line.ink().clone();
      int bottom = 0;
      for (int p = 0; p < ink.length; p++) {
        bottom = ink[p] > 0.3f ? p / line.width() : bottom;
      }
      float rule = 0.35f + 0.2f * rng.nextFloat();
      for (int y = bottom + 1; y <= bottom + 1 + rng.nextInt(2); y++) {
        for (int x = 0; x < line.width(); x++) {
          ink[y * line.width() + x] = Math.max(ink[y * line.width() + x], rule);
        }
      }
      boolean turned = rng.nextBoolean();
      double degrees = turned ? (1 + 2 * rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1) : 0;
      NumberImages.Paper paper = NumberImages.Paper.values()[rng.nextInt(3)];
      BufferedImage image = NumberImages.render(new NumberImages.Glyph(line.width(), line.height(), ink), paper, degrees, 0, rng);
      score(image, number.toString(), "ruled all", turned ? "ruled, turned 1-3 degrees" : "ruled, level");
      scoreAsPage(image, number.toString(), "ruled all, each read as a page");
    }
    print("numbers on a ruled line, MNIST test digits apart, " + count + " images (also each read as a page of"
        + " one line, as --page and /v1/read of several lines read each line)");
  }

  /** A digit written unlike its neighbours. */
  private static NumberImages.Glyph unlike(NumberImages.Glyph g, String kind) {
    int w = g.width();
    int h = g.height();
    float[] ink = g.ink();
    return switch (kind) {
      case "thin" -> { // a fine pen: only the middle of each stroke
        float[] out = new float[ink.length];
        for (int i = 0; i < ink.length; i++) {
          out[i] = ink[i] > 0.85f ? ink[i] : 0f;
        }
        yield new NumberImages.Glyph(w, h, out);
      }
      case "faint" -> g.scaled(0.3f); // a pencil written lightly
      case "bold", "thick 1" -> { // a marker: every stroke grown by a pixel or two at 28 pixels high
        int r = kind.equals("bold") ? 1 : 2;
        float[] out = new float[ink.length];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            float m = 0;
            for (int dy = -r; dy <= r; dy++) {
              for (int dx = -r; dx <= r; dx++) {
                int yy = y + dy;
                int xx = x + dx;
                if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                  m = Math.max(m, ink[yy * w + xx]);
                }
              }
            }
            out[y * w + x] = m;
          }
        }
        yield new NumberImages.Glyph(w, h, out);
      }
      case "small" -> standingSmall(g, 0.55);
      default -> g;
    };
  }

  /** A digit {@code f} times the line's height, standing on the line: blank rows above it. */
  private static NumberImages.Glyph standingSmall(NumberImages.Glyph g, double f) {
    int pad = (int) Math.round(g.height() / f) - g.height();
    float[] out = new float[g.width() * (g.height() + pad)];
    System.arraycopy(g.ink(), 0, out, pad * g.width(), g.ink().length);
    return new NumberImages.Glyph(g.width(), g.height() + pad, out);
  }

  private void real(Path dir, int count) throws IOException {
    if (!Files.isDirectory(dir)) {
      System.out.println("real hand-made digits: " + dir + " not found, skipped");
      return;
    }
    List<List<NumberImages.Glyph>> byDigit = realGlyphs(dir);
    SplittableRandom rng = new SplittableRandom(7 + seed);
    for (int i = 0; i < count; i++) {
      int length = 3 + rng.nextInt(3);
      List<NumberImages.Glyph> glyphs = new ArrayList<>();
      StringBuilder number = new StringBuilder();
      for (int k = 0; k < length; k++) {
        int d = rng.nextInt(10);
        List<NumberImages.Glyph> pool = byDigit.get(d);
        glyphs.add(pool.get(rng.nextInt(pool.size())));
        number.append(d);
      }
      Styled image = styled(glyphs, rng);
      score(image.image(), number.toString(), image.keys("real", "real " + length + " digits"));
    }
    print("real hand-made digits, " + byDigit.stream().mapToInt(List::size).sum() + " images of " + dir
        + " (manifest " + RealDigitSet.version(dir) + ")");
  }

  /** The ink of each real hand-made digit of {@code dir}, by digit. */
  private static List<List<NumberImages.Glyph>> realGlyphs(Path dir) throws IOException {
    List<List<NumberImages.Glyph>> byDigit = new ArrayList<>();
    for (int d = 0; d < 10; d++) {
      byDigit.add(new ArrayList<>());
    }
    for (RealDigitSet.Item item : RealDigitSet.load(dir, 1).part("hand")) {
      NumberImages.Glyph g = NumberImages.Glyph.fromImage(ImageDecoder.decode(item.bytes()));
      if (g != null) {
        byDigit.get(item.label()).add(g);
      }
    }
    return byDigit;
  }

  private void fonts(Path dir, int count) throws IOException {
    List<Font> fonts = faces(dir);
    if (fonts.isEmpty()) {
      System.out.println("handwriting fonts: none in " + dir + ", skipped (tools/benchmark numbers fetches them)");
      return;
    }
    SplittableRandom rng = new SplittableRandom(11 + seed);
    for (int i = 0; i < count; i++) {
      Font font = fonts.get(i % fonts.size());
      int length = 3 + rng.nextInt(4);
      List<NumberImages.Glyph> glyphs = new ArrayList<>();
      StringBuilder number = new StringBuilder();
      for (int k = 0; k < length; k++) {
        int d = rng.nextInt(10);
        glyphs.add(NumberImages.Glyph.fromFont(font, (char) ('0' + d)));
        number.append(d);
      }
      Styled image = styled(glyphs, rng);
      score(image.image(), number.toString(), image.keys("fonts", "font " + font.getFontName()));
    }
    print("handwriting fonts, " + fonts.size() + " faces of " + dir);
  }

  /** The faces of the font files in {@code dir} (none when it is missing), at 96 points. */
  private static List<Font> faces(Path dir) throws IOException {
    List<Font> fonts = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".ttf") || p.toString().endsWith(".otf")).sorted().toList()) {
          try {
            fonts.add(Font.createFont(Font.TRUETYPE_FONT, f.toFile()).deriveFont(96f));
          } catch (java.awt.FontFormatException e) {
            System.out.println("fonts: " + f + " is not a TrueType font, skipped");
          }
        }
      }
    }
    return fonts;
  }

  /**
   * Pages of several lines ({@link PageImages}), a third each of MNIST test digits, real hand-made
   * digits and one handwriting face per page (the real and font pages skipped when those are
   * missing). Counts each line read exactly in its place (the longest run of the page's lines
   * found, in order, among the lines read) and each page read whole.
   */
  private void pages(MnistDataset test, Path realDir, Path fontDir, int count) throws IOException {
    List<List<NumberImages.Glyph>> real = Files.isDirectory(realDir) ? realGlyphs(realDir) : null;
    List<Font> fonts = faces(fontDir);
    SplittableRandom rng = new SplittableRandom(808 + seed);
    for (int i = 0; i < count; i++) {
      String source = new String[] {"mnist", "real", "fonts"}[i % 3];
      if (source.equals("real") && real == null || source.equals("fonts") && fonts.isEmpty()) {
        continue;
      }
      PageImages.Page page = randomPage(source, test, real, fonts, rng);
      scorePage(page, "pages all", "pages of " + source, "pages " + page.paper().name().toLowerCase(Locale.ROOT)
          .replace('_', ' '), page.turned() ? "pages turned" : null, page.blurred() ? "pages blurred" : null,
          page.close() ? "pages with lines close" : "pages with lines well apart", page.word() ? "pages with a word" : null,
          page.spaced() ? "pages with a number in two groups" : null, page.ruled() ? "pages on ruled paper" : null, page.faint() ? "pages with a line in a faint pen" : null,
          !page.word() && !page.spaced() && !page.ruled() && !page.faint() ? "pages of numbers only" : null);
    }
    printPages("pages of 2-6 lines, " + count + " pages");
  }

  /**
   * A page of 2-6 lines of 3-7 digits: MNIST test digits, real hand-made ones, or typed in one of
   * {@code fonts} ({@code source}), on paper as {@link PageImages#page} puts them.
   */
  private static PageImages.Page randomPage(String source, MnistDataset test, List<List<NumberImages.Glyph>> real,
      List<Font> fonts, SplittableRandom rng) {
    Font face = fonts.isEmpty() ? null : fonts.get(rng.nextInt(fonts.size()));
    int lineCount = 2 + rng.nextInt(5);
    List<List<NumberImages.Glyph>> lines = new ArrayList<>();
    List<String> numbers = new ArrayList<>();
    for (int l = 0; l < lineCount; l++) {
      List<NumberImages.Glyph> glyphs = new ArrayList<>();
      StringBuilder number = new StringBuilder();
      for (int k = 3 + rng.nextInt(5); k > 0; k--) {
        int index = rng.nextInt(test.count());
        int d = source.equals("mnist") ? test.label(index) : rng.nextInt(10);
        glyphs.add(switch (source) {
          case "mnist" -> NumberImages.Glyph.fromMnist(test, index);
          case "real" -> real.get(d).get(rng.nextInt(real.get(d).size()));
          default -> NumberImages.Glyph.fromFont(face, (char) ('0' + d));
        });
        number.append(d);
      }
      lines.add(glyphs);
      numbers.add(number.toString());
    }
    return PageImages.page(lines, numbers, 30 + rng.nextInt(50), face, rng);
  }

  /**
   * Photos with a shadow across them (a phone's or a hand's, 35-70% of the light; dark ink on white
   * or tinted paper): pages as the {@code pages} part makes them, and single lines of 3-6 real
   * hand-made digits (MNIST test digits without them). Each image is read twice, evenly lit and in
   * the shadow, so the shadow's cost is measured on the same images in the same run.
   */
  private void shadow(MnistDataset test, Path realDir, Path fontDir, int count) throws IOException {
    readTwice(test, realDir, fontDir, count, 5150, "photos with a shadow across", "not light on dark",
        "each read evenly lit and in the shadow", (page, real, rng) -> {
          double depth = 0.35 + 0.35 * rng.nextDouble();
          if (page.paper() != NumberImages.Paper.LIGHT_ON_DARK) {
            String deep = depth < 0.5 ? "shadow: pages, in a deep shadow (35-50%)" : "shadow: pages, in a shadow of 50-70%";
            scorePage(page, "shadow: pages, evenly lit");
            scorePage(page.withImage(NumberImages.shadowed(page.image(), depth, rng)), "shadow: pages, in a shadow", deep);
          }
          PhotoLine line = photoLine(test, real, rng);
          score(line.image(), line.number(), "shadow: lines, evenly lit");
          score(NumberImages.shadowed(line.image(), depth, rng), line.number(), "shadow: lines, in a shadow",
              depth < 0.5 ? "shadow: lines, in a deep shadow (35-50%)" : "shadow: lines, in a shadow of 50-70%");
        });
  }

  /**
   * Squared paper: pages as the {@code pages} part makes them (not light on dark, not ruled) and
   * single lines of 3-6 real hand-made digits (MNIST test digits without them), each read on plain
   * paper and on squared paper whose squares are 0.8-1.5 times the digits' height, the same images
   * otherwise, in the same run.
   */
  private void squared(MnistDataset test, Path realDir, Path fontDir, int count) throws IOException {
    readTwice(test, realDir, fontDir, count, 4848, "squared paper", "not light on dark, not ruled",
        "each read on plain and on squared paper", (page, real, rng) -> {
          double squares = 0.8 + 0.7 * rng.nextDouble();
          if (page.paper() != NumberImages.Paper.LIGHT_ON_DARK && !page.ruled()) {
            int lineHeight = page.image().getHeight() / (2 * page.lines().size() + 1); // about: margins of a line's height
            scorePage(page, "squared: pages, plain paper");
            scorePage(page.withImage(NumberImages.squared(page.image(), Math.max(8, (int) (squares * lineHeight)), rng)),
                "squared: pages, squared paper");
          }
          PhotoLine line = photoLine(test, real, rng);
          score(line.image(), line.number(), "squared: lines, plain paper");
          score(NumberImages.squared(line.image(), Math.max(8, (int) (squares * line.height())), rng), line.number(),
              "squared: lines, squared paper");
        });
  }

  /**
   * A sheet photographed on a desk: pages as the {@code pages} part makes them (not light on dark)
   * and single lines of 3-6 real hand-made digits, each read as it is, in the middle of a dark
   * frame of 8-25% of its size, and as a phone takes it ({@link NumberImages#onADeskAsPhotographed}:
   * turned 1-4 degrees, a frame of 8-60%, the light falling off across it, blurred), in the same run.
   */
  private void desk(MnistDataset test, Path realDir, Path fontDir, int count) throws IOException {
    SplittableRandom phone = new SplittableRandom(4646 + seed); // its own, so the other figures keep their images
    readTwice(test, realDir, fontDir, count, 2323, "a sheet on a desk", "not light on dark",
        "each read alone, on a dark desk, and so as a phone takes it", (page, real, rng) -> {
          double share = 0.08 + 0.17 * rng.nextDouble();
          if (page.paper() != NumberImages.Paper.LIGHT_ON_DARK) {
            scorePage(page, "desk: pages, the sheet alone");
            scorePage(page.withImage(NumberImages.onADesk(page.image(), share, rng)), "desk: pages, on a desk");
            scorePage(page.withImage(NumberImages.onADeskAsPhotographed(page.image(), phoneShare(phone), turn(phone), phone)),
                "desk: pages, on a desk, photographed");
          }
          PhotoLine line = photoLine(test, real, rng);
          score(line.image(), line.number(), "desk: lines, the sheet alone");
          score(NumberImages.onADesk(line.image(), share, rng), line.number(), "desk: lines, on a desk");
          score(NumberImages.onADeskAsPhotographed(line.image(), phoneShare(phone), turn(phone), phone), line.number(),
              "desk: lines, on a desk, photographed");
        });
  }

  /** A desk 8-60% of the sheet's size on every side: the sheet 71% of the photo down to 19%. */
  private static double phoneShare(SplittableRandom rng) {
    return 0.08 + 0.52 * rng.nextDouble();
  }

  /** A turn of 1-4 degrees either way: a sheet on a desk is seldom square to the phone. */
  private static double turn(SplittableRandom rng) {
    return (1 + 3 * rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
  }

  /**
   * Numbers written with separators, as dates and phone numbers are: 6-9 MNIST test digits in
   * groups of 2-4 ("31-12-2026", "030-1234"), between the groups a hyphen, a dot or a slash drawn
   * with a pen like the digits' ({@link NumberImages#separator}); apart, dark on light, light on
   * dark or a photo, 40-89 pixels high. The digits alone are the right reading: a separator is no digit.
   */
  private void marks(MnistDataset test, int count) {
    SplittableRandom rng = new SplittableRandom(1212 + seed);
    String[] layouts = {"DD?DD?DDDD", "DDD?DDDD", "DD?DD?DD", "DDDD?DD?DD", "DDDDD?DDDD"};
    char[] marks = {'-', '.', '/'};
    for (int i = 0; i < count; i++) {
      char mark = marks[i % marks.length];
      List<NumberImages.Glyph> glyphs = new ArrayList<>();
      StringBuilder number = new StringBuilder();
      for (char c : layouts[rng.nextInt(layouts.length)].toCharArray()) {
        if (c == '?') {
          glyphs.add(NumberImages.separator(mark, rng));
        } else {
          int index = rng.nextInt(test.count());
          glyphs.add(NumberImages.Glyph.fromMnist(test, index));
          number.append(test.label(index));
        }
      }
      NumberImages.Glyph line = NumberImages.line(glyphs, 40 + rng.nextInt(50), NumberImages.Spacing.APART, rng);
      NumberImages.Paper paper = NumberImages.Paper.values()[rng.nextInt(3)];
      String kind = switch (mark) {
        case '-' -> "marks: hyphens";
        case '.' -> "marks: dots";
        default -> "marks: slashes";
      };
      score(NumberImages.render(line, paper, 0, paper == NumberImages.Paper.PHOTO ? 0.8 : 0, rng), number.toString(),
          "marks all", kind);
    }
    print("numbers with separators (dates, phone numbers): MNIST test digits apart, the separators no digits, "
        + count + " images");
  }

  /**
   * A form's fields: digits written one in each of a row of boxes (3-8 of them, 40-90 pixels
   * square, lines 1-3 pixels thick in a printed grey), by turns MNIST test digits and real
   * hand-made digits; single fields read as a line, and forms of 2-3 fields, one under another,
   * read as a page. Each is read also without its boxes, the digits where they were, on the same
   * paper (dark on light or a photo, a third turned up to 2 degrees), in the same run.
   */
  private void boxes(MnistDataset test, Path realDir, int count) throws IOException {
    List<List<NumberImages.Glyph>> real = Files.isDirectory(realDir) ? realGlyphs(realDir) : null;
    SplittableRandom rng = new SplittableRandom(3131 + seed);
    for (int i = 0; i < count; i++) {
      boolean page = i % 2 == 1;
      boolean mnist = real == null || i % 4 < 2;
      List<List<NumberImages.Glyph>> rows = new ArrayList<>();
      List<String> numbers = new ArrayList<>();
      for (int r = page ? 2 + rng.nextInt(2) : 1; r > 0; r--) {
        List<NumberImages.Glyph> row = new ArrayList<>();
        StringBuilder number = new StringBuilder();
        for (int k = 3 + rng.nextInt(6); k > 0; k--) {
          int index = rng.nextInt(test.count());
          int d = mnist ? test.label(index) : rng.nextInt(10);
          row.add(mnist ? NumberImages.Glyph.fromMnist(test, index) : real.get(d).get(rng.nextInt(real.get(d).size())));
          number.append(d);
        }
        rows.add(row);
        numbers.add(number.toString());
      }
      NumberImages.Boxed boxed = NumberImages.boxed(rows, 40 + rng.nextInt(51), 1 + rng.nextInt(3),
          0.3f + 0.7f * rng.nextFloat(), rng);
      NumberImages.Paper paper = rng.nextBoolean() ? NumberImages.Paper.PHOTO : NumberImages.Paper.DARK_ON_LIGHT;
      double degrees = rng.nextInt(3) == 0 ? (rng.nextDouble() * 2 - 1) * 2 : 0;
      double blur = paper == NumberImages.Paper.PHOTO ? 0.8 : 0;
      long look = rng.nextLong(); // the same paper, light and grain for both
      BufferedImage with = NumberImages.render(boxed.withBoxes(), paper, degrees, blur, new SplittableRandom(look));
      BufferedImage without = NumberImages.render(boxed.withoutBoxes(), paper, degrees, blur, new SplittableRandom(look));
      String source = mnist ? "MNIST test digits" : "real hand-made digits";
      if (page) {
        PageImages.Page p = new PageImages.Page(without, numbers, paper, degrees != 0, blur > 0, false, false, false,
            false, false);
        scorePage(p, "boxes: forms, without boxes");
        scorePage(p.withImage(with), "boxes: forms, in boxes", "boxes: forms, in boxes, " + source);
      } else {
        score(without, numbers.get(0), "boxes: fields, without boxes");
        score(with, numbers.get(0), "boxes: fields, in boxes", "boxes: fields, in boxes, " + source);
      }
    }
    printPages("a form's fields, a digit in each box: forms of 2-3 fields read as pages, each read also without its boxes");
    print("a form's fields, a digit in each box: single fields read as a line, each read also without its boxes");
  }

  /**
   * Drawings exported from a drawing app: pages as the {@code pages} part makes them (plain ones:
   * not photos, not ruled) and single lines of 3-6 real hand-made digits, each read as it was drawn
   * on paper and as strokes of black or white ink on a transparent canvas, in the same run.
   */
  private void canvas(MnistDataset test, Path realDir, Path fontDir, int count) throws IOException {
    readTwice(test, realDir, fontDir, count, 7272, "drawings on a transparent canvas", "not photos, not ruled",
        "each read on paper and on a transparent canvas", (page, real, rng) -> {
          boolean white = rng.nextBoolean();
          if (page.paper() != NumberImages.Paper.PHOTO && !page.ruled()) {
            boolean lightInk = page.paper() == NumberImages.Paper.LIGHT_ON_DARK;
            scorePage(page, "canvas: pages, on paper");
            scorePage(page.withImage(NumberImages.onACanvas(page.image(), lightInk, white)),
                "canvas: pages, on a canvas", white ? "canvas: pages, white ink on a canvas" : "canvas: pages, black ink on a canvas");
          }
          PhotoLine line = photoLine(test, real, rng);
          if (line.paper() == NumberImages.Paper.DARK_ON_LIGHT) {
            score(line.image(), line.number(), "canvas: lines, on paper");
            score(NumberImages.onACanvas(line.image(), false, white), line.number(), "canvas: lines, on a canvas");
          }
        });
  }

  /** One page of a part that reads each image twice, with the real digits to make its line of, and the part's generator. */
  private interface TwiceRead {
    void read(PageImages.Page page, List<List<NumberImages.Glyph>> real, SplittableRandom rng);
  }

  /**
   * The loop of the parts that read each image two ways: {@code count} pages made as the
   * {@code pages} part makes them (by turns of MNIST, real and typed digits, from a generator seeded
   * {@code seedBase} + {@code --seed}), each handed to {@code part} with that generator; then the
   * tallies printed as {@code what}, with the pages {@code pagesKept} and the lines read {@code how}.
   */
  private void readTwice(MnistDataset test, Path realDir, Path fontDir, int count, long seedBase, String what,
      String pagesKept, String how, TwiceRead part) throws IOException {
    List<List<NumberImages.Glyph>> real = Files.isDirectory(realDir) ? realGlyphs(realDir) : null;
    List<Font> fonts = faces(fontDir);
    SplittableRandom rng = new SplittableRandom(seedBase + seed);
    for (int i = 0; i < count; i++) {
      String source = new String[] {"mnist", "real", "fonts"}[i % 3];
      if (source.equals("real") && real == null || source.equals("fonts") && fonts.isEmpty()) {
        continue;
      }
      part.read(randomPage(source, test, real, fonts, rng), real, rng);
    }
    printPages(what + ": pages of 2-6 lines (" + pagesKept + "), " + how);
    print(what + ": lines of 3-6 " + (real == null ? "MNIST test" : "real hand-made") + " digits, " + how);
  }

  /** A line photographed or drawn: its image, its number, and its digits' height in pixels. */
  private record PhotoLine(BufferedImage image, String number, int height, NumberImages.Paper paper) {}

  /**
   * A line of 3-6 real hand-made digits ({@code real}; MNIST test digits when null), 28-97 pixels
   * high, apart, dark on white or a photo on tinted paper, a third of them turned up to 3 degrees.
   */
  private static PhotoLine photoLine(MnistDataset test, List<List<NumberImages.Glyph>> real, SplittableRandom rng) {
    List<NumberImages.Glyph> glyphs = new ArrayList<>();
    StringBuilder number = new StringBuilder();
    for (int k = 3 + rng.nextInt(4); k > 0; k--) {
      int index = rng.nextInt(test.count());
      int d = real == null ? test.label(index) : rng.nextInt(10);
      glyphs.add(real == null ? NumberImages.Glyph.fromMnist(test, index) : real.get(d).get(rng.nextInt(real.get(d).size())));
      number.append(d);
    }
    int height = 28 + rng.nextInt(70);
    NumberImages.Glyph line = NumberImages.line(glyphs, height, NumberImages.Spacing.APART, rng);
    NumberImages.Paper paper = rng.nextBoolean() ? NumberImages.Paper.PHOTO : NumberImages.Paper.DARK_ON_LIGHT;
    BufferedImage image = NumberImages.render(line, paper, rng.nextInt(3) == 0 ? (rng.nextDouble() * 2 - 1) * 3 : 0,
        paper == NumberImages.Paper.PHOTO ? 0.8 : 0, rng);
    return new PhotoLine(image, number.toString(), height, paper);
  }

  /** An image of a line, and how it was put on paper, turned and blurred. */
  private record Styled(BufferedImage image, NumberImages.Paper paper, boolean turned, boolean blurred) {
    /** The tallies it counts in: {@code kind} all, by paper, turned, blurred, and one more. */
    String[] keys(String kind, String more) {
      return new String[] {kind + " all", more, kind + " " + paper.name().toLowerCase(Locale.ROOT).replace('_', ' '),
          turned ? kind + " turned" : null, blurred ? kind + " blurred" : null};
    }
  }

  /** A line of glyphs, apart, in the styles the hidden set is said to hold: turned, blurred, light on dark. */
  private static Styled styled(List<NumberImages.Glyph> glyphs, SplittableRandom rng) {
    NumberImages.Glyph line = NumberImages.line(glyphs, 28 + rng.nextInt(70), NumberImages.Spacing.APART, rng);
    NumberImages.Paper paper = NumberImages.Paper.values()[rng.nextInt(3)];
    double degrees = rng.nextInt(3) == 0 ? (rng.nextDouble() * 2 - 1) * 5 : 0;
    double blur = rng.nextInt(4) == 0 ? 0.6 + rng.nextDouble() * 1.4 : 0;
    return new Styled(NumberImages.render(line, paper, degrees, blur, rng), paper, degrees != 0, blur != 0);
  }

  private void speed(MnistDataset test) throws IOException {
    SplittableRandom rng = new SplittableRandom(3);
    List<NumberImages.Glyph> glyphs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      glyphs.add(NumberImages.Glyph.fromMnist(test, rng.nextInt(test.count())));
    }
    BufferedImage line = NumberImages.render(NumberImages.line(glyphs, 180, NumberImages.Spacing.APART, rng),
        NumberImages.Paper.PHOTO, 0, 1.0, rng);
    BufferedImage photo = new BufferedImage(1000, 300, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = photo.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(line, 0, 0, 1000, 300, null);
    g.dispose();
    byte[] jpeg = jpeg(photo);
    for (Map.Entry<String, NumberReader> r : readers.entrySet()) {
      for (int i = 0; i < 20; i++) {
        r.getValue().read(jpeg); // warm up
      }
      long[] ns = new long[50];
      for (int i = 0; i < ns.length; i++) {
        long t = System.nanoTime();
        r.getValue().read(jpeg);
        ns[i] = System.nanoTime() - t;
      }
      java.util.Arrays.sort(ns);
      System.out.printf(Locale.ROOT, "1000x300 JPEG photo of a 6-digit number (%d bytes), read end to end [%s]: median %.1f ms,"
          + " p90 %.1f ms%n", jpeg.length, r.getKey(), ns[ns.length / 2] / 1e6, ns[ns.length * 9 / 10] / 1e6);
    }
  }

  /**
   * The image as read back from a JPEG of {@code --jpeg}'s quality, or itself (no {@code --jpeg},
   * or an image with transparency, which a JPEG cannot hold).
   */
  private BufferedImage asSaved(BufferedImage img) {
    if (jpegQuality <= 0 || img.getColorModel().hasAlpha()) {
      return img;
    }
    try {
      javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
      javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(jpegQuality);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.write(null, new javax.imageio.IIOImage(img, null, null), param);
      } finally {
        writer.dispose();
      }
      return ImageIO.read(new java.io.ByteArrayInputStream(out.toByteArray()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static byte[] jpeg(BufferedImage img) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }

  /** Scores a page's reading: tallies {pages, pages whole, lines, lines right in place, micros}. */
  private void scorePage(PageImages.Page made, String... keys) {
    PageImages.Page page = made.withImage(asSaved(made.image()));
    for (Map.Entry<String, NumberReader> r : readers.entrySet()) {
      List<String> read = new ArrayList<>();
      long start = System.nanoTime();
      try {
        for (dev.digits.numbers.PageLine line : r.getValue().readPage(page.image())) {
          read.add(line.reading().number());
        }
      } catch (ImageException e) {
        // nothing read: every line missed
      }
      int micros = (int) ((System.nanoTime() - start) / 1000);
      int right = linesInPlace(page.lines(), read);
      if (!read.equals(page.lines())) {
        saveFailure(page.image(), r.getKey() + "-page-" + String.join("_", page.lines()), String.join("_", read));
      }
      for (String key : keys) {
        if (key != null) {
          int[] t = pageTally.computeIfAbsent(readers.size() > 1 ? key + " [" + r.getKey() + "]" : key, k -> new int[5]);
          t[0]++;
          t[1] += read.equals(page.lines()) ? 1 : 0;
          t[2] += page.lines().size();
          t[3] += right;
          t[4] += micros;
        }
      }
    }
  }

  /** How many of the page's lines were read exactly and in order: the longest common subsequence. */
  static int linesInPlace(List<String> truth, List<String> read) {
    int[][] best = new int[truth.size() + 1][read.size() + 1];
    for (int i = 1; i <= truth.size(); i++) {
      for (int j = 1; j <= read.size(); j++) {
        best[i][j] = truth.get(i - 1).equals(read.get(j - 1)) ? best[i - 1][j - 1] + 1
            : Math.max(best[i - 1][j], best[i][j - 1]);
      }
    }
    return best[truth.size()][read.size()];
  }

  private void printPages(String title) {
    System.out.println("== " + title);
    pageTally.entrySet().stream().sorted(java.util.Comparator.comparing((Map.Entry<String, int[]> e) -> !e.getKey().endsWith(" all"))
        .thenComparing(Map.Entry::getKey)).forEach(e -> System.out.printf(Locale.ROOT,
        "  %-46s %5d pages  read whole %5.1f%%  %5d lines  exact %5.1f%%  %6.1f ms a page%n", e.getKey(), e.getValue()[0],
        100.0 * e.getValue()[1] / e.getValue()[0], e.getValue()[2], 100.0 * e.getValue()[3] / e.getValue()[2],
        e.getValue()[4] / 1000.0 / e.getValue()[0]));
    pageTally.clear();
  }

  /** With {@code --save-failures DIR}, writes an image read wrong, named by what it shows and what was read. */
  private void saveFailure(BufferedImage image, String shows, String read) {
    if (failures == null) {
      return;
    }
    try {
      ImageIO.write(image, "png", failures.resolve(String.format(Locale.ROOT, "%04d-%s-read-%s.png", failureCount++, shows,
          read.isEmpty() ? "nothing" : read)).toFile());
    } catch (IOException e) {
      System.err.println("cannot save a failure in " + failures + ": " + e.getMessage());
    }
  }

  private void score(BufferedImage made, String truth, String... keys) {
    BufferedImage image = asSaved(made);
    for (Map.Entry<String, NumberReader> r : readers.entrySet()) {
      String read;
      boolean unsure = true;
      String second = null;
      long start = System.nanoTime();
      try {
        NumberReading reading = r.getValue().read(image);
        read = reading.number();
        unsure = reading.unsure();
        NumberReading runnerUp = unsure ? reading.runnerUp() : null;
        second = runnerUp == null ? null : runnerUp.number();
      } catch (ImageException e) {
        read = "";
      }
      int micros = (int) ((System.nanoTime() - start) / 1000);
      int distance = editDistance(truth, read);
      if (!read.equals(truth)) {
        saveFailure(image, r.getKey() + "-" + truth, read);
      }
      for (String key : keys) {
        if (key != null) {
          int[] t = tally.computeIfAbsent(readers.size() > 1 ? key + " [" + r.getKey() + "]" : key, k -> new int[8]);
          t[0]++;
          t[1] += read.equals(truth) ? 1 : 0;
          t[5] += unsure && !read.equals(truth) ? 1 : 0;
          t[6] += unsure && read.equals(truth) ? 1 : 0;
          t[7] += !read.equals(truth) && truth.equals(second) ? 1 : 0;
          t[2] += truth.length();
          t[3] += Math.max(0, truth.length() - distance);
          t[4] += micros;
        }
      }
    }
  }

  private void print(String title) {
    System.out.println("== " + title);
    // "... all" first, then the rest in order of their names.
    tally.entrySet().stream().sorted(java.util.Comparator.comparing((Map.Entry<String, int[]> e) -> !e.getKey().endsWith(" all"))
        .thenComparing(Map.Entry::getKey)).forEach(e -> {
          int[] t = e.getValue();
          System.out.printf(Locale.ROOT, "  %-46s %5d images  exact %5.1f%%  per digit %5.1f%%  %5.1f ms", e.getKey(), t[0],
              100.0 * t[1] / t[0], 100.0 * t[3] / t[2], t[4] / 1000.0 / t[0]);
          System.out.printf(Locale.ROOT, e.getKey().contains("each digit alone") || e.getKey().contains("read as a page") ? "%n"
              : "  flagged unsure: wrong %d/%d (runner-up right %d), right %d/%d%n", t[5], t[0] - t[1], t[7], t[6], t[1]);
        });
    tally.clear();
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
