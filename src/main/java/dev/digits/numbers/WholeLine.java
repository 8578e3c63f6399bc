package dev.digits.numbers;

import static dev.digits.model.LineNetwork.BLANK;
import static dev.digits.model.LineNetwork.CLASSES;
import static dev.digits.numbers.Tuning.LINE_READER_MARGIN;

import dev.digits.imaging.Box;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.GrayImage;
import dev.digits.model.LineNetwork;
import dev.digits.predict.Prediction;
import java.util.ArrayList;
import java.util.List;

/**
 * The second opinion on a line: the line reader ({@link LineReaderModel}) reads the ink the
 * segmenting reader grouped into digits, as a whole, and judges between its own reading and the
 * segmenter's by the probability it gives each (CTC sums over every way a reading can be spelt
 * along the line, so it can score a reading it did not propose). The segmenter proposes digits
 * with boxes and the classifier's candidates; the line reader is the better judge where digits
 * overlap, touch or differ in pen, because it never has to cut them apart.
 */
final class WholeLine {
  /** The line as the line reader sees it (its pieces of ink, box and input), and what it reads there. */
  record Opinion(List<Piece> pieces, LineInput input, Box box, float[] columns, String reading) {}

  private WholeLine() {}

  /**
   * What the line reader reads in the ink of {@code chosen} (the digits the segmenter found) and
   * of the pieces it left out or dropped beside them (a digit written very small, or in broken
   * strokes, may be among them), or null without ink.
   */
  static Opinion opinion(NumberReader.Line line, List<NumberReader.Candidate> chosen, List<Piece> leftOut) {
    if (chosen.isEmpty()) {
      return null;
    }
    List<Piece> pieces = new ArrayList<>();
    Box box = null;
    for (NumberReader.Candidate c : chosen) {
      pieces.addAll(line.pieces().subList(c.from(), c.to()));
      box = box == null ? c.box() : box.including(c.box().x(), c.box().y(), c.box().x1(), c.box().y1());
    }
    List<Piece> beside = new ArrayList<>(leftOut);
    for (InkPieces.Dropped d : line.dropped()) {
      if (d.beside()) {
        beside.add(d.piece());
      }
    }
    for (Piece p : beside) {
      pieces.add(p);
      box = box.including(p.x0, p.y0, p.x1, p.y1);
    }
    GrayImage ink = InkPieces.crop(line.g(), line.label(), pieces, box);
    LineInput input = LineInput.of(ink);
    if (input == null) {
      return null;
    }
    float[] columns = LineReaderModel.columns(input);
    return new Opinion(pieces, input, box, columns, LineDecoder.greedy(columns));
  }

  /**
   * Whether the line reader's reading should replace the segmenter's {@code segmented} one (the
   * digits {@code chosen}): it is another reading (of {@code length} digits, when that is set),
   * more likely by the margin, and does not spell a 1 twice.
   */
  static boolean prefersOwn(Opinion o, String segmented, List<NumberReader.Candidate> chosen, int length) {
    if (o == null || o.reading().isEmpty() || o.reading().equals(segmented)
        || (length > 0 && o.reading().length() != length)) {
      return false;
    }
    double mine = LineDecoder.logProbability(o.columns(), o.reading());
    double theirs = LineDecoder.logProbability(o.columns(), segmented);
    return mine - theirs > LINE_READER_MARGIN && !spellsAOneTwice(o, chosen);
  }

