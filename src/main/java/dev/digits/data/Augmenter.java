package dev.digits.data;

import dev.digits.model.ModelContract;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random distortion of 28x28 digits while a batch is assembled, in Java on the raw bytes.
 *
 * <p>{@link Kind#AFFINE}: rotation, scale and shift with bilinear sampling, as MNIST recipes do.
 * {@link Kind#REAL} adds what people's own images look like once the preprocessor has made them
 * MNIST-shaped, each effect with its own probability: elastic warping (handwriting is not a rigid
 * shape), thicker strokes (markers), blur and low resolution (small drawings and scans enlarged to
 * 20 pixels), and faint, bold or hard-edged ink (pencil, felt pen, paint programs). A MNIST-trained
 * model misreads exactly these. Nothing here changes a digit's topology: erosion and erased gaps
 * were tried and cost accuracy on real images, since an open loop is what tells a 6 from a 5 or a
 * 9 from a 4. At ~15 µs an image it costs a few percent of a training step.
 *
 * <p>Not thread-safe: one instance per batching thread (it keeps scratch buffers).
 */
public final class Augmenter {
  /** Which distortions to apply. */
  public enum Kind { NONE, AFFINE, REAL }

  private static final int SIDE = ModelContract.SIDE;
  private static final double MAX_DEGREES = 10;
  private static final double MIN_SCALE = 0.9;
  private static final double MAX_SCALE = 1.1;
  private static final double MAX_SHIFT = 2;
  /** Elastic warp: displacements up to this many pixels on a coarse grid, interpolated smoothly. */
  private static final double ELASTIC_PIXELS = 1.2;
  private static final int GRID = 4;
  private static final double P_ELASTIC = 0.3;
  private static final double P_THICKER = 0.2;
  private static final double P_LOW_RESOLUTION = 0.15;
  private static final double P_BLUR = 0.15;
  private static final double P_GAMMA = 0.2;
  private static final double P_BINARY = 0.1;

  private final Kind kind;
  private final float[] a = new float[SIDE * SIDE];
  private final float[] b = new float[SIDE * SIDE];
  private final double[] gridX = new double[(GRID + 1) * (GRID + 1)];
  private final double[] gridY = new double[(GRID + 1) * (GRID + 1)];

  public Augmenter(Kind kind) {
    this.kind = kind;
  }

  /** An augmenter of the given kind, or null for {@link Kind#NONE}. */
  public static Augmenter of(Kind kind) {
    return kind == Kind.NONE ? null : new Augmenter(kind);
  }

  /** What each kind does, for a model's metadata. */
  public static Map<String, Object> describe(Kind kind) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind.name().toLowerCase());
    if (kind == Kind.NONE) {
      return m;
    }
    m.put("rotation_degrees", MAX_DEGREES);
    m.put("scale", MIN_SCALE + "-" + MAX_SCALE);
    m.put("shift_pixels", MAX_SHIFT);
    if (kind == Kind.REAL) {
      m.put("elastic", P_ELASTIC + " (up to " + ELASTIC_PIXELS + " px on a " + GRID + "x" + GRID + " grid)");
      m.put("thicker_strokes", P_THICKER);
      m.put("low_resolution", P_LOW_RESOLUTION + " (down to 8-14 px and back)");
      m.put("blur", P_BLUR);
      m.put("faint_or_bold_gamma", P_GAMMA + " (gamma 0.5-2)");
      m.put("binary_ink", P_BINARY);
    }
    return m;
  }

  /**
   * Writes a distorted copy of image {@code index} of {@code src} (28x28 bytes) into {@code dst} at
   * {@code dstOffset}, as floats in [0, 1].
   */
  public void apply(byte[] src, int index, int side, float[] dst, int dstOffset, SplittableRandom rng) {
    if (side != SIDE) {
      throw new IllegalArgumentException("the augmenter works on 28x28 images, not " + side + "x" + side);
    }
    boolean elastic = kind == Kind.REAL && rng.nextDouble() < P_ELASTIC;
    warp(src, index * SIDE * SIDE, a, elastic, rng);
    if (kind == Kind.REAL) {
      realistic(rng);
    }
    System.arraycopy(a, 0, dst, dstOffset, SIDE * SIDE);
  }

  /** Rotation, scale, shift and (optionally) an elastic warp, sampled bilinearly into {@code out}. */
  private void warp(byte[] src, int base, float[] out, boolean elastic, SplittableRandom rng) {
    double angle = Math.toRadians((rng.nextDouble() * 2 - 1) * MAX_DEGREES);
    double scale = MIN_SCALE + rng.nextDouble() * (MAX_SCALE - MIN_SCALE);
    double tx = (rng.nextDouble() * 2 - 1) * MAX_SHIFT;
    double ty = (rng.nextDouble() * 2 - 1) * MAX_SHIFT;
    if (elastic) {
      for (int i = 0; i < gridX.length; i++) {
        gridX[i] = (rng.nextDouble() * 2 - 1) * ELASTIC_PIXELS;
        gridY[i] = (rng.nextDouble() * 2 - 1) * ELASTIC_PIXELS;
      }
    }
    // Inverse map: for each output pixel, where in the source does it come from?
    double cos = Math.cos(angle) / scale;
    double sin = Math.sin(angle) / scale;
    double c = (SIDE - 1) / 2.0;
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        double dx = x - c - tx;
        double dy = y - c - ty;
        if (elastic) {
          dx += grid(gridX, x, y);
          dy += grid(gridY, x, y);
        }
        double sx = cos * dx + sin * dy + c;
        double sy = -sin * dx + cos * dy + c;
        out[y * SIDE + x] = bilinear(src, base, sx, sy);
      }
    }
  }

  /** A displacement field interpolated bilinearly from the coarse grid: smooth, so strokes bend rather than tear. */
  private static double grid(double[] g, int x, int y) {
    double gx = x * GRID / (double) (SIDE - 1);
    double gy = y * GRID / (double) (SIDE - 1);
    int x0 = Math.min(GRID - 1, (int) gx);
    int y0 = Math.min(GRID - 1, (int) gy);
    double fx = gx - x0;
    double fy = gy - y0;
    int n = GRID + 1;
    return (1 - fy) * ((1 - fx) * g[y0 * n + x0] + fx * g[y0 * n + x0 + 1])
        + fy * ((1 - fx) * g[(y0 + 1) * n + x0] + fx * g[(y0 + 1) * n + x0 + 1]);
  }

  /** The effects of real images, in the order a real image suffers them: pen, resolution, ink. */
  private void realistic(SplittableRandom rng) {
    if (rng.nextDouble() < P_THICKER) {
      dilate();
    }
    if (rng.nextDouble() < P_LOW_RESOLUTION) {
      lowResolution(8 + rng.nextInt(7));
    }
    if (rng.nextDouble() < P_BLUR) {
      blur();
    }
    if (rng.nextDouble() < P_GAMMA) {
      double gamma = Math.exp((rng.nextDouble() * 2 - 1) * Math.log(2)); // 0.5-2, as often fainter as bolder
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) Math.pow(a[i], gamma);
      }
    }
    if (rng.nextDouble() < P_BINARY) {
      for (int i = 0; i < a.length; i++) {
        a[i] = a[i] >= 0.5f ? 1f : 0f;
      }
    }
    normalizePeak();
  }

  /** Grey dilation with a plus-shaped 3x3 window: a broader pen. */
  private void dilate() {
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        float m = a[y * SIDE + x];
        for (int k = 0; k < 4; k++) {
          int nx = x + (k == 0 ? -1 : k == 1 ? 1 : 0);
          int ny = y + (k == 2 ? -1 : k == 3 ? 1 : 0);
          float v = nx >= 0 && ny >= 0 && nx < SIDE && ny < SIDE ? a[ny * SIDE + nx] : 0f;
          m = Math.max(m, v);
        }
        b[y * SIDE + x] = m;
      }
    }
    System.arraycopy(b, 0, a, 0, a.length);
  }

  /** Area-average down to {@code s x s} and bilinear back up: a small image enlarged. */
  private void lowResolution(int s) {
    float[] small = new float[s * s];
    double f = (double) SIDE / s;
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        double sum = 0;
        for (int iy = (int) (y * f); iy < Math.min(SIDE, Math.ceil((y + 1) * f)); iy++) {
          double wy = Math.min((y + 1) * f, iy + 1) - Math.max(y * f, iy);
          for (int ix = (int) (x * f); ix < Math.min(SIDE, Math.ceil((x + 1) * f)); ix++) {
            double wx = Math.min((x + 1) * f, ix + 1) - Math.max(x * f, ix);
            sum += wx * wy * a[iy * SIDE + ix];
          }
        }
        small[y * s + x] = (float) (sum / (f * f));
      }
    }
    for (int y = 0; y < SIDE; y++) {
      double fy = Math.max(0, Math.min(s - 1, (y + 0.5) / f - 0.5));
      int y0 = (int) fy;
      int y1 = Math.min(s - 1, y0 + 1);
      double wy = fy - y0;
      for (int x = 0; x < SIDE; x++) {
        double fx = Math.max(0, Math.min(s - 1, (x + 0.5) / f - 0.5));
        int x0 = (int) fx;
        int x1 = Math.min(s - 1, x0 + 1);
        double wx = fx - x0;
        double top = small[y0 * s + x0] * (1 - wx) + small[y0 * s + x1] * wx;
        double bottom = small[y1 * s + x0] * (1 - wx) + small[y1 * s + x1] * wx;
        a[y * SIDE + x] = (float) (top * (1 - wy) + bottom * wy);
      }
    }
  }

  /** A 3x3 binomial blur ([1 2 1] each way). */
  private void blur() {
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        float l = x > 0 ? a[y * SIDE + x - 1] : 0f;
        float r = x < SIDE - 1 ? a[y * SIDE + x + 1] : 0f;
        b[y * SIDE + x] = (l + 2 * a[y * SIDE + x] + r) / 4;
      }
    }
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        float u = y > 0 ? b[(y - 1) * SIDE + x] : 0f;
        float d = y < SIDE - 1 ? b[(y + 1) * SIDE + x] : 0f;
        a[y * SIDE + x] = (u + 2 * b[y * SIDE + x] + d) / 4;
      }
    }
  }

  /** The preprocessor scales every digit's peak ink to 1; so do we after blurring and thinning. */
  private void normalizePeak() {
    float max = 0;
    for (float v : a) {
      max = Math.max(max, v);
    }
    if (max > 0 && max < 1) {
      for (int i = 0; i < a.length; i++) {
        a[i] = Math.min(1f, a[i] / max);
      }
    }
  }

  private static float bilinear(byte[] src, int base, double x, double y) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    double top = (1 - fx) * pixel(src, base, x0, y0) + fx * pixel(src, base, x0 + 1, y0);
    double bottom = (1 - fx) * pixel(src, base, x0, y0 + 1) + fx * pixel(src, base, x0 + 1, y0 + 1);
    return (float) (((1 - fy) * top + fy * bottom) / 255.0);
  }

  private static int pixel(byte[] src, int base, int x, int y) {
    if (x < 0 || y < 0 || x >= SIDE || y >= SIDE) {
      return 0;
    }
    return src[base + y * SIDE + x] & 0xff;
  }
}
