package dev.digits.numbers;

import java.util.ArrayList;
import java.util.List;

/**
 * Which 1s of a reading may be slashes. A date written "12/06/2026" is read "1210612026": the
 * digit model has seen no slash, and a slash is a stroke as tall as the digits, leaning as many
 * people's 1s lean, so it reads as a sure 1. What tells most slashes from 1s is that a slash is one
 * straight stroke, where a written 1 is seldom as straight: it bends, or has a flag or a foot.
 *
 * <p>Only a flag, never a cut: leaving such a 1 out would drop real 1s from numbers without a word,
 * the worst thing a reader can do. The reading keeps it, is flagged unsure, and its runner-up is
 * the reading without those 1s ({@link NumberReading#runnerUp()}).
 *
 * <p>Measured on the digit model's 28x28 inputs, in lines of 6-9 MNIST test digits in groups of
 * 2-4 with slashes or hyphens between the groups (the benchmark's {@code marks} part, drawn with
 * another seed; 483 slashes and 509 real 1s, each read as a 1 in its place): the slashes' lean is
 * 13.6-20.8 degrees in the middle half, their ink's narrow-to-long axis 0.123-0.136; the 1s' lean
 * 0.4-22.1 degrees, and straightness 0.164-0.219. Leaning more than {@link #LEAN} and straighter than
 * {@link #STRAIGHT} takes 400 of the slashes and 32 of the 1s (6%). The slashes it misses lean
 * less than 8 degrees: a line that leans as a whole is sheared upright first, and them with it.
 */
final class Slashes {
  /** Degrees from upright, top to the right, that a slash leans at least. */
  static final double LEAN = 8;

  /** The most a slash's ink is as wide, across its long axis, as it is long (standard deviations). */
  static final double STRAIGHT = 0.15;

  /** Digits a reading must hold for a 1 in it to be taken for a slash: a date with one reads 8 or more. */
  static final int LONG = 7;

  /** How many digits a separator has on each side at least: it stands between groups, not at an end. */
  static final int GROUP = 2;

  private Slashes() {}

  /** The places of the 1s of {@code digits} that may be slashes, left to right (none in a short reading). */
  static List<Integer> among(List<NumberReading.Digit> digits) {
    List<Integer> out = new ArrayList<>();
    if (digits.size() < LONG) {
      return out;
    }
    for (int i = GROUP; i < digits.size() - GROUP; i++) {
      NumberReading.Digit d = digits.get(i);
      if (d.digit() == 1 && slashLike(d.prediction().input())) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Whether a model input (28x28, ink bright) is one straight leaning stroke: the principal axes
   * of its ink, weighted by brightness, give its lean (the long axis from upright) and its
   * straightness (the short axis's spread over the long one's).
   */
  static boolean slashLike(float[] input) {
    int side = 28;
    if (input == null || input.length != side * side) {
      return false;
    }
    double s = 0;
    double sx = 0;
    double sy = 0;
    for (int i = 0; i < input.length; i++) {
      s += input[i];
      sx += input[i] * (i % side);
      sy += input[i] * (i / side);
    }
    if (s <= 0) {
      return false;
    }
    double mx = sx / s;
    double my = sy / s;
    double xx = 0;
    double yy = 0;
    double xy = 0;
    for (int i = 0; i < input.length; i++) {
      double dx = i % side - mx;
      double dy = i / side - my;
      xx += input[i] * dx * dx;
      yy += input[i] * dy * dy;
      xy += input[i] * dx * dy;
    }
    // Rows grow downwards, so a stroke whose top leans right has x falling as y grows: xy < 0.
    double lean = Math.toDegrees(0.5 * Math.atan2(-2 * xy, yy - xx));
    double half = (xx + yy) / 2;
    double spread = Math.sqrt(Math.max(0, half * half - (xx * yy - xy * xy)));
    double straight = Math.sqrt(Math.max(0, half - spread) / (half + spread));
    return lean > LEAN && straight < STRAIGHT;
  }
}
