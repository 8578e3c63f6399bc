package dev.digits.bench;

import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import dev.digits.model.ModelContract;
import dev.digits.numbers.NumberReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Writes the training data of the one-digit model ({@link OneDigitModel}): what {@link NumberReader}
 * offers as candidate digits on generated lines of MNIST <em>training</em> digits (never test
 * digits, which the number benchmark reads), each labelled by what it holds. A candidate that holds
 * one digit of the line, nearly all of it and little else, is labelled with that digit; one that
 * holds two digits, a part of one, or a digit and a part of its neighbour is labelled
 * {@value #NONE_NAME} (label 10); one in between is left out.
 *
 * <p>The lines are drawn as the benchmark's are ({@link NumberImages}: 24-84 px high, apart,
 * touching or overlapping, dark on light, light on dark or a photo), from other images: the
 * training split from MNIST training digits 0-54,999, the test split from 55,000-59,999. A quarter
 * of the digits are typed instead, in handwriting faces that no benchmark reads
 * ({@code data/train-fonts}: Debian's {@code fonts-ecolier-court}, {@code fonts-femkeklaver},
 * {@code fonts-kiloji}, {@code fonts-klee}, {@code fonts-leckerli-one}; the benchmark's faces and
 * the README's untuned ones are others).
 *
 * <p>Run: {@code tools/run-tool OneDigitSet OUT_DIR [LINES] [SEED] [FONTS_DIR]}
 * (default 6,000 lines, seed 1, {@code data/train-fonts}), then train on {@code OUT_DIR}:
 * {@code tools/train-one-digit-model} does both.
 */
public final class OneDigitSet {
  /** The name of the class of candidates that are not one digit. */
  static final String NONE_NAME = "none";
  public static final int NONE = NumberReader.NOT_ONE_DIGIT;
  /** At least this share of a candidate's ink is one digit's, and it holds this share of that digit's ink. */
  private static final double PURE = 0.9;
  private static final double WHOLE = 0.85;
  /** Under these, the candidate is not one digit; between these and the above, it is left out. */
  private static final double IMPURE = 0.75;
  private static final double PART = 0.6;
  /** At most this many "none" candidates per one-digit candidate of a line (most candidates are none). */
  private static final int NONE_PER_DIGIT = 2;
  /** The share of digits typed in a handwriting face rather than taken from MNIST. */
  private static final double FONT_SHARE = 0.25;

  private OneDigitSet() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: OneDigitSet OUT_DIR [LINES] [SEED] [FONTS_DIR]");
      System.exit(2);
    }
    Path out = Files.createDirectories(Path.of(args[0]));
    int lines = args.length > 1 ? Integer.parseInt(args[1]) : 6_000;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    List<NumberImages.Glyph[]> faces = fontGlyphs(Path.of(args.length > 3 ? args[3] : "data/train-fonts"));
    MnistDataset train = Mnist.load(Path.of("data"), s -> { }).train();
    IdxFiles.write(out, "train", generate(train, 0, 55_000, faces, lines, seed));
    IdxFiles.write(out, "t10k", generate(train, 55_000, 60_000, faces, lines / 10, seed + 1_000_003));
    Files.writeString(out.resolve("classes.txt"), String.join("\n", classNames()) + "\n");
  }

  static List<String> classNames() {
    List<String> names = new ArrayList<>(ModelContract.numberedClasses(ModelContract.CLASSES));
    names.add(NONE_NAME);
    return names;
  }

  /**
   * The ten digits of each handwriting face in {@code dir} ({@code .ttf}; none if it is missing).
   * They add styles MNIST lacks (a 1 with a long flag, looped 2s, open 4s) so that the model does
   * not take such a digit for a part of two.
   */
  static List<NumberImages.Glyph[]> fontGlyphs(Path dir) throws IOException {
    List<NumberImages.Glyph[]> faces = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      System.out.println("no handwriting faces in " + dir + ": MNIST digits only");
      return faces;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".ttf")).sorted().toList()) {
        try {
          java.awt.Font font = java.awt.Font.createFont(java.awt.Font.TRUETYPE_FONT, f.toFile()).deriveFont(96f);
          NumberImages.Glyph[] digits = new NumberImages.Glyph[10];
          for (int d = 0; d < 10; d++) {
            digits[d] = NumberImages.Glyph.fromFont(font, (char) ('0' + d));
          }
          faces.add(digits);
        } catch (java.awt.FontFormatException e) {
          System.out.println(f + " is not a TrueType font, skipped");
        }
      }
    }
    System.out.println(faces.size() + " handwriting faces from " + dir);
    return faces;
  }

  /**
   * Labelled candidates of {@code lines} lines of digits {@code from..to-1} of {@code set}, a
   * {@link #FONT_SHARE} of them typed in one of {@code faces} instead.
   */
  static MnistDataset generate(MnistDataset set, int from, int to, List<NumberImages.Glyph[]> faces, int lines, long seed) {
    List<List<Example>> each = IntStream.range(0, lines).parallel()
        .mapToObj(i -> line(set, from, to, faces, new SplittableRandom(seed * 1_000_003 + i))).toList();
    List<Example> all = each.stream().flatMap(List::stream).toList();
    int side = ModelContract.SIDE * ModelContract.SIDE;
    byte[] pixels = new byte[all.size() * side];
    byte[] labels = new byte[all.size()];
    int[] perLabel = new int[NONE + 1];
    for (int i = 0; i < all.size(); i++) {
      float[] input = all.get(i).input();
      for (int p = 0; p < side; p++) {
        pixels[i * side + p] = (byte) Math.round(Math.max(0, Math.min(1, input[p])) * 255);
      }
      labels[i] = (byte) all.get(i).label();
      perLabel[all.get(i).label()]++;
    }
    System.out.println(lines + " lines: " + all.size() + " candidates, per label " + Arrays.toString(perLabel));
    return new MnistDataset(pixels, labels, all.size(), ModelContract.SIDE, ModelContract.SIDE);
  }

  public record Example(float[] input, int label) {}

  private static List<Example> line(MnistDataset set, int from, int to, List<NumberImages.Glyph[]> faces,
      SplittableRandom rng) {
    int length = 2 + rng.nextInt(5);
    List<NumberImages.Glyph> glyphs = new ArrayList<>();
    int[] digits = new int[length];
    for (int i = 0; i < length; i++) {
      if (!faces.isEmpty() && rng.nextDouble() < FONT_SHARE) {
        digits[i] = rng.nextInt(10);
        glyphs.add(faces.get(rng.nextInt(faces.size()))[digits[i]]);
        continue;
      }
      int index = from + rng.nextInt(to - from);
      glyphs.add(NumberImages.Glyph.fromMnist(set, index));
      digits[i] = set.label(index);
    }
    double r = rng.nextDouble();
    NumberImages.Spacing spacing = r < 0.3 ? NumberImages.Spacing.APART
        : r < 0.7 ? NumberImages.Spacing.TOUCHING : NumberImages.Spacing.OVERLAPPING;
    NumberImages.Line line = NumberImages.laidOut(glyphs, 24 + rng.nextInt(60), spacing, rng);
    NumberImages.Paper paper = NumberImages.Paper.values()[rng.nextInt(3)];
    double blur = paper == NumberImages.Paper.PHOTO ? 0.8 : rng.nextDouble() < 0.25 ? 0.5 + rng.nextDouble() : 0;
    BufferedImage img = NumberImages.render(line.ink(), paper, 0, blur, rng);
    List<Example> ones = new ArrayList<>();
    List<Example> nones = new ArrayList<>();
    labelled(img, line, digits, ones, nones);
    List<Example> out = new ArrayList<>(ones);
    for (int i = 0; i < nones.size() && i < NONE_PER_DIGIT * Math.max(1, ones.size()); i++) {
      int j = i + rng.nextInt(nones.size() - i);
      Example e = nones.get(j);
      nones.set(j, nones.get(i));
      out.add(e);
    }
    return out;
  }

  /**
   * The number reader's candidates in {@code img}, a rendering of {@code line} (whose digits are
   * {@code digits}), sorted into those that hold one digit ({@code ones}, labelled with it) and
   * those that do not ({@code nones}).
   */
  public static void labelled(BufferedImage img, NumberImages.Line line, int[] digits, List<Example> ones, List<Example> nones) {
    int length = digits.length;
    NumberReader.CandidateInk found;
    try {
      found = NumberReader.candidateInk(new ImageDecoder.Decoded(img, img.getWidth(), img.getHeight()));
    } catch (ImageException e) {
      return;
    }
    int w = line.ink().width();
    int[] owner = grown(line.owner(), w, line.ink().height(), 2);
    double[] total = mass(found.lineInk(), owner, w, length);
    for (int c = 0; c < found.inputs().size(); c++) {
      double[] m = mass(found.inks().get(c), owner, w, length);
      double sum = Arrays.stream(m).sum();
      int best = 0;
      for (int g = 1; g < length; g++) {
        best = m[g] > m[best] ? g : best;
      }
      double purity = sum == 0 ? 0 : m[best] / sum;
      double whole = total[best] == 0 ? 0 : m[best] / total[best];
      if (purity >= PURE && whole >= WHOLE) {
        ones.add(new Example(found.inputs().get(c), digits[best]));
      } else if (purity < IMPURE || whole < PART) {
        nones.add(new Example(found.inputs().get(c), NONE));
      }
    }
  }

  /** Ink per owner (index {@code digits} for ink no digit owns) of (x, y, value) triples. */
  private static double[] mass(float[] ink, int[] owner, int w, int digits) {
    double[] m = new double[digits + 1];
    int h = owner.length / w;
    for (int i = 0; i + 2 < ink.length; i += 3) {
      int x = (int) ink[i];
      int y = (int) ink[i + 1];
      int o = x >= 0 && y >= 0 && x < w && y < h ? owner[y * w + x] : -1;
      m[o < 0 ? digits : o] += ink[i + 2];
    }
    return m;
  }

  /** The owner map grown by {@code steps} pixels into unowned pixels (blur spreads the ink). */
  private static int[] grown(int[] owner, int w, int h, int steps) {
    int[] o = owner.clone();
    for (int s = 0; s < steps; s++) {
      int[] next = o.clone();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          if (o[y * w + x] >= 0) {
            continue;
          }
          for (int d = 0; d < 4 && next[y * w + x] < 0; d++) {
            int qx = x + (d == 0 ? 1 : d == 1 ? -1 : 0);
            int qy = y + (d == 2 ? 1 : d == 3 ? -1 : 0);
            if (qx >= 0 && qy >= 0 && qx < w && qy < h && o[qy * w + qx] >= 0) {
              next[y * w + x] = o[qy * w + qx];
            }
          }
        }
      }
      o = next;
    }
    return o;
  }
}
