package dev.digits.numbers;

import static dev.digits.model.LineNetwork.BLANK;
import static dev.digits.model.LineNetwork.CLASSES;

/**
 * Reads the line reader's output, one probability per class and column: the best path (each
 * column's most probable class, repeats merged, blanks dropped), and the probability CTC gives a
 * whole reading (summed over every path that spells it), which lets the line reader judge a reading
 * the segmenting reader proposes.
 */
public final class LineDecoder {
  private LineDecoder() {}

  /** The best path's reading of {@code probs} ({@code columns x 11}, row-major). */
  public static String greedy(float[] probs) {
    StringBuilder out = new StringBuilder();
    int previous = BLANK;
    for (int t = 0; t < probs.length / CLASSES; t++) {
      int best = 0;
      for (int c = 1; c < CLASSES; c++) {
        if (probs[t * CLASSES + c] > probs[t * CLASSES + best]) {
          best = c;
        }
      }
      if (best != BLANK && best != previous) {
        out.append((char) ('0' + best));
      }
      previous = best;
    }
    return out.toString();
  }

  /**
   * The natural log of the probability of {@code number} (digits only) under CTC: the forward
   * algorithm over the blank-interleaved label, in log space. Negative infinity when the line has
   * too few columns to spell it.
   */
  public static double logProbability(float[] probs, String number) {
    int columns = probs.length / CLASSES;
    int s = 2 * number.length() + 1;
    int[] label = new int[s];
    for (int i = 0; i < s; i++) {
      label[i] = i % 2 == 0 ? BLANK : number.charAt(i / 2) - '0';
    }
    double[] alpha = new double[s];
    double[] next = new double[s];
    java.util.Arrays.fill(alpha, Double.NEGATIVE_INFINITY);
    if (columns == 0) {
      return number.isEmpty() ? 0 : Double.NEGATIVE_INFINITY;
    }
    alpha[0] = log(probs[BLANK]);
    if (s > 1) {
      alpha[1] = log(probs[label[1]]);
    }
    for (int t = 1; t < columns; t++) {
      for (int i = 0; i < s; i++) {
        double a = alpha[i];
        if (i > 0) {
          a = logAdd(a, alpha[i - 1]);
        }
        if (i > 1 && label[i] != BLANK && label[i] != label[i - 2]) {
          a = logAdd(a, alpha[i - 2]);
        }
        next[i] = a + log(probs[t * CLASSES + label[i]]);
      }
      double[] swap = alpha;
      alpha = next;
      next = swap;
    }
    return s > 1 ? logAdd(alpha[s - 1], alpha[s - 2]) : alpha[0];
  }

  private static double log(float p) {
    return Math.log(Math.max(p, 1e-30f));
  }

  private static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double m = Math.max(a, b);
    return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  }
}
