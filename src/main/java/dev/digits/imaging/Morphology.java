package dev.digits.imaging;

/**
 * Grey-level erosion and dilation with a square window, in time independent of the window's size
 * (van Herk / Gil-Werman): the line is split into blocks of the window's length; within each block
 * the running extreme from the block's start and from its end are kept, and a window, which spans
 * the end of one block and the start of the next, is the extreme of two of them. The vertical pass
 * works on whole rows at a time, so it reads memory in order, as the horizontal one does.
 */
public final class Morphology {
  private Morphology() {}

  /** Replaces each value by the largest ({@code max}) or smallest within a {@code window}-wide square. */
  public static void extreme(GrayImage g, int window, boolean max) {
    int k = Math.max(1, window);
    if (max) { // the largest is the smallest of the negated values
      negate(g.v);
    }
    horizontal(g, k);
    vertical(g, k);
    if (max) {
      negate(g.v);
    }
  }

  private static void negate(float[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = -v[i];
    }
  }

  /** The smallest of {@code v[x - k/2 .. x - k/2 + k - 1]} along each row (clipped at the ends). */
  private static void horizontal(GrayImage g, int k) {
    int w = g.width;
    int r = k / 2;
    int padded = w + k;
    float none = Float.POSITIVE_INFINITY;
    float[] fromStart = new float[padded];
    float[] fromEnd = new float[padded];
    for (int y = 0; y < g.height; y++) {
      int row = y * w;
      // Index j of the padded row holds v[j - r]; outside the row nothing counts.
      for (int j = 0; j < padded; j++) {
        float v = j >= r && j - r < w ? g.v[row + j - r] : none;
        fromStart[j] = j % k == 0 ? v : pick(fromStart[j - 1], v);
      }
      for (int j = padded - 1; j >= 0; j--) {
        float v = j >= r && j - r < w ? g.v[row + j - r] : none;
        fromEnd[j] = j % k == k - 1 || j == padded - 1 ? v : pick(fromEnd[j + 1], v);
      }
      for (int x = 0; x < w; x++) {
        g.v[row + x] = pick(fromEnd[x], fromStart[x + k - 1]);
      }
    }
  }

  /** The same down each column, a whole row of columns at a time. */
  private static void vertical(GrayImage g, int k) {
    int w = g.width;
    int h = g.height;
    int r = k / 2;
    int padded = h + k;
    float none = Float.POSITIVE_INFINITY;
    float[] fromStart = new float[padded * w];
    float[] fromEnd = new float[padded * w];
    for (int j = 0; j < padded; j++) {
      boolean inside = j >= r && j - r < h;
      for (int x = 0; x < w; x++) {
        float v = inside ? g.v[(j - r) * w + x] : none;
        fromStart[j * w + x] = j % k == 0 ? v : pick(fromStart[(j - 1) * w + x], v);
      }
    }
    for (int j = padded - 1; j >= 0; j--) {
      boolean inside = j >= r && j - r < h;
      boolean blockEnd = j % k == k - 1 || j == padded - 1;
      for (int x = 0; x < w; x++) {
        float v = inside ? g.v[(j - r) * w + x] : none;
        fromEnd[j * w + x] = blockEnd ? v : pick(fromEnd[(j + 1) * w + x], v);
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        g.v[y * w + x] = pick(fromEnd[y * w + x], fromStart[(y + k - 1) * w + x]);
      }
    }
  }

  private static float pick(float a, float b) {
    return a < b ? a : b;
  }
}
