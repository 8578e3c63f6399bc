package dev.digits.data;

import java.util.SplittableRandom;

/**
 * Random affine distortion of 28x28 digits (rotation, scale, shift) with bilinear sampling, done in
 * Java on the raw bytes while a batch is assembled. At ~10 µs an image it costs about 2% of a
 * training step, far cheaper than an extra graph pass would be on two cores.
 */
public final class Augmenter {
  private final double maxRadians;
  private final double minScale;
  private final double maxScale;
  private final double maxShift;

  public Augmenter(double maxDegrees, double minScale, double maxScale, double maxShiftPixels) {
    this.maxRadians = Math.toRadians(maxDegrees);
    this.minScale = minScale;
    this.maxScale = maxScale;
    this.maxShift = maxShiftPixels;
  }

  /** Rotation ±10°, scale 0.9-1.1, shift ±2 pixels. */
  public static Augmenter standard() {
    return new Augmenter(10, 0.9, 1.1, 2);
  }

  /**
   * Writes a distorted copy of image {@code index} of {@code src} into {@code dst} at
   * {@code dstOffset}, as floats in [0, 1].
   */
  public void apply(byte[] src, int index, int side, float[] dst, int dstOffset, SplittableRandom rng) {
    double angle = (rng.nextDouble() * 2 - 1) * maxRadians;
    double scale = minScale + rng.nextDouble() * (maxScale - minScale);
    double tx = (rng.nextDouble() * 2 - 1) * maxShift;
    double ty = (rng.nextDouble() * 2 - 1) * maxShift;
    // Inverse map: for each output pixel, where in the source does it come from?
    double cos = Math.cos(angle) / scale;
    double sin = Math.sin(angle) / scale;
    double c = (side - 1) / 2.0;
    int base = index * side * side;
    for (int y = 0; y < side; y++) {
      double dy = y - c - ty;
      for (int x = 0; x < side; x++) {
        double dx = x - c - tx;
        double sx = cos * dx + sin * dy + c;
        double sy = -sin * dx + cos * dy + c;
        dst[dstOffset + y * side + x] = bilinear(src, base, side, sx, sy);
      }
    }
  }

  private static float bilinear(byte[] src, int base, int side, double x, double y) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    double top = (1 - fx) * pixel(src, base, side, x0, y0) + fx * pixel(src, base, side, x0 + 1, y0);
    double bottom = (1 - fx) * pixel(src, base, side, x0, y0 + 1) + fx * pixel(src, base, side, x0 + 1, y0 + 1);
    return (float) (((1 - fy) * top + fy * bottom) / 255.0);
  }

  private static int pixel(byte[] src, int base, int side, int x, int y) {
    if (x < 0 || y < 0 || x >= side || y >= side) {
      return 0;
    }
    return src[base + y * side + x] & 0xff;
  }
}