  /**
   * Whether the line reader reads "11" in the ink of one of the segmenter's digits. A 1 written
   * with a long flag (Λ, as much of Europe writes it) is two strokes to a reader that learnt
   * MNIST's mostly bare 1s: a blank column between flag and stem, and CTC spells the 1 twice. On
   * the benchmark (seeds 0 and 1) that reading was never right and replaced a right one 11 times;
   * two 1s that touch, which it would read right, are rarer still.
   */
  static boolean spellsAOneTwice(Opinion o, List<NumberReader.Candidate> chosen) {
    List<Spelt> spelt = spelt(o);
    for (NumberReader.Candidate c : chosen) {
      StringBuilder within = new StringBuilder();
      for (Spelt s : spelt) {
        double x = o.box().x() + (s.coreX0() + s.coreX1()) / 2;
        if (x >= c.box().x() && x <= c.box().x1()) {
          within.append(s.digit());
        }
      }
      if (within.toString().equals("11")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Each digit of the line reader's reading: the columns that spell it, its probabilities (the
   * ten digits' at its surest column, blank left out) and the part of the line it covers (from
   * halfway to the previous digit's columns to halfway to the next one's).
   */
  static List<Spelt> spelt(Opinion o) {
    float[] p = o.columns();
    int t = p.length / CLASSES;
    List<int[]> runs = new ArrayList<>(); // {digit, first column, last column, surest column}
    int previous = BLANK;
    for (int c = 0; c < t; c++) {
      int best = Prediction.best(p, c * CLASSES, CLASSES);
      if (best != BLANK) {
        if (best == previous) {
          int[] run = runs.get(runs.size() - 1);
          run[2] = c;
          if (p[c * CLASSES + best] > p[run[3] * CLASSES + best]) {
            run[3] = c;
          }
        } else {
          runs.add(new int[] {best, c, c, c});
        }
      }
      previous = best;
    }
    List<Spelt> out = new ArrayList<>();
    for (int k = 0; k < runs.size(); k++) {
      int[] run = runs.get(k);
      double left = k == 0 ? 0 : (o.input().sourceX(runs.get(k - 1)[2]) + o.input().sourceX(run[1])) / 2;
      double right = k == runs.size() - 1 ? o.box().width()
          : (o.input().sourceX(run[2]) + o.input().sourceX(runs.get(k + 1)[1])) / 2;
      float[] probabilities = new float[10];
      float sum = 0;
      for (int d = 0; d < 10; d++) {
        probabilities[d] = p[run[3] * CLASSES + d];
        sum += probabilities[d];
      }
      for (int d = 0; d < 10; d++) {
        probabilities[d] /= sum;
      }
      double slack = 2.0 * LineNetwork.COLUMN / o.input().scale();
      out.add(new Spelt(run[0], probabilities, Math.max(0, (int) Math.floor(left)),
          Math.min(o.box().width(), (int) Math.ceil(right)), o.input().sourceX(run[1]) - slack,
          o.input().sourceX(run[2]) + slack));
    }
    return out;
  }

  /**
   * One digit of the line reader's reading: the digit, its probabilities, the columns [x0, x1) of
   * the line's box it covers, and [coreX0, coreX1] around the columns that spell it.
   */
  record Spelt(int digit, float[] probabilities, int x0, int x1, double coreX0, double coreX1) {
    /** Whether a piece centred at x (in the line's box) lies where this digit was spelt: it was read. */
    boolean spelt(double x) {
      return x >= coreX0 && x <= coreX1;
    }
  }

  /** The digit's ink (every piece's ink within its columns), cut to where it is inked, for its box and model input. */
  static NumberReader.Candidate candidate(NumberReader.Line line, Opinion o, Spelt s) {
    List<Piece> pieces = o.pieces();
    Box columns = new Box(o.box().x() + s.x0(), o.box().y(), Math.max(1, s.x1() - s.x0()), o.box().height());
    GrayImage ink = within(line, pieces, columns);
    int y0 = ink.height;
    int y1 = -1;
    int x0 = ink.width;
    int x1 = -1;
    for (int y = 0; y < ink.height; y++) {
      for (int x = 0; x < ink.width; x++) {
        if (ink.v[y * ink.width + x] > 0f) {
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
        }
      }
    }
    if (y1 < 0) {
      return new NumberReader.Candidate(0, 0, columns, ink, false);
    }
    Box inked = new Box(columns.x() + x0, columns.y() + y0, x1 - x0 + 1, y1 - y0 + 1);
    return new NumberReader.Candidate(0, 0, inked, within(line, pieces, inked), false);
  }

  /** The pieces' ink inside {@code box} (a piece may reach beyond it: digits overlap). */
  private static GrayImage within(NumberReader.Line line, List<Piece> pieces, Box box) {
    GrayImage g = line.g();
    GrayImage out = new GrayImage(box.width(), box.height());
    for (Piece p : pieces) {
      for (int y = Math.max(p.y0, box.y()); y <= Math.min(p.y1, box.y1()); y++) {
        for (int x = Math.max(p.x0, box.x()); x <= Math.min(p.x1, box.x1()); x++) {
          int i = y * g.width + x;
          if (line.label()[i] == p.comp && p.holds(x, y)) {
            out.v[(y - box.y()) * box.width() + (x - box.x())] = g.v[i];
          }
        }
      }
    }
    return out;
  }

  /** A prediction of the line reader's digit: its digit and probabilities, and the model input its ink becomes. */
  static Prediction prediction(Spelt s, NumberReader.Candidate c) {
    List<float[]> inputs = DigitPreprocessor.modelInputs(c.crop(), true);
    float[] input = inputs.isEmpty() ? new float[28 * 28] : inputs.get(0);
    return new Prediction(s.digit(), s.probabilities(), input);
  }
}
