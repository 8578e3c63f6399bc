package dev.digits.numbers;

import static dev.digits.numbers.InkPieces.*;
import static dev.digits.numbers.Tuning.*;

import dev.digits.imaging.Box;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.GrayImage;
import dev.digits.numbers.NumberReader.Candidate;
import dev.digits.numbers.NumberReader.Line;
import dev.digits.predict.Prediction;
import dev.digits.predict.Predictor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Groups a line's pieces, left to right, into digits: every run of neighbouring pieces that could be
 * one digit is read by the classifier in one batch, and the grouping whose digits are surest wins
 * (dynamic programming over log-probabilities), with what the shapes and the cuts say of each group.
 */
final class DigitGrouping {
  private DigitGrouping() {}

  /**
   * The runs of neighbouring pieces (left to right) that could be one digit: close enough to each
   * other and together no wider than a digit.
   */
  static List<Candidate> candidates(List<Piece> pieces, GrayImage g, int[] label, double h) {
    int n = pieces.size();
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Box box = null;
      for (int j = i; j < n && j < i + MAX_PIECES_PER_DIGIT; j++) {
        Piece p = pieces.get(j);
        if (j > i && p.x0 - box.x1() - 1 > MAX_GAP * h) {
          break;
        }
        box = box == null ? Box.corners(p.x0, p.y0, p.x1, p.y1) : box.including(p.x0, p.y0, p.x1, p.y1);
        if (j > i && box.width() > MAX_DIGIT_WIDTH * h) {
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
  /** The digits chosen, left to right, and the pieces the grouping left out (low marks: a hyphen, a stray stroke). */
  record Grouping(List<Candidate> chosen, List<Piece> leftOut) {}

  /** What leaving a low piece out costs (log-probability): a hyphen or a stray mark is seldom part of a number. */
  private static final double LEAVE_OUT_COST = 2.5;

  /**
   * The best grouping; with {@code length} above 0, the best of exactly that many digits (a form
   * knows a postcode has five), or, when no grouping of that length exists, the best of any length.
   */
  static Grouping group(Predictor predictor, Line line, int length) {
    List<Piece> pieces = line.pieces();
    List<Candidate> candidates = line.candidates();
    double h = line.h();
    int n = pieces.size();
    List<List<float[]>> inputs = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      inputs.add(DigitPreprocessor.modelInputs(c.crop(), true));
    }
    List<Prediction> read = predictor.predictEach(inputs);
    double[] judge = judgeCut(candidates, inputs);
    double[] score = new double[candidates.size()];
    for (int c = 0; c < candidates.size(); c++) {
      Candidate cand = candidates.get(c);
      score[c] = Math.log(Math.max(1e-6, read.get(c).probability())) + judge[c]
          + shape(pieces.subList(cand.from(), cand.to()), cand.box(), h)
          + cutOrNot(pieces.subList(cand.from(), cand.to()), h);
    }
    List<List<Integer>> endingAt = new ArrayList<>();
    for (int k = 0; k <= n; k++) {
      endingAt.add(new ArrayList<>());
    }
    for (int c = 0; c < candidates.size(); c++) {
      endingAt.get(candidates.get(c).to()).add(c);
    }
    // best[k][d]: the best score of the first k pieces read as d digits (d counted only with a length;
    // without one, every grouping shares d = 0). last[k][d]: the candidate ending there, or -1 when
    // piece k was left out.
    int counts = length > 0 ? length + 1 : 1;
    double[][] best = new double[n + 1][counts];
    int[][] last = new int[n + 1][counts];
    for (double[] row : best) {
      Arrays.fill(row, Double.NEGATIVE_INFINITY);
    }
    best[0][0] = 0;
    for (int k = 1; k <= n; k++) {
      Piece p = pieces.get(k - 1);
      for (int d = 0; d < counts; d++) {
        if (p.height() < 0.5 * h && best[k - 1][d] - LEAVE_OUT_COST > best[k][d]) {
          best[k][d] = best[k - 1][d] - LEAVE_OUT_COST; // leave the piece out
          last[k][d] = -1;
        }
        for (int c : endingAt.get(k)) {
          int from = length > 0 ? d - 1 : 0;
          if (from < 0) {
            continue;
          }
          double s = best[candidates.get(c).from()][from] + score[c];
          if (s > best[k][d]) {
            best[k][d] = s;
            last[k][d] = c;
          }
        }
      }
    }
    int d = counts - 1;
    if (length > 0 && best[n][d] == Double.NEGATIVE_INFINITY) {
      return group(predictor, line, 0); // no grouping of that length: the best of any
    }
    List<Candidate> chosen = new ArrayList<>();
    List<Piece> leftOut = new ArrayList<>();
    for (int k = n; k > 0; ) {
      int c = last[k][d];
      if (c < 0) {
        leftOut.add(0, pieces.get(k - 1));
        k--;
      } else {
        chosen.add(0, candidates.get(c));
        k = candidates.get(c).from();
        d = length > 0 ? d - 1 : 0;
      }
    }
    return new Grouping(chosen, leftOut);
  }

  /**
   * What the one-digit model says of each candidate, as a weighted log-probability that it is one
   * digit: for candidates that hold a cut piece only (0 for the others, which it is not asked
   * about). Judging every group cost real hand-made numbers 1.5 points (a faint 7, a flat 0 that
   * the one-digit model never saw as one digit) and gained nothing.
   */
  static double[] judgeCut(List<Candidate> candidates, List<List<float[]>> inputs) {
    double[] out = new double[candidates.size()];
    List<Integer> cut = new ArrayList<>();
    List<float[]> firsts = new ArrayList<>();
    for (int c = 0; c < candidates.size(); c++) {
      if (candidates.get(c).holdsCut()) {
        cut.add(c);
        firsts.add(inputs.get(c).get(0));
      }
    }
    float[] notOne = OneDigitJudge.notOneDigit(firsts);
    for (int k = 0; k < cut.size(); k++) {
      double one = 1 - notOne[k];
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
  static double cutOrNot(List<Piece> group, double h) {
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
  static boolean keptWhole(Piece first, List<Piece> group) {
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

  /**
   * What a group's shape says of it being one digit, as a log-probability penalty (0 = plausible):
   * one much lower than the line cannot be a digit by itself; separate pieces that together are
   * wider than a digit are likely two.
   */
  static double shape(List<Piece> group, Box box, double h) {
    double width = box.width() / h;
    double height = box.height() / h;
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
  static boolean sideBySide(List<Piece> group, double h) {
    for (Piece a : group) {
      for (Piece b : group) {
        if (a.comp != b.comp && a.height() >= TALL * h && b.height() >= TALL * h && b.x0 - a.x1 - 1 >= APART * h) {
          return true;
        }
      }
    }
    return false;
  }
}
