package dev.digits.numbers;

import static dev.digits.numbers.InkPieces.*;
import static dev.digits.numbers.Tuning.*;

import dev.digits.imaging.Box;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.GrayImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts pieces that may be digits touching: along paths of least ink from top to bottom, many more
 * cuts than there are digits (grouping puts the slices of one digit back together and pays for each
 * cut it keeps).
 */
final class PieceCutter {
  private PieceCutter() {}

  /**
   * Which pieces are offered cut: those wider than a digit, and those that may be two digits
   * touching which the one-digit model (when given) does not take for one digit. (Cutting every
   * piece that may be two costs a fourfold of candidates: 114 ms instead of 28 for a 6-digit photo.)
   * A piece lower than half the line is not cut: its slices are as low as it is, and no group that
   * low is a digit by itself ({@link DigitGrouping#shape}), while each slice left out costs what
   * leaving out the whole costs. A hyphen in "13-85", cut in five, was read as a "2".
   */
  static boolean[] toCut(List<Piece> pieces, GrayImage g, int[] label, double h, boolean judge) {
    boolean[] out = new boolean[pieces.size()];
    List<Integer> doubtful = new ArrayList<>();
    List<float[]> inputs = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      Piece p = pieces.get(i);
      if (p.height() < 0.5 * h) {
        continue; // a hyphen, a dash, a stroke under the line
      }
      out[i] = p.width() > SPLIT_WIDTH * h;
      if (!out[i] && p.width() > MAY_BE_TWO_WIDTH * h) {
        doubtful.add(i);
        Box box = Box.corners(p.x0, p.y0, p.x1, p.y1);
        if (judge) {
          inputs.add(DigitPreprocessor.modelInputs(crop(g, label, List.of(p), box), true).get(0));
        }
      }
    }
    float[] notOne = judge ? OneDigitJudge.notOneDigit(inputs) : null;
    for (int k = 0; k < doubtful.size() && notOne != null; k++) {
      out[doubtful.get(k)] = notOne[k] >= 0.5f;
    }
    return out;
  }

  /**
   * A piece is cut into narrow pieces along paths of least ink (where two
   * digits touch, few strokes join them). Many more cuts are offered than there are digits:
   * grouping puts the pieces of one digit back together, and pays for each cut it keeps.
   */
  static List<Piece> cut(Piece c, GrayImage g, int[] label, double h) {
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
          // Right of the cut before it, but within the piece: pushed past its edge, a path ran
          // off the image (a narrow piece cut at every step, as a word in small letters is).
          path[r] = Math.min(c.x1, Math.max(path[r], before[r] + 1));
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
  static int[] cutPath(GrayImage g, int[] label, Piece c, int x, int reach) {
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
  static int strokesAlong(GrayImage g, int[] label, Piece c, int[] path) {
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
}
