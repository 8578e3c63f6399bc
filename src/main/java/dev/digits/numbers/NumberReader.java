package dev.digits.numbers;

import static dev.digits.numbers.DigitGrouping.candidates;
import static dev.digits.numbers.DigitGrouping.group;
import static dev.digits.numbers.InkPieces.components;
import static dev.digits.numbers.InkPieces.crop;
import static dev.digits.numbers.DrawnLines.eraseLongLines;
import static dev.digits.numbers.FaintInk.evenOutInk;
import static dev.digits.numbers.InkPieces.joinFragments;
import static dev.digits.numbers.InkPieces.lineHeight;
import static dev.digits.numbers.InkPieces.withoutSpecks;
import static dev.digits.numbers.PieceCutter.cut;
import static dev.digits.numbers.PieceCutter.toCut;
import static dev.digits.numbers.Tuning.LONG_LINE;
import static dev.digits.numbers.Tuning.MAX_PIECES;
import static dev.digits.numbers.Tuning.WORK_SIDE;

import dev.digits.imaging.Box;
import dev.digits.imaging.BroadStroke;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.GrayImage;
import dev.digits.imaging.Greyscale;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import dev.digits.imaging.PaperLight;
import dev.digits.predict.Prediction;
import dev.digits.predict.Predictor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Finds and reads the digits of one line of digits: a house number, a meter, "2025" drawn on a
 * canvas. The ink is found exactly as for a single digit ({@link DigitPreprocessor#ink}), then:
 *
 * <ol>
 *   <li>a slanted line is sheared upright ({@link LineSlant});
 *   <li>each piece of ink gets its own contrast (a digit written with a finer pen beside bold
 *       ones); a piece fainter than any stroke is kept only when the one-digit model is sure it
 *       is a digit (else it is shading);
 *   <li>connected pieces of ink are labelled, each with the faint fringe around it, and the dots
 *       of a hairline stroke are joined into one piece;
 *   <li>lines much longer than a digit (an underline, a strike-through) are erased;
 *   <li>specks and dots (small pieces away from any digit) and a short underline are dropped;
 *   <li>pieces wider than a digit are cut along paths of least ink: where digits touch; so are
 *       narrower pieces that the one-digit model doubts are one digit (a "1" against its
 *       neighbour is as wide as one digit);
 *   <li>the pieces, left to right, are grouped into digits by the classifier itself: every run of
 *       neighbouring pieces that could be one digit is read, and the grouping whose digits the
 *       model is most sure of wins (a detached bar of a 5 joins its body because "5" is read far
 *       more surely than a bar and a hook). Where a piece was cut, the one-digit model
 *       ({@link OneDigitJudge}: the ten digits and "none", trained on what this class
 *       cuts out of lines of MNIST training digits) also says how likely each grouping of its
 *       slices is one digit: the classifier reads two touching digits as one sure "0" or "8" as
 *       readily as each alone, the one-digit model does not;
 *   <li>each digit goes through the single-digit path (fit into 20x20, centre of mass to the centre).
 * </ol>
 *
 * <p>Every piece that is not read as part of a digit is reported with its reason
 * ({@link NumberReading#skipped}); a length hint ({@link #withLength}) makes the grouping return
 * the best reading of that many digits; {@link #readPage} reads a sheet line by line.
 *
 * <p>All sizes are relative to the line's height (the median height of its large pieces), so the
 * same rules work for a 28-pixel strip and a 4000-pixel photo.
 */
public final class NumberReader {
  /** JPEG photos of numbers are decoded at about this size: wide, so that every digit keeps detail. */
  private static final int DECODE_SIDE = 1600;

  /** The one-digit model's class for candidates that are not one digit (its training data needs it). */
  public static final int NOT_ONE_DIGIT = OneDigitJudge.NOT_ONE_DIGIT;

  /** Which reader reads a line: the segmenter, the line reader, or the segmenter judged by the line reader (the default). */
  public enum Readers { SEGMENTER, LINE_READER, BOTH }

  private final Predictor digits;
  private final int length;
  private final Readers readers;

  /**
   * A reader that reads each digit with {@code digits} (any model of the ten digits: the bundled
   * one, a fine-tuned one). It holds nothing else: make one wherever it is needed.
   *
   * @throws IllegalArgumentException when the model does not read the ten digits
   */
  public NumberReader(Predictor digits) {
    this(digits, 0, Readers.BOTH);
  }

  private NumberReader(Predictor digits, int length, Readers readers) {
    if (!digits.readsDigits()) {
      throw new IllegalArgumentException(digits.modelDir() + " reads " + digits.classCount() + " classes "
          + digits.classNames() + ", not the ten digits; reading numbers needs a digit model");
    }
    this.digits = digits;
    this.length = length;
    this.readers = readers;
  }

  /** A reader that reads with {@code readers} (to compare them; the default, {@link Readers#BOTH}, reads best). */
  public NumberReader using(Readers readers) {
    return new NumberReader(digits, length, readers);
  }

  /**
   * A reader that returns the best reading of exactly {@code digitCount} digits (a postcode has
   * five, a year four), or of any length when no grouping of the ink gives that many; 0 for any length.
   */
  public NumberReader withLength(int digitCount) {
    if (digitCount < 0 || digitCount > 64) {
      throw new IllegalArgumentException("a number's length is 1 to 64 digits (0 for any), got " + digitCount);
    }
    return new NumberReader(digits, digitCount, readers);
  }

  /** Reads a whole number in an image file (see {@link #read(BufferedImage)}). */
  public NumberReading read(Path file) {
    return read(ImageDecoder.readFile(file));
  }

  /** Reads a whole number in an encoded image (PNG, JPEG, ...); boxes refer to the image as displayed. */
  public NumberReading read(byte[] encodedImage) {
    return read(evenlyLit(ImageDecoder.decode(encodedImage, DECODE_SIDE)));
  }

  /**
   * Reads a whole number: finds the digits of one line of digits (dark on light or light on dark,
   * photo or drawing; digits may touch or be in pieces; specks, dots and underlines are ignored)
   * and reads each as {@link Predictor#predict(BufferedImage)} reads a single digit. The first
   * number read in a process also loads the one-digit model from the jar (0.1-0.2 s, once).
   *
   * @throws dev.digits.imaging.ImageException "no digits found" when there is no ink, or only marks
   *     (every piece left out: a dash, a dot, an underline), or the image is not one line of digits
   */
  public NumberReading read(BufferedImage image) {
    return read(evenlyLit(new ImageDecoder.Decoded(image, image.getWidth(), image.getHeight())));
  }

  /**
   * Reads a page: each line of digits in a photo or scan of a sheet, top to bottom (a page with one
   * line gives one). Boxes are in the page's pixels; a band of ink without digits is not a line.
   *
   * @throws ImageException "no digits found" when no line holds digits
   */
  public List<PageLine> readPage(byte[] encodedImage) {
    return page(ImageDecoder.decode(encodedImage, DECODE_SIDE));
  }

  /** {@link #readPage(byte[])} of an image file. */
  public List<PageLine> readPage(Path file) {
    return readPage(ImageDecoder.readFile(file));
  }

  /** {@link #readPage(byte[])} of a decoded image. */
  public List<PageLine> readPage(BufferedImage image) {
    return page(new ImageDecoder.Decoded(image, image.getWidth(), image.getHeight()));
  }

  /**
   * Reads an image of one line or of several: one line is read whole, exactly as {@link #read(byte[])}
   * reads it (one entry, the whole image its box); several are read as {@link #readPage(byte[])}.
   */
  public List<PageLine> readLines(byte[] encodedImage) {
    ImageDecoder.Decoded decoded = evenlyLit(ImageDecoder.decode(encodedImage, DECODE_SIDE));
    PageLayout.Layout layout = PageLayout.of(decoded);
    if (layout.lines().size() < 2) {
      return List.of(new PageLine(read(decoded), new Box(0, 0, decoded.width(), decoded.height())));
    }
    return page(decoded, layout);
  }

  private List<PageLine> page(ImageDecoder.Decoded image) {
    ImageDecoder.Decoded decoded = evenlyLit(image);
    return page(decoded, PageLayout.of(decoded));
  }

  /**
   * The image with a photo's uneven light divided out ({@link PaperLight}), first, so that every
   * step after it, and every strip of a page cut out to be read, sees evenly lit paper; and a
   * drawing's transparency (which PaperLight leaves alone) put on a background that contrasts with
   * its ink ({@link Greyscale#opaque}), so that the strips of a page cut out of it keep their ink.
   */
  private static ImageDecoder.Decoded evenlyLit(ImageDecoder.Decoded decoded) {
    BufferedImage even = Greyscale.opaque(PaperLight.evenedOut(decoded.image()));
    return even == decoded.image() ? decoded : new ImageDecoder.Decoded(even, decoded.width(), decoded.height());
  }

  private List<PageLine> page(ImageDecoder.Decoded decoded, PageLayout.Layout layout) {
    List<PageLine> lines = PageReader.read(this, decoded, layout);
    if (lines.isEmpty()) {
      throw ImageException.noDigit("no digits found (no line of the page holds digits)");
    }
    return lines;
  }

  /** Reads one line of an image already decoded (a page's strip). */
  NumberReading read(ImageDecoder.Decoded decoded) {
    Line line = find(decoded, true);
    DigitGrouping.Grouping grouping = group(digits, line, length);
    List<Candidate> chosen = grouping.chosen();
    List<List<float[]>> inputs = new ArrayList<>();
    for (Candidate c : chosen) {
      List<float[]> in = new ArrayList<>(DigitPreprocessor.modelInputs(c.crop(), false));
      float[] thin = BroadStroke.thinnedIfThick(in.get(0)); // a broad marker's bar of a "1"
      if (thin != null) {
        in.add(0, thin);
      }
      inputs.add(in);
    }
    List<Prediction> predictions = digits.predictEach(inputs);
    List<NumberReading.Digit> read = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      read.add(new NumberReading.Digit(predictions.get(i), boxInImage(chosen.get(i), line, decoded)));
    }
    NumberReading segmenters = reading(line, grouping, read, decoded, List.of());
    NumberReading reading = readers == Readers.SEGMENTER ? segmenters : withLineReader(line, grouping, segmenters, decoded);
    if (reading.digits().isEmpty()) { // every piece of ink was left out as a mark: no number, not an empty one
      throw ImageException.noDigit("no digits found (only marks: " + reading.skipped().stream()
          .map(NumberReading.Skipped::reason).distinct().collect(java.util.stream.Collectors.joining("; ")) + ")");
    }
    return reading;
  }

  /**
   * The line reader's say ({@link WholeLine}): with {@link Readers#BOTH} it replaces the
   * segmenter's reading where it is far surer, and where the two disagree the reading is unsure
   * and the other reader's reading is its runner-up (that caught every wrong reading of
   * overlapping digits on the benchmark, at the price of flagging more right ones); with
   * {@link Readers#LINE_READER} its reading is the answer whenever it reads anything.
   */
  private NumberReading withLineReader(Line line, DigitGrouping.Grouping grouping, NumberReading segmenters,
      ImageDecoder.Decoded decoded) {
    String segmented = segmenters.number();
    WholeLine.Opinion o = WholeLine.opinion(line, grouping.chosen(), grouping.leftOut());
    boolean reads = o != null && !o.reading().isEmpty() && (length == 0 || o.reading().length() == length);
    if (readers == Readers.LINE_READER) {
      return reads ? lineReadersReading(line, grouping, o, decoded) : segmenters;
    }
    if (WholeLine.prefersOwn(o, segmented, grouping.chosen(), length)) {
      return lineReadersReading(line, grouping, o, decoded).withOtherReading(segmenters);
    }
    if (o != null && !o.reading().isEmpty() && !o.reading().equals(segmented)) {
      return segmenters.withOtherReading(lineReadersReading(line, grouping, o, decoded));
    }
    return segmenters;
  }

  /**
   * The line reader's reading: each digit with its box (its ink within the columns that spell it);
   * a piece the segmenter had dropped and the line reader reads as (part of) a digit is no longer skipped.
   */
  private static NumberReading lineReadersReading(Line line, DigitGrouping.Grouping grouping, WholeLine.Opinion o,
      ImageDecoder.Decoded decoded) {
    List<NumberReading.Digit> digits = new ArrayList<>();
    List<Piece> read = new ArrayList<>();
    for (WholeLine.Spelt s : WholeLine.spelt(o)) {
      Candidate c = WholeLine.candidate(line, o, s);
      digits.add(new NumberReading.Digit(WholeLine.prediction(s, c), boxInImage(c, line, decoded)));
      for (InkPieces.Dropped d : line.dropped()) {
        if (d.beside() && s.spelt(d.piece().centre() - o.box().x())) {
          read.add(d.piece());
        }
      }
      for (Piece p : grouping.leftOut()) {
        if (s.spelt(p.centre() - o.box().x())) {
          read.add(p);
        }
      }
    }
    return reading(line, grouping, digits, decoded, read);
  }

  /** Loads the one-digit model and the line reader now, so that the first number read does not wait for them (servers). */
  public static void warmUp() {
    OneDigitJudge.model();
    LineReaderModel.model();
  }

  /** One way to read a run of pieces as a digit: its pieces, box and ink, and whether it holds a piece that was cut. */
  record Candidate(int from, int to, Box box, GrayImage crop, boolean holdsCut) {}

  /**
   * A line of digits as found: its ink (sheared upright), the labelled pieces left to right, the
   * line height, how the line was sheared and how far its pixels are from the image's, and every
   * run of pieces that could be one digit.
   */
  record Line(GrayImage g, int[] label, List<Piece> pieces, double h, LineSlant slant, double sx, double sy,
      List<Candidate> candidates, List<InkPieces.Dropped> dropped) {}

  private static NumberReading reading(Line line, DigitGrouping.Grouping grouping, List<NumberReading.Digit> digits,
      ImageDecoder.Decoded decoded, List<Piece> readAfterAll) {
    // Every piece of ink that is no digit's is listed with the reason, never dropped in silence.
    List<NumberReading.Skipped> skipped = new ArrayList<>();
    for (InkPieces.Dropped d : line.dropped()) {
      if (readAfterAll.contains(d.piece())) {
        continue;
      }
      skipped.add(new NumberReading.Skipped(pieceInImage(d.piece(), line, decoded), d.reason()));
    }
    for (Piece p : grouping.leftOut()) {
      if (readAfterAll.contains(p)) {
        continue;
      }
      skipped.add(new NumberReading.Skipped(pieceInImage(p, line, decoded), "a low mark left out (a hyphen, a stroke)"));
    }
    skipped.sort(Comparator.comparingInt(k -> k.box().x()));
    return new NumberReading(List.copyOf(digits), List.copyOf(skipped), decoded.width(), decoded.height());
  }

  /** A piece's box in the decoded image's pixels, before any shear. */
  private static Box pieceInImage(Piece p, Line line, ImageDecoder.Decoded decoded) {
    double x0 = Math.min(line.slant().originalX(p.x0, p.y0), line.slant().originalX(p.x0, p.y1));
    double x1 = Math.max(line.slant().originalX(p.x1, p.y0), line.slant().originalX(p.x1, p.y1));
    int x = Math.max(0, (int) Math.floor(x0 * line.sx()));
    int y = Math.max(0, (int) Math.floor(p.y0 * line.sy()));
    int xe = Math.min(decoded.width(), (int) Math.ceil((x1 + 1) * line.sx()));
    int ye = Math.min(decoded.height(), (int) Math.ceil((p.y1 + 1) * line.sy()));
    return new Box(x, y, Math.max(1, xe - x), Math.max(1, ye - y));
  }

  /**
   * Finds the line's ink and pieces, and the candidate digits among them (steps 1-5 above);
   * with {@code judge}, the one-digit model says which pieces narrower than a digit are cut
   * (not while that model's own training data is made: then only pieces wider than a digit are cut).
   */
  static Line find(ImageDecoder.Decoded decoded, boolean judge) {
    BufferedImage image = decoded.image();
    int f = Greyscale.shrinkFactor(image.getWidth(), image.getHeight(), WORK_SIDE);
    GrayImage grey = Greyscale.of(image, WORK_SIDE);
    GrayImage dark = DrawnLines.darkness(grey);
    GrayImage ink = DigitPreprocessor.ink(grey, Set.of(), true);
    if (DrawnLines.eraseUprightLines(ink, dark)) { // squared paper's columns, before they make the writing look upright
      DrawnLines.eraseLevelLines(ink, dark); // and its rows, where thin: a stroke along one keeps its ink
    } else {
      DrawnLines.eraseBoxWalls(ink); // a form's boxes, one for each digit
    }
    LineSlant slant = LineSlant.of(ink);
    GrayImage g = slant.apply(ink);
    int[] label = new int[g.v.length];
    List<Piece> leftFaint = evenOutInk(g, label, judge);
    List<Piece> comps = components(g, label);
    double h = lineHeight(comps, label, g.width);
    int longLine = (int) Math.ceil(LONG_LINE * h);
    if (eraseLongLines(g, longLine, comps.stream().anyMatch(c -> c.width() > longLine))) {
      Arrays.fill(label, 0);
      comps = components(g, label);
      h = lineHeight(comps, label, g.width);
    }
    comps = joinFragments(g, label, comps, h);
    List<InkPieces.Dropped> dropped = new ArrayList<>();
    for (Piece p : leftFaint) {
      dropped.add(new InkPieces.Dropped(p, "faint ink that the one-digit model takes for no digit", false));
    }
    List<Piece> kept = withoutSpecks(comps, h, dropped, g, label, judge);
    boolean[] toCut = toCut(kept, g, label, h, judge);
    List<Piece> pieces = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      pieces.addAll(toCut[i] ? cut(kept.get(i), g, label, h) : List.of(kept.get(i)));
    }
    if (pieces.isEmpty()) {
      throw ImageException.noDigit("no digits found (nothing stands out from the background)");
    }
    if (pieces.size() > MAX_PIECES) {
      throw new ImageException("too many pieces of ink (" + pieces.size() + ") for a line of digits: crop the"
          + " image to the number");
    }
    pieces.sort(Comparator.comparingDouble(Piece::centre));
    return new Line(g, label, pieces, h, slant, decoded.scaleX() * f, decoded.scaleY() * f,
        candidates(pieces, g, label, h), dropped);
  }

  /** A candidate's box in the decoded image's pixels: around its ink, before any shear. */
  static Box boxInImage(Candidate c, Line line, ImageDecoder.Decoded decoded) {
    Box b = boxBeforeShear(c, line.slant());
    int x = Math.max(0, (int) Math.floor(b.x() * line.sx()));
    int y = Math.max(0, (int) Math.floor(b.y() * line.sy()));
    int x1 = Math.min(decoded.width(), (int) Math.ceil((b.x1() + 1) * line.sx()));
    int y1 = Math.min(decoded.height(), (int) Math.ceil((b.y1() + 1) * line.sy()));
    return new Box(x, y, x1 - x, y1 - y);
  }

  /**
   * What training the one-digit model needs to know of a line (see {@code OneDigitSet} in
   * {@code src/bench/java}): each candidate's model input, and the ink of each candidate and of the whole
   * line as (x, y, value) triples in the decoded image's pixels, so that the generator that drew
   * the line can say which of its digits each candidate holds.
   */
  public record CandidateInk(List<float[]> inputs, List<float[]> inks, float[] lineInk) {}

  public static CandidateInk candidateInk(ImageDecoder.Decoded decoded) {
    Line line = find(decoded, false);
    List<float[]> inputs = new ArrayList<>();
    List<float[]> inks = new ArrayList<>();
    for (Candidate c : line.candidates()) {
      inputs.add(DigitPreprocessor.modelInputs(c.crop(), true).get(0));
      inks.add(inkInImage(c.crop(), c.box().x(), c.box().y(), line));
    }
    Box all = new Box(0, 0, line.g().width, line.g().height);
    GrayImage whole = crop(line.g(), line.label(), line.pieces(), all);
    return new CandidateInk(inputs, inks, inkInImage(whole, 0, 0, line));
  }

  static float[] inkInImage(GrayImage crop, int x0, int y0, Line line) {
    float[] out = new float[3 * crop.v.length];
    int n = 0;
    for (int y = 0; y < crop.height; y++) {
      for (int x = 0; x < crop.width; x++) {
        float v = crop.v[y * crop.width + x];
        if (v > 0f) {
          out[n++] = (float) ((line.slant().originalX(x0 + x, y0 + y) + 0.5) * line.sx());
          out[n++] = (float) ((y0 + y + 0.5) * line.sy());
          out[n++] = v;
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** A digit's box in the line as it was before it was sheared upright: around its ink. */
  static Box boxBeforeShear(Candidate c, LineSlant slant) {
    Box b = c.box();
    if (slant.upright()) {
      return b;
    }
    GrayImage crop = c.crop();
    double x0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    for (int y = 0; y < crop.height; y++) {
      for (int x = 0; x < crop.width; x++) {
        if (crop.v[y * crop.width + x] > 0f) {
          double at = slant.originalX(b.x() + x, b.y() + y);
          x0 = Math.min(x0, at);
          x1 = Math.max(x1, at);
        }
      }
    }
    return x1 < x0 ? b : Box.corners((int) Math.floor(x0), b.y(), (int) Math.ceil(x1), b.y1());
  }
}
