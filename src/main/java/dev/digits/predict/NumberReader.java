package dev.digits.predict;

import java.awt.image.BufferedImage;
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
 *       ({@link Predictor#oneDigitModel()}: the ten digits and "none", trained on what this class
 *       cuts out of lines of MNIST training digits) also says how likely each grouping of its
 *       slices is one digit: the classifier reads two touching digits as one sure "0" or "8" as
 *       readily as each alone, the one-digit model does not;
 *   <li>each digit goes through the single-digit path (fit into 20x20, centre of mass to the centre).
 * </ol>
 *
 * <p>All sizes are relative to the line's height (the median height of its large pieces), so the
 * same rules work for a 28-pixel strip and a 4000-pixel photo.
 */
final class NumberReader {
  /** The lowest ink level that counts when each digit's own contrast is found. */
  private static final float FAINT = 0.15f;
  /** A faint piece is given a stroke's contrast only if it reaches this somewhere (else it is shading). */
  private static final float STROKE = 0.35f;
  /** JPEG photos of numbers are decoded at about this size: wide, so that every digit keeps detail. */
  static final int DECODE_SIDE = 1600;
  /** The longer side the ink is found at: plenty for a line of digits, and fast. */
  static final int WORK_SIDE = 800;
  /** A line of more pieces than this is not a number (a page of text, a texture). */
  static final int MAX_PIECES = 120;

  // All relative to the line height H.
  /** At most this many pieces (of {@link #CUT_STEP} or more) make one digit. */
  private static final int MAX_PIECES_PER_DIGIT = 14;
  /** Where cuts through a wide piece start: every this many line heights. */
  private static final double CUT_STEP = 0.12;
  /** A piece wider than this may be digits that touch, and is offered cut. */
  private static final double SPLIT_WIDTH = 0.95;
  /**
   * A piece narrower than that but wider than this may still be two digits that touch (a "1"
   * against its neighbour is as wide as one digit), and is offered cut when the one-digit model
   * doubts that it is one digit.
   */
  private static final double MAY_BE_TWO_WIDTH = 0.55;
  /** A group of pieces wider than this is not read as one digit. */
  private static final double MAX_DIGIT_WIDTH = 1.6;
  /** Pieces further apart than this are never one digit. */
  private static final double MAX_GAP = 0.3;
  /** A piece under this size (both sides) away from any digit is a speck or a dot. */
  private static final double DOT = 0.35;
  /** Separate pieces grouped wider than this are penalized, by this much per line height. */
  private static final double WIDE = 1.0;
  private static final double WIDE_COST = 8;
  /** A horizontal run of ink longer than this is a line, not part of a digit. */
  private static final double LONG_LINE = 2.5;

  /** The one-digit model's class of candidates that are not one digit. */
  static final int NOT_ONE_DIGIT = 10;
  /**
   * How much the one-digit model's log-probability counts beside the classifier's. Measured
   * ({@code tools/benchmark numbers --parts four,real,fonts --per-cell 50 --seed 0}), 4 touching
   * MNIST digits: 87.0% at 1, 89.0% at 1.5 and at 2; real hand-made and fonts the same at all three
   * (before narrower pieces were offered cut).
   */
  private static final double ONE_DIGIT_WEIGHT = 1.5;

  private NumberReader() {}

  /**
   * A piece of ink: the pixels of one component that lie, row by row, between two cut paths
   * ({@code left[row] <= x < right[row]}, rows counted from the component's top {@code top}); a
   * whole component has no paths (null).
   */
  private static final class Piece {
    final int comp;
    final int top;
    final int[] left;
    final int[] right;
    int x0 = Integer.MAX_VALUE;
    int y0 = Integer.MAX_VALUE;
    int x1 = -1;
    int y1 = -1;
    int area;
    /** The width of the whole component the piece was cut from. */
    int compWidth;
    /** How many strokes the cut on this piece's left crosses (0 for an uncut left edge). */
    int strokesCut;
    /** The pieces cut from the same component just left and right of this one, or null. */
    Piece before;
    Piece after;

    Piece(int comp, int top, int[] left, int[] right) {
      this.comp = comp;
      this.top = top;
      this.left = left;
      this.right = right;
    }

    boolean holds(int x, int y) {
      return (left == null || x >= left[y - top]) && (right == null || x < right[y - top]);
    }

    int width() {
      return x1 - x0 + 1;
    }

    int height() {
      return y1 - y0 + 1;
    }

    double centre() {
      return (x0 + x1) / 2.0;
    }
  }

  /** One way to read a run of pieces as a digit: its pieces, box and ink, and whether it holds a piece that was cut. */
  private record Candidate(int from, int to, int[] box, GrayImage crop, boolean holdsCut) {}

  /**
   * A line of digits as found: its ink (sheared upright), the labelled pieces left to right, the
   * line height, how the line was sheared and how far its pixels are from the image's, and every
   * run of pieces that could be one digit.
   */
  private record Line(GrayImage g, int[] label, List<Piece> pieces, double h, LineSlant slant, double sx, double sy,
      List<Candidate> candidates) {}

  static NumberReading read(Predictor predictor, ImageDecoder.Decoded decoded) {
    if (!predictor.readsDigits()) {
      throw new IllegalArgumentException(predictor.modelDir() + " reads " + predictor.classCount() + " classes "
          + predictor.classNames() + ", not the ten digits; reading numbers needs a digit model");
    }
    Line line = find(decoded, predictor.oneDigitModel());
    List<Candidate> chosen = group(predictor, line);
    List<List<float[]>> inputs = new ArrayList<>();
    for (Candidate c : chosen) {
      inputs.add(DigitPreprocessor.modelInputs(c.crop(), false));
    }
    List<Prediction> predictions = predictor.predictEach(inputs);
    List<NumberReading.Digit> digits = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      digits.add(new NumberReading.Digit(predictions.get(i), boxInImage(chosen.get(i), line, decoded)));
    }
    return new NumberReading(List.copyOf(digits), decoded.width(), decoded.height());
  }

  /**
   * Finds the line's ink and pieces, and the candidate digits among them (steps 1-5 above);
   * {@code judge} is the one-digit model that says which pieces narrower than a digit are cut
   * (null while that model's own training data is made: only pieces wider than a digit are cut).
   */
  private static Line find(ImageDecoder.Decoded decoded, Predictor judge) {
    BufferedImage image = decoded.image();
    int f = DigitPreprocessor.shrinkFactor(image.getWidth(), image.getHeight(), WORK_SIDE);
    GrayImage ink = DigitPreprocessor.ink(DigitPreprocessor.greyscale(image, WORK_SIDE), Set.of(), true);
    LineSlant slant = LineSlant.of(ink);
    GrayImage g = slant.apply(ink);
    int[] label = new int[g.v.length];
    evenOutInk(g, label);
    List<Piece> comps = components(g, label);
    double h = lineHeight(comps, label, g.width);
    if (eraseLongLines(g, (int) Math.ceil(LONG_LINE * h))) {
      Arrays.fill(label, 0);
      comps = components(g, label);
      h = lineHeight(comps, label, g.width);
    }
    comps = joinFragments(g, label, comps, h);
    List<Piece> kept = withoutSpecks(comps, h);
    boolean[] toCut = toCut(kept, g, label, h, judge);
    List<Piece> pieces = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      pieces.addAll(toCut[i] ? cut(kept.get(i), g, label, h) : List.of(kept.get(i)));
    }
    if (pieces.isEmpty()) {
      throw new ImageException("no digits found (nothing stands out from the background)");
    }
    if (pieces.size() > MAX_PIECES) {
      throw new ImageException("too many pieces of ink (" + pieces.size() + ") for a line of digits: crop the"
          + " image to the number");
    }
    pieces.sort(Comparator.comparingDouble(Piece::centre));
    return new Line(g, label, pieces, h, slant, decoded.scaleX() * f, decoded.scaleY() * f,
        candidates(pieces, g, label, h));
  }

  /** A candidate's box in the decoded image's pixels: around its ink, before any shear. */
  private static NumberReading.Box boxInImage(Candidate c, Line line, ImageDecoder.Decoded decoded) {
    int[] b = boxBeforeShear(c, line.slant());
    int x = Math.max(0, (int) Math.floor(b[0] * line.sx()));
    int y = Math.max(0, (int) Math.floor(b[1] * line.sy()));
    int x1 = Math.min(decoded.width(), (int) Math.ceil((b[2] + 1) * line.sx()));
    int y1 = Math.min(decoded.height(), (int) Math.ceil((b[3] + 1) * line.sy()));
    return new NumberReading.Box(x, y, x1 - x, y1 - y);
  }

  /**
   * What training the one-digit model needs to know of a line (see {@code OneDigitSet} in the
   * test sources): each candidate's model input, and the ink of each candidate and of the whole
   * line as (x, y, value) triples in the decoded image's pixels, so that the generator that drew
   * the line can say which of its digits each candidate holds.
   */
  record CandidateInk(List<float[]> inputs, List<float[]> inks, float[] lineInk) {}

  static CandidateInk candidateInk(ImageDecoder.Decoded decoded) {
    Line line = find(decoded, null);
    List<float[]> inputs = new ArrayList<>();
    List<float[]> inks = new ArrayList<>();
    for (Candidate c : line.candidates()) {
      inputs.add(DigitPreprocessor.modelInputs(c.crop(), true).get(0));
      inks.add(inkInImage(c.crop(), c.box()[0], c.box()[1], line));
    }
    int[] all = {0, 0, line.g().width - 1, line.g().height - 1};
    GrayImage whole = crop(line.g(), line.label(), line.pieces(), all);
    return new CandidateInk(inputs, inks, inkInImage(whole, 0, 0, line));
  }

  private static float[] inkInImage(GrayImage crop, int x0, int y0, Line line) {
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
  private static int[] boxBeforeShear(Candidate c, LineSlant slant) {
    int[] b = c.box();
    if (slant.upright()) {
      return b;
    }
    GrayImage crop = c.crop();
    double x0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    for (int y = 0; y < crop.height; y++) {
      for (int x = 0; x < crop.width; x++) {
        if (crop.v[y * crop.width + x] > 0f) {
          double at = slant.originalX(b[0] + x, b[1] + y);
          x0 = Math.min(x0, at);
          x1 = Math.max(x1, at);
        }
      }
    }
    return x1 < x0 ? b : new int[] {(int) Math.floor(x0), b[1], (int) Math.ceil(x1), b[3]};
  }

  /**
   * Labels the 8-connected components of ink (values of at least 0.5), then gives each unlabelled
   * pixel with some ink (the anti-aliased fringe) the label of a neighbour, so a digit keeps its
   * soft edges when it is cut out. Labels start at 1; the list is indexed by label - 1.
   */
  static List<Piece> components(GrayImage g, int[] label) {
    return components(g, label, 0.5f);
  }

  /**
   * Gives every digit its own contrast: contrast was normalized over the whole line, so a digit
   * written with a finer or lighter pen than its neighbours is faint, and at a single digit's ink
   * level it would break up or vanish. Each piece of ink found at a low level is scaled so that its
   * own typical (median) ink is 1. Leaves {@code label} cleared.
   */
  private static void evenOutInk(GrayImage g, int[] label) {
    List<Piece> faint = components(g, label, FAINT);
    float[][] values = new float[faint.size()][];
    int[] count = new int[faint.size()];
    for (Piece p : faint) {
      values[p.comp - 1] = new float[p.area];
    }
    for (int i = 0; i < label.length; i++) {
      if (label[i] != 0 && g.v[i] >= FAINT) {
        values[label[i] - 1][count[label[i] - 1]++] = g.v[i];
      }
    }
    float[] scale = new float[faint.size()];
    for (int c = 0; c < scale.length; c++) {
      float[] v = Arrays.copyOf(values[c], count[c]);
      Arrays.sort(v);
      float typical = v.length == 0 ? 1 : v[v.length / 2];
      float peak = v.length == 0 ? 0 : v[v.length - 1];
      // A piece that nowhere reaches a stroke's contrast is shading of the paper, not a faint pen.
      scale[c] = peak < STROKE ? 1f : Math.max(1f, 1f / Math.max(typical, FAINT));
    }
    for (int i = 0; i < label.length; i++) {
      if (label[i] != 0) {
        g.v[i] = Math.min(1f, g.v[i] * scale[label[i] - 1]);
      }
    }
    Arrays.fill(label, 0);
  }

  private static List<Piece> components(GrayImage g, int[] label, float level) {
    int w = g.width;
    int hgt = g.height;
    int next = g.labelComponents(level, label);
    int[] grown = label.clone();
    for (int y = 0; y < hgt; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        if (label[p] != 0 || g.v[p] <= 0f) {
          continue;
        }
        for (int dy = -1; dy <= 1 && grown[p] == 0; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int qx = x + dx;
            int qy = y + dy;
            if (qx >= 0 && qy >= 0 && qx < w && qy < hgt && label[qy * w + qx] != 0) {
              grown[p] = label[qy * w + qx];
              break;
            }
          }
        }
      }
    }
    System.arraycopy(grown, 0, label, 0, label.length);
    List<Piece> comps = new ArrayList<>(next);
    for (int id = 1; id <= next; id++) {
      comps.add(new Piece(id, 0, null, null));
    }
    for (int y = 0; y < hgt; y++) {
      for (int x = 0; x < w; x++) {
        int id = label[y * w + x];
        if (id != 0) {
          add(comps.get(id - 1), x, y);
        }
      }
    }
    return comps;
  }

  private static void add(Piece c, int x, int y) {
    c.area++;
    c.x0 = Math.min(c.x0, x);
    c.y0 = Math.min(c.y0, y);
    c.x1 = Math.max(c.x1, x);
    c.y1 = Math.max(c.y1, y);
  }

  /**
   * Joins small pieces that lie within {@link #FRAGMENT_GAP} pixels of each other into one: a
   * hairline stroke (a fine pen, written lightly) comes out of anti-aliasing as a dotted line, and
   * its dots would each be dropped as a speck. Only small pieces are joined, so that digits which
   * nearly touch stay apart. Relabels {@code label} and returns the pieces.
   */
  private static List<Piece> joinFragments(GrayImage g, int[] label, List<Piece> comps, double h) {
    int[] parent = new int[comps.size() + 1];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    boolean[] small = new boolean[comps.size() + 1];
    for (Piece c : comps) {
      small[c.comp] = Math.max(c.width(), c.height()) < DOT * h;
    }
    boolean joined = false;
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        int a = label[y * g.width + x];
        if (a == 0 || !small[a]) {
          continue;
        }
        for (int dy = 0; dy <= FRAGMENT_GAP; dy++) {
          for (int dx = -FRAGMENT_GAP; dx <= FRAGMENT_GAP; dx++) {
            int qx = x + dx;
            int qy = y + dy;
            if (qx < 0 || qy >= g.height || qx >= g.width) {
              continue;
            }
            int b = label[qy * g.width + qx];
            if (b != 0 && b != a && small[b] && find(parent, a) != find(parent, b)) {
              parent[find(parent, a)] = find(parent, b);
              joined = true;
            }
          }
        }
      }
    }
    if (!joined) {
      return comps;
    }
    int[] newId = new int[parent.length];
    int next = 0;
    for (int id = 1; id < parent.length; id++) {
      int root = find(parent, id);
      if (newId[root] == 0) {
        newId[root] = ++next;
      }
      newId[id] = newId[root];
    }
    List<Piece> out = new ArrayList<>(next);
    for (int id = 1; id <= next; id++) {
      out.add(new Piece(id, 0, null, null));
    }
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        int i = y * g.width + x;
        if (label[i] != 0) {
          label[i] = newId[label[i]];
          add(out.get(label[i] - 1), x, y);
        }
      }
    }
    return out;
  }

  /** Pixels of two small pieces at most this far apart (in both directions) join them. */
  private static final int FRAGMENT_GAP = 2;

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** The large pieces: at least 15% of the largest one's area, and not flat. */
  private static List<Piece> large(List<Piece> comps) {
    int maxArea = comps.stream().mapToInt(c -> c.area).max().orElse(0);
    return comps.stream().filter(c -> c.area >= 0.15 * maxArea && c.width() <= 3 * c.height()).toList();
  }

  /**
   * The line's height: the median height of its large pieces, or, where digits are in pieces
   * (a broken stroke halves a digit's height), the height of the band that holds the line's ink
   * (2% to 98% of the ink of the pieces that are not specks), whichever is larger.
   */
  static double lineHeight(List<Piece> comps, int[] label, int width) {
    int[] heights = large(comps).stream().mapToInt(Piece::height).sorted().toArray();
    if (heights.length == 0) {
      return Math.max(1, comps.stream().mapToInt(Piece::height).max().orElse(1));
    }
    int maxArea = comps.stream().mapToInt(c -> c.area).max().orElse(0);
    int rows = label.length / width;
    long[] inkPerRow = new long[rows];
    long total = 0;
    for (int i = 0; i < label.length; i++) {
      if (label[i] != 0 && comps.get(label[i] - 1).area >= 0.05 * maxArea) {
        inkPerRow[i / width]++;
        total++;
      }
    }
    int top = 0;
    int bottom = rows - 1;
    for (long seen = 0; top < rows && (seen += inkPerRow[top]) < 0.02 * total; top++) { }
    for (long seen = 0; bottom > 0 && (seen += inkPerRow[bottom]) < 0.02 * total; bottom--) { }
    return Math.max(1, Math.max(heights[heights.length / 2], bottom - top + 1));
  }

  /** Erases horizontal runs of ink longer than {@code length}: underlines and strike-throughs. */
  private static boolean eraseLongLines(GrayImage g, int length) {
    boolean erased = false;
    for (int y = 0; y < g.height; y++) {
      int row = y * g.width;
      for (int x = 0; x < g.width; ) {
        if (g.v[row + x] < 0.5f) {
          x++;
          continue;
        }
        int end = x;
        while (end < g.width && g.v[row + end] >= 0.5f) {
          end++;
        }
        if (end - x > length) {
          Arrays.fill(g.v, row + x, row + end, 0f);
          erased = true;
        }
        x = end;
      }
    }
    return erased;
  }

  /**
   * Drops what is not part of a digit: specks (a hundredth of the largest piece), small pieces
   * (dots, decimal points, dirt) that lie beside the digits rather than within their columns or
   * far above or below the line, and a flat piece under the line (a short underline).
   */
  private static List<Piece> withoutSpecks(List<Piece> comps, double h) {
    List<Piece> large = large(comps);
    int maxArea = comps.stream().mapToInt(c -> c.area).max().orElse(0);
    double top = median(large.stream().mapToInt(c -> c.y0).toArray());
    double bottom = median(large.stream().mapToInt(c -> c.y1).toArray());
    List<Piece> kept = new ArrayList<>();
    for (Piece c : comps) {
      if (c.area < Math.max(3, 0.01 * maxArea)) {
        continue;
      }
      boolean small = Math.max(c.width(), c.height()) < DOT * h;
      boolean outsideLine = c.y1 < top - 0.25 * h || c.y0 > bottom + 0.25 * h;
      if (small && (outsideLine || large.stream().noneMatch(l -> overlap(c, l) >= 0.5 * c.width()))) {
        continue;
      }
      boolean underline = c.height() < 0.25 * h && c.width() >= 0.5 * h && c.y0 >= bottom - 0.05 * h;
      if (underline || (outsideLine && !large.contains(c))) {
        continue;
      }
      kept.add(c);
    }
    return kept;
  }

  private static double median(int[] values) {
    if (values.length == 0) {
      return 0;
    }
    int[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  private static int overlap(Piece a, Piece b) {
    return Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) + 1);
  }

  /**
   * Which pieces are offered cut: those wider than a digit, and those that may be two digits
   * touching which the one-digit model (when given) does not take for one digit. (Cutting every
   * piece that may be two costs a fourfold of candidates: 114 ms instead of 28 for a 6-digit photo.)
   */
  private static boolean[] toCut(List<Piece> pieces, GrayImage g, int[] label, double h, Predictor judge) {
    boolean[] out = new boolean[pieces.size()];
    List<Integer> doubtful = new ArrayList<>();
    List<float[]> inputs = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      Piece p = pieces.get(i);
      out[i] = p.width() > SPLIT_WIDTH * h;
      if (!out[i] && p.width() > MAY_BE_TWO_WIDTH * h) {
        doubtful.add(i);
        int[] box = {p.x0, p.y0, p.x1, p.y1};
        if (judge != null) {
          inputs.add(DigitPreprocessor.modelInputs(crop(g, label, List.of(p), box), true).get(0));
        }
      }
    }
    List<Prediction> judged = judge == null ? null : judge.predictNormalized(inputs);
    for (int k = 0; k < doubtful.size() && judged != null; k++) {
      out[doubtful.get(k)] = judged.get(k).probabilities()[NOT_ONE_DIGIT] >= 0.5f;
    }
    return out;
  }

  /**
   * A piece is cut into narrow pieces along paths of least ink (where two
   * digits touch, few strokes join them). Many more cuts are offered than there are digits:
   * grouping puts the pieces of one digit back together, and pays for each cut it keeps.
   */
  private static List<Piece> cut(Piece c, GrayImage g, int[] label, double h) {
    int w = c.width();
    int margin = (int) Math.max(1, Math.round(0.15 * h));
    // Cuts start every CUT_STEP line heights; each then finds its own way through the joint.
    // (Starting them at the thinnest columns only misses digits whose strokes overlap, where the
    // joint is the thickest column.)
    List<Integer> cuts = new ArrayList<>();
    int step = (int) Math.max(2, Math.round(CUT_STEP * h));
    for (int x = margin; x < w - margin; x += step) {
      cuts.add(x);
    }
    if (cuts.isEmpty()) {
      return List.of(c);
    }
    cuts.sort(null);
    // Each cut follows the path of least ink from the piece's top to its bottom near its column,
    // so that it can pass between slanted digits; no path crosses the one before it.
    List<int[]> paths = new ArrayList<>();
    int reach = (int) Math.max(1, Math.round(0.25 * h));
    for (int x : cuts) {
      int[] path = cutPath(g, label, c, c.x0 + x, reach);
      if (!paths.isEmpty()) {
        int[] before = paths.get(paths.size() - 1);
        for (int r = 0; r < path.length; r++) {
          path[r] = Math.max(path[r], before[r] + 1);
        }
      }
      paths.add(path);
    }
    List<Piece> out = new ArrayList<>();
    for (int i = 0; i <= paths.size(); i++) {
      Piece p = new Piece(c.comp, c.y0, i == 0 ? null : paths.get(i - 1), i < paths.size() ? paths.get(i) : null);
      p.compWidth = c.width();
      p.strokesCut = i == 0 ? 0 : strokesAlong(g, label, c, paths.get(i - 1));
      for (int y = c.y0; y <= c.y1; y++) {
        for (int x = c.x0; x <= c.x1; x++) {
          if (label[y * g.width + x] == c.comp && p.holds(x, y)) {
            add(p, x, y);
          }
        }
      }
      if (p.area > 0) {
        if (!out.isEmpty()) {
          p.before = out.get(out.size() - 1);
          p.before.after = p;
        }
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The path of least ink down through a piece, starting anywhere within {@code reach} of column
   * {@code x} and moving at most one column per row: where two digits touch, it slips through
   * the joint instead of slicing a slanted stroke. A path's column in a row is the first column
   * of what lies right of it.
   */
  private static int[] cutPath(GrayImage g, int[] label, Piece c, int x, int reach) {
    int lo = Math.max(c.x0 + 1, x - reach);
    int hi = Math.min(c.x1, x + reach);
    int rows = c.height();
    int cols = hi - lo + 1;
    double[] cost = new double[rows * cols];
    int[] from = new int[rows * cols];
    for (int r = 0; r < rows; r++) {
      int y = c.y0 + r;
      for (int k = 0; k < cols; k++) {
        int i = y * g.width + lo + k;
        double here = (label[i] == c.comp ? g.v[i] : 0) + 0.002 * Math.abs(lo + k - x);
        if (r == 0) {
          cost[k] = here;
          continue;
        }
        int best = k;
        for (int d = -1; d <= 1; d++) {
          int j = k + d;
          if (j >= 0 && j < cols && cost[(r - 1) * cols + j] + (d != 0 ? 0.01 : 0) < cost[(r - 1) * cols + best]
              + (best != k ? 0.01 : 0)) {
            best = j;
          }
        }
        cost[r * cols + k] = here + cost[(r - 1) * cols + best] + (best != k ? 0.01 : 0);
        from[r * cols + k] = best;
      }
    }
    int end = 0;
    for (int k = 1; k < cols; k++) {
      if (cost[(rows - 1) * cols + k] < cost[(rows - 1) * cols + end]) {
        end = k;
      }
    }
    int[] path = new int[rows];
    for (int r = rows - 1, k = end; r >= 0; r--) {
      path[r] = lo + k;
      k = from[r * cols + k];
    }
    return path;
  }

  /**
   * How many separate strokes a cut path crosses: one where two digits touch, two or more through
   * the loop of a 0, 6, 8 or 9, which no cut between digits goes through.
   */
  private static int strokesAlong(GrayImage g, int[] label, Piece c, int[] path) {
    int runs = 0;
    boolean in = false;
    for (int r = 0; r < path.length; r++) {
      int i = (c.y0 + r) * g.width + path[r];
      boolean ink = label[i] == c.comp && g.v[i] >= 0.5f;
      runs += ink && !in ? 1 : 0;
      in = ink;
    }
    return runs;
  }

  /**
   * The runs of neighbouring pieces (left to right) that could be one digit: close enough to each
   * other and together no wider than a digit.
   */
  private static List<Candidate> candidates(List<Piece> pieces, GrayImage g, int[] label, double h) {
    int n = pieces.size();
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
      for (int j = i; j < n && j < i + MAX_PIECES_PER_DIGIT; j++) {
        Piece p = pieces.get(j);
        if (j > i && p.x0 - box[2] - 1 > MAX_GAP * h) {
          break;
        }
        box = new int[] {Math.min(box[0], p.x0), Math.min(box[1], p.y0), Math.max(box[2], p.x1), Math.max(box[3], p.y1)};
        if (j > i && box[2] - box[0] + 1 > MAX_DIGIT_WIDTH * h) {
          break;
        }
        List<Piece> run = pieces.subList(i, j + 1);
        boolean holdsCut = run.stream().anyMatch(q -> q.before != null || q.after != null);
        candidates.add(new Candidate(i, j + 1, box, crop(g, label, run, box), holdsCut));
      }
    }
    return candidates;
  }

  /**
   * Groups the pieces (left to right) into digits: each candidate is read by the model (one
   * batch), and the grouping with the highest total log-probability wins, found by dynamic
   * programming. A group's shape adds to its score: one much lower than the line cannot be a digit
   * by itself, one much wider than a digit is likely two. A low piece may also be left out (a
   * hyphen, a stray mark).
   */
  private static List<Candidate> group(Predictor predictor, Line line) {
    List<Piece> pieces = line.pieces();
    List<Candidate> candidates = line.candidates();
    double h = line.h();
    int n = pieces.size();
    List<List<float[]>> inputs = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      inputs.add(DigitPreprocessor.modelInputs(c.crop(), true));
    }
    List<Prediction> read = predictor.predictEach(inputs);
    double[] judge = judgeCut(predictor, candidates, inputs);
    double[] best = new double[n + 1];
    Candidate[] last = new Candidate[n + 1];
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    best[0] = 0;
    List<List<Integer>> endingAt = new ArrayList<>();
    for (int k = 0; k <= n; k++) {
      endingAt.add(new ArrayList<>());
    }
    for (int c = 0; c < candidates.size(); c++) {
      endingAt.get(candidates.get(c).to()).add(c);
    }
    for (int k = 1; k <= n; k++) {
      Piece p = pieces.get(k - 1);
      if (p.height() < 0.5 * h && best[k - 1] - 2.5 > best[k]) {
        best[k] = best[k - 1] - 2.5; // leave the piece out
        last[k] = null;
      }
      for (int c : endingAt.get(k)) {
        Candidate cand = candidates.get(c);
        double score = best[cand.from()] + Math.log(Math.max(1e-6, read.get(c).probability())) + judge[c]
            + shape(pieces.subList(cand.from(), cand.to()), cand.box(), h)
            + cutOrNot(pieces.subList(cand.from(), cand.to()), h);
        if (score > best[k]) {
          best[k] = score;
          last[k] = cand;
        }
      }
    }
    List<Candidate> chosen = new ArrayList<>();
    for (int k = n; k > 0; ) {
      Candidate c = last[k];
      if (c == null) {
        k--;
      } else {
        chosen.add(0, c);
        k = c.from();
      }
    }
    return chosen;
  }

  /**
   * What the one-digit model says of each candidate, as a weighted log-probability that it is one
   * digit: for candidates that hold a cut piece only (0 for the others, which it is not asked
   * about). Judging every group cost real hand-made numbers 1.5 points (a faint 7, a flat 0 that
   * the one-digit model never saw as one digit) and gained nothing.
   */
  private static double[] judgeCut(Predictor predictor, List<Candidate> candidates, List<List<float[]>> inputs) {
    double[] out = new double[candidates.size()];
    List<Integer> cut = new ArrayList<>();
    List<float[]> firsts = new ArrayList<>();
    for (int c = 0; c < candidates.size(); c++) {
      if (candidates.get(c).holdsCut()) {
        cut.add(c);
        firsts.add(inputs.get(c).get(0));
      }
    }
    List<Prediction> judged = predictor.oneDigitModel().predictNormalized(firsts);
    for (int k = 0; k < cut.size(); k++) {
      double one = 1 - judged.get(k).probabilities()[NOT_ONE_DIGIT];
      out[cut.get(k)] = ONE_DIGIT_WEIGHT * Math.log(Math.max(1e-6, one));
    }
    return out;
  }

  /**
   * What the widths of the connected pieces of ink say of a group, as a log-probability: the
   * chance that a piece of this width (in line heights) is one digit is high up to a digit's
   * width and falls fast beyond it. A group that keeps a cut piece whole gets that chance; each
   * cut it starts or ends at gets the chance of two digits (half from each side of the cut) and
   * pays for each stroke beyond the first that the cut goes through. So a cut must pay for itself
   * with surer digits (or a wide "0" would come apart into two confident "1"s), while a piece much
   * wider than any digit comes apart readily.
   */
  private static double cutOrNot(List<Piece> group, double h) {
    double score = 0;
    for (Piece p : group) {
      if (p.before == null && p.after == null) {
        continue; // a piece that was never cut
      }
      double twoDigits = Math.log(1 - oneDigit(p.compWidth / h));
      boolean cutLeft = p.before != null && !group.contains(p.before);
      boolean cutRight = p.after != null && !group.contains(p.after);
      if (cutLeft) {
        score += 0.5 * twoDigits - 0.5 * STROKE_CUT_COST * Math.max(0, p.strokesCut - 1);
      }
      if (cutRight) {
        score += 0.5 * twoDigits - 0.5 * STROKE_CUT_COST * Math.max(0, p.after.strokesCut - 1);
      }
      if (p.before == null && keptWhole(p, group)) {
        score += Math.log(oneDigit(p.compWidth / h)); // counted at its first piece
      }
    }
    return score;
  }

  /** Whether all the pieces cut from the component that starts with {@code first} are in the group. */
  private static boolean keptWhole(Piece first, List<Piece> group) {
    for (Piece p = first; p != null; p = p.after) {
      if (!group.contains(p)) {
        return false;
      }
    }
    return true;
  }

  /** The chance that a connected piece of ink this wide (in line heights) is a single digit. */
  static double oneDigit(double width) {
    double p = 1 / (1 + Math.exp(-(ONE_DIGIT_WIDTH - width) / ONE_DIGIT_SPREAD));
    return Math.max(1e-4, Math.min(1 - 1e-4, p));
  }

  /** What each stroke beyond the first that a cut goes through costs (log-probability). */
  private static final double STROKE_CUT_COST = 2.5;
  /** The width (line heights) at which a piece is as likely one digit as two, and how fast that changes. */
  private static final double ONE_DIGIT_WIDTH = 1.3;
  private static final double ONE_DIGIT_SPREAD = 0.12;

  /**
   * What a group's shape says of it being one digit, as a log-probability penalty (0 = plausible):
   * one much lower than the line cannot be a digit by itself; separate pieces that together are
   * wider than a digit are likely two.
   */
  private static double shape(List<Piece> group, int[] box, double h) {
    double width = (box[2] - box[0] + 1) / h;
    double height = (box[3] - box[1] + 1) / h;
    double penalty = 0;
    if (height < 0.5) {
      // A small but compact shape may be a digit written small; a flat one is a hyphen or a
      // stroke of something else. (Measured: the gentler penalty for compact shapes read 0.3-1.7%
      // more real hand-made numbers exactly, and changed nothing on MNIST numbers or fonts.)
      boolean compact = width <= 1.5 * height && height >= 0.25;
      penalty -= compact ? 1 + 4 * (0.5 - height) : 2 + 8 * (0.5 - height);
    }
    boolean severalPieces = group.stream().mapToInt(p -> p.comp).distinct().count() > 1;
    if (severalPieces && width > WIDE) {
      penalty -= WIDE_COST * (width - WIDE);
    }
    if (severalPieces && sideBySide(group, h)) {
      penalty -= SIDE_BY_SIDE_COST;
    }
    return penalty;
  }

  /**
   * Whether two of the group's pieces of ink are both tall and stand apart with daylight between
   * them, as two digits do ("11", "1 7"). The pieces of one digit overlap or sit above each other
   * (the bar of a 5, the halves of a broken stroke), so such a group is likely two digits.
   */
  private static boolean sideBySide(List<Piece> group, double h) {
    for (Piece a : group) {
      for (Piece b : group) {
        if (a.comp != b.comp && a.height() >= TALL * h && b.height() >= TALL * h && b.x0 - a.x1 - 1 >= APART * h) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Tall: at least this share of the line height. Apart: at least this much daylight (line heights).
   * The cost is a log-probability. Measured (tools/benchmark numbers): real hand-made numbers 85.0%
   * -> 87.0% exact, handwriting fonts 86.5% -> 89.0%, MNIST numbers unchanged; 0.04-0.08 apart,
   * 0.5-0.6 tall and a cost of 3-5 all measured the same.
   */
  private static final double TALL = 0.6;
  private static final double APART = 0.08;
  private static final double SIDE_BY_SIDE_COST = 3;

  /** The pixels of some pieces (and nothing else of what lies in their box), cut out. */
  private static GrayImage crop(GrayImage g, int[] label, List<Piece> pieces, int[] box) {
    int w = box[2] - box[0] + 1;
    int hgt = box[3] - box[1] + 1;
    GrayImage out = new GrayImage(w, hgt);
    for (Piece p : pieces) {
      for (int y = p.y0; y <= p.y1; y++) {
        for (int x = p.x0; x <= p.x1; x++) {
          int i = y * g.width + x;
          if (label[i] == p.comp && p.holds(x, y)) {
            out.v[(y - box[1]) * w + (x - box[0])] = g.v[i];
          }
        }
      }
    }
    return out;
  }
}
