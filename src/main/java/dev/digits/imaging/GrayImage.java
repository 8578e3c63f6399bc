package dev.digits.imaging;

/** A greyscale image of floats, row-major: the preprocessor's working format. */
public final class GrayImage {
  public final int width;
  public final int height;
  public final float[] v;

  public GrayImage(int width, int height) {
    this(width, height, new float[width * height]);
  }

  public GrayImage(int width, int height, float[] v) {
    this.width = width;
    this.height = height;
    this.v = v;
  }

  public float get(int x, int y) {
    return v[y * width + x];
  }

  /** The median of the outermost pixels: the paper's level, where the digit keeps off the edges. */
  public float borderMedian() {
    float[] border = new float[2 * (width + height)];
    int n = 0;
    for (int x = 0; x < width; x++) {
      border[n++] = v[x];
      border[n++] = v[(height - 1) * width + x];
    }
    for (int y = 0; y < height; y++) {
      border[n++] = v[y * width];
      border[n++] = v[y * width + width - 1];
    }
    java.util.Arrays.sort(border, 0, n);
    return border[n / 2];
  }

  /**
   * Labels the 8-connected components of pixels of at least {@code level}: {@code label} (all 0
   * on entry) gets 1, 2, ... in the order the components' first pixels come row by row.
   *
   * @return how many components there are
   */
  public int labelComponents(float level, int[] label) {
    int[] stack = new int[width * height];
    int next = 0;
    for (int start = 0; start < v.length; start++) {
      if (label[start] != 0 || v[start] < level) {
        continue;
      }
      int id = ++next;
      int sp = 0;
      stack[sp++] = start;
      label[start] = id;
      while (sp > 0) {
        int p = stack[--sp];
        int px = p % width;
        int py = p / width;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int qx = px + dx;
            int qy = py + dy;
            if (qx >= 0 && qy >= 0 && qx < width && qy < height) {
              int q = qy * width + qx;
              if (label[q] == 0 && v[q] >= level) {
                label[q] = id;
                stack[sp++] = q;
              }
            }
          }
        }
      }
    }
    return next;
  }

  /** 256-bin histogram of the values, clamped to 0-255. */
  public int[] histogram() {
    int[] h = new int[256];
    for (float f : v) {
      h[Math.max(0, Math.min(255, (int) f))]++;
    }
    return h;
  }

  /** The value below which {@code fraction} of the pixels lie (0-255 scale). */
  public static int percentile(int[] histogram, double fraction) {
    long total = 0;
    for (int c : histogram) {
      total += c;
    }
    long target = (long) Math.ceil(fraction * total);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= target && seen > 0) {
        return i;
      }
    }
    return histogram.length - 1;
  }

  public GrayImage crop(int x0, int y0, int w, int h) {
    GrayImage out = new GrayImage(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sx = x0 + x;
        int sy = y0 + y;
        if (sx >= 0 && sy >= 0 && sx < width && sy < height) {
          out.v[y * w + x] = v[sy * width + sx];
        }
      }
    }
    return out;
  }

  /**
   * Resamples to {@code nw x nh}: area averaging when shrinking (every source pixel counts, so thin
   * strokes fade instead of vanishing: anti-aliasing), bilinear when growing.
   */
  public GrayImage resize(int nw, int nh) {
    if (nw == width && nh == height) {
      return this;
    }
    if (nw <= width && nh <= height) {
      return areaAverage(nw, nh);
    }
    GrayImage out = new GrayImage(nw, nh);
    double sx = (double) width / nw;
    double sy = (double) height / nh;
    for (int y = 0; y < nh; y++) {
      double fy = Math.max(0, Math.min(height - 1, (y + 0.5) * sy - 0.5));
      int y0 = (int) fy;
      int y1 = Math.min(height - 1, y0 + 1);
      double wy = fy - y0;
      for (int x = 0; x < nw; x++) {
        double fx = Math.max(0, Math.min(width - 1, (x + 0.5) * sx - 0.5));
        int x0 = (int) fx;
        int x1 = Math.min(width - 1, x0 + 1);
        double wx = fx - x0;
        double top = get(x0, y0) * (1 - wx) + get(x1, y0) * wx;
        double bottom = get(x0, y1) * (1 - wx) + get(x1, y1) * wx;
        out.v[y * nw + x] = (float) (top * (1 - wy) + bottom * wy);
      }
    }
    return out;
  }

  private GrayImage areaAverage(int nw, int nh) {
    GrayImage out = new GrayImage(nw, nh);
    double sx = (double) width / nw;
    double sy = (double) height / nh;
    for (int y = 0; y < nh; y++) {
      double ya = y * sy;
      double yb = ya + sy;
      for (int x = 0; x < nw; x++) {
        double xa = x * sx;
        double xb = xa + sx;
        double sum = 0;
        for (int iy = (int) ya; iy < Math.min(height, Math.ceil(yb)); iy++) {
          double wy = Math.min(yb, iy + 1) - Math.max(ya, iy);
          for (int ix = (int) xa; ix < Math.min(width, Math.ceil(xb)); ix++) {
            double wx = Math.min(xb, ix + 1) - Math.max(xa, ix);
            sum += wx * wy * v[iy * width + ix];
          }
        }
        out.v[y * nw + x] = (float) (sum / (sx * sy));
      }
    }
    return out;
  }
}
