package dev.digits.numbers;

import dev.digits.imaging.GrayImage;

/**
 * The slant of a line of handwriting, and the line sheared upright. People and italic fonts write
 * leaning digits; MNIST's are mostly upright, and a leaning "8" whose top loop has shrunk to a
 * tick reads as a "0". Upright digits also stand apart at vertical cuts, so touching slanted
 * digits separate where they join.
 *
 * <p>The slant is read off the edges of the strokes: along an edge within 45 degrees of vertical,
 * the gradient (gx, gy) says the edge shifts -gy/gx columns per row, and the least-squares shear
 * over all such edges, weighted by gx squared, is the line's. Curves lean both ways and cancel;
 * the long strokes of a slanted hand do not. (The classic criterion, the shear that makes the most
 * columns one unbroken stroke, jumped between extremes on bold and thin real digits.) A line that
 * leans less than {@link #UPRIGHT} is left exactly as it is.
 */
final class LineSlant {
  /**
   * A lean under this (about 17 degrees) is within how MNIST's own digits lean: left alone, since
   * the model has learnt those. Measured ({@code tools/benchmark numbers --per-cell 100}, seeds 0
   * and 1), from 0.3 against no shear: handwriting fonts 91.5% / 89.8% -> 96.5% / 98.3% exact; real
   * hand-made numbers 88.5% / 90.0% -> 88.5% / 90.0%; 4 MNIST digits touching 72.5% / 70.8% ->
   * 71.5% / 69.5%. From 0.1 and 0.2 the fonts gained less and the MNIST numbers lost more.
   */
  static final double UPRIGHT = 0.3;

  /** The shear: a pixel at (x, y) of the line moves to (x - shear * (y - centre) + offset, y). */
  final double shear;
  private final double centre;
  private final int offset;

  private LineSlant(double shear, double centre) {
    this.shear = shear;
    this.centre = centre;
    this.offset = (int) Math.ceil(Math.abs(shear) * centre);
  }

  /**
   * The line's slant (0 for an upright line). Curves pull the estimate towards upright, so it is
   * taken again on the line sheared by the estimate so far, and what is left is added.
   */
  static LineSlant of(GrayImage g) {
    double centre = (g.height - 1) / 2.0;
    double shear = 0;
    for (int round = 0; round < ROUNDS; round++) {
      LineSlant so = new LineSlant(shear, centre);
      shear = Math.max(-1, Math.min(1, shear + residual(shear == 0 ? g : so.apply(g))));
    }
    if (Math.abs(shear) < UPRIGHT) {
      shear = 0;
    }
    return new LineSlant(shear, centre);
  }

  private static final int ROUNDS = 3;

  /** The least-squares shear of the edges within 45 degrees of vertical, each weighted by gx squared. */
  private static double residual(GrayImage g) {
    double sxy = 0;
    double sxx = 0;
    for (int y = 1; y + 1 < g.height; y++) {
      for (int x = 1; x + 1 < g.width; x++) {
        int i = y * g.width + x;
        float gx = (g.v[i - g.width + 1] + 2 * g.v[i + 1] + g.v[i + g.width + 1])
            - (g.v[i - g.width - 1] + 2 * g.v[i - 1] + g.v[i + g.width - 1]);
        float gy = (g.v[i + g.width - 1] + 2 * g.v[i + g.width] + g.v[i + g.width + 1])
            - (g.v[i - g.width - 1] + 2 * g.v[i - g.width] + g.v[i - g.width + 1]);
        if (Math.abs(gy) < Math.abs(gx)) {
          sxy += gx * gy;
          sxx += gx * gx;
        }
      }
    }
    return sxx == 0 ? 0 : -sxy / sxx;
  }

  boolean upright() {
    return shear == 0;
  }

  /** The line sheared upright (wider by the shift at top and bottom), linear between columns. */
  GrayImage apply(GrayImage g) {
    if (shear == 0) {
      return g;
    }
    int w = g.width + 2 * offset;
    GrayImage out = new GrayImage(w, g.height);
    for (int y = 0; y < g.height; y++) {
      double dx = -shear * (y - centre) + offset;
      int whole = (int) Math.floor(dx);
      float frac = (float) (dx - whole);
      for (int x = 0; x < g.width; x++) {
        float v = g.v[y * g.width + x];
        if (v == 0f) {
          continue;
        }
        int c = x + whole;
        out.v[y * w + c] += v * (1 - frac);
        if (c + 1 < w) {
          out.v[y * w + c + 1] += v * frac;
        }
      }
    }
    return out;
  }

  /** Where a pixel of the upright line lay in the line as it was (x only; rows do not move). */
  double originalX(double x, int y) {
    return x - offset + shear * (y - centre);
  }
}
