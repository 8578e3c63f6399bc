package dev.digits.numbers;

import static dev.digits.model.LineNetwork.COLUMN;
import static dev.digits.model.LineNetwork.HEIGHT;
import static dev.digits.model.LineNetwork.INK_HEIGHT;

import dev.digits.imaging.GrayImage;

/**
 * A line of ink as the line reader's input: cropped to its ink, scaled (same factor both ways) so
 * that the ink is {@value dev.digits.model.LineNetwork#INK_HEIGHT} rows high, with blank rows above
 * and below and a margin of {@value #MARGIN} columns either side, the width rounded up to a
 * multiple of 4. Training lines and read lines go through this one recipe, so the model sees the
 * same kind of input in both.
 *
 * @param pixels {@value dev.digits.model.LineNetwork#HEIGHT} rows of {@code width} values in [0, 1], row-major
 * @param x0 the ink's left edge in the source
 * @param scale input pixels per source pixel
 */
public record LineInput(float[] pixels, int width, double x0, double scale) {
  /** Blank columns either side of the ink (a digit at the edge is still seen whole). */
  static final int MARGIN = 8;
  /** Widest input (about 140 digits): a longer line gets no input, and the line reader no say. */
  static final int MAX_WIDTH = 4096;
  /** Ink below this does not count when the ink is cropped. */
  private static final float LEVEL = 0.05f;

  /** Where a column of the model's output lies in the source, as the x of its centre. */
  public double sourceX(int column) {
    return x0 + ((column + 0.5) * COLUMN - MARGIN) / scale;
  }

  /** The input of a line of ink; null when there is no ink, or the line is too long for the line reader. */
  public static LineInput of(GrayImage ink) {
    int x0 = ink.width;
    int y0 = ink.height;
    int x1 = -1;
    int y1 = -1;
    for (int y = 0; y < ink.height; y++) {
      for (int x = 0; x < ink.width; x++) {
        if (ink.v[y * ink.width + x] > LEVEL) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
    }
    if (x1 < 0) {
      return null;
    }
    double scale = (double) INK_HEIGHT / (y1 - y0 + 1);
    int inkWidth = (int) Math.ceil((x1 - x0 + 1) * scale);
    int width = (inkWidth + 2 * MARGIN + COLUMN - 1) / COLUMN * COLUMN;
    if (width > MAX_WIDTH) {
      return null; // a cut-off line would be read short: better not read at all
    }
    float[] out = new float[HEIGHT * width];
    int top = (HEIGHT - INK_HEIGHT) / 2;
    for (int y = 0; y < INK_HEIGHT; y++) {
      for (int x = 0; x < inkWidth; x++) {
        out[(y + top) * width + x + MARGIN] = sample(ink, x0 + (x + 0.5) / scale, y0 + (y + 0.5) / scale, 1 / scale);
      }
    }
    return new LineInput(out, width, x0, scale);
  }

  /**
   * The source's ink at (sx, sy), for an output pixel {@code size} source pixels wide: the mean over
   * that square when shrinking (no stroke falls between samples), bilinear when enlarging.
   */
  private static float sample(GrayImage ink, double sx, double sy, double size) {
    if (size <= 1) {
      return bilinear(ink, sx - 0.5, sy - 0.5);
    }
    int xa = (int) Math.floor(sx - size / 2);
    int xb = (int) Math.ceil(sx + size / 2);
    int ya = (int) Math.floor(sy - size / 2);
    int yb = (int) Math.ceil(sy + size / 2);
    double sum = 0;
    int n = 0;
    for (int y = ya; y < yb; y++) {
      for (int x = xa; x < xb; x++) {
        if (x >= 0 && y >= 0 && x < ink.width && y < ink.height) {
          sum += ink.v[y * ink.width + x];
        }
        n++;
      }
    }
    return (float) Math.min(1, sum / n);
  }

  private static float bilinear(GrayImage ink, double fx, double fy) {
    int x = (int) Math.floor(fx);
    int y = (int) Math.floor(fy);
    double ax = fx - x;
    double ay = fy - y;
    return (float) ((1 - ay) * ((1 - ax) * at(ink, x, y) + ax * at(ink, x + 1, y))
        + ay * ((1 - ax) * at(ink, x, y + 1) + ax * at(ink, x + 1, y + 1)));
  }

  private static float at(GrayImage ink, int x, int y) {
    return x < 0 || y < 0 || x >= ink.width || y >= ink.height ? 0f : ink.v[y * ink.width + x];
  }
}
