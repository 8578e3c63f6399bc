package dev.digits.imaging;

import java.awt.image.BufferedImage;

/**
 * A sheet photographed on a dark desk, for {@link PaperLight}: where the desk is, and whether a
 * small light piece of a dark photo is a sheet.
 *
 * <p>The desk is told from a shadow (both dark, both reaching the border) by its edge, sharp
 * where a shadow's is soft, and by having nothing written on it; from light strokes on a dark
 * ground by the sheet being one large piece that fills its bounding box and has writing in it.
 */
final class Desk {
  /** The least share of a photo a sheet on a desk covers ({@link #smallSheetOn}). */
  static final double SHEET_AREA = 0.05;

  /** The least share of its bounding box a sheet on a desk fills (a rectangle turned by 10 degrees fills 75%). */
  static final double SHEET_FILL = 0.7;

  /** The least difference between the paper's light and the border's dark level for a desk. */
  static final float CONTRAST = 60f;

  /** How far either side of a desk's edge its sharpness is measured, as a share of the shorter side (at least 3 pixels). */
  static final double EDGE = 0.01;

  /** The share of a desk's edge that must be sharp ({@link #sharpEdged}). */
  static final double SHARP_SHARE = 0.6;

  /** The share of a desk's pixels that may be much darker than it before it counts as written on ({@link #written}). */
  static final double WRITTEN = 0.005;

  /** The rim round a desk also taken for desk, as a share of the shorter side (at least 2 pixels). */
  static final double RIM = 0.01;

  private Desk() {}

  /**
   * The desk round a sheet photographed on it, or null when there is none: whatever reaches the
   * image's border through pixels darker than halfway from the border's dark level to the paper's
   * (a quarter of the border or more), opened (a ruling or a stroke that runs into it is none of
   * it), where it ends at a sharp edge ({@link #sharpEdged}: a shadow's edge is soft) and has
   * nothing written on it ({@link #written}); with a rim of {@link #RIM} of the shorter side round
   * it (the sheet's edge, blurred into the desk).
   */
  static boolean[] find(BufferedImage image, GrayImage g) {
    float deskLevel = DigitPreprocessor.percentileOfBorder(g, 0.1);
    float paperLevel = GrayImage.percentile(g.histogram(), 0.95);
    float dark = (deskLevel + paperLevel) / 2f;
    if (paperLevel - deskLevel < CONTRAST || DigitPreprocessor.percentileOfBorder(g, 0.25) >= dark) {
      return null;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    float[] lum = new float[w * h];
    int[] rgb = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, rgb, 0, w);
      for (int x = 0; x < w; x++) {
        lum[y * w + x] = PaperLight.luminance(rgb[x]);
      }
    }
    boolean[] desk = new boolean[w * h];
    int[] queue = new int[w * h];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < w * h; i++) {
      int x = i % w;
      int y = i / w;
      if ((x == 0 || y == 0 || x == w - 1 || y == h - 1) && lum[i] < dark) {
        desk[i] = true;
        queue[tail++] = i;
      }
    }
    while (head < tail) {
      int i = queue[head++];
      int x = i % w;
      for (int j : new int[] {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w}) {
        if (j >= 0 && j < w * h && !desk[j] && lum[j] < dark) {
          desk[j] = true;
          queue[tail++] = j;
        }
      }
    }
    // Opened: a ruling or a stroke that runs into the desk is no part of it (flooded, a ruling
    // took the digits standing on it with it), and a sheet's edge does not end in a thin line.
    int thin = Math.max(3, (int) Math.round(EDGE * Math.min(w, h)));
    int[] d = distance(desk, false, w, h, queue); // the flood's queue, done with, holds the distances
    for (int i = 0; i < w * h; i++) {
      desk[i] = d[i] > thin; // the desk worn away by as much: its core
    }
    distance(desk, true, w, h, d);
    int size = 0;
    for (int i = 0; i < w * h; i++) {
      desk[i] = d[i] <= thin; // the core grown back
      size += desk[i] ? 1 : 0;
    }
    if (size == 0 || !sharpEdged(desk, lum, w, h, paperLevel - deskLevel) || written(desk, lum, size)) {
      return null;
    }
    int rim = Math.max(2, (int) Math.round(RIM * Math.min(w, h)));
    for (int i = 0; i < w * h; i++) {
      desk[i] = d[i] <= thin + rim;
    }
    return desk;
  }

  /**
   * Into {@code d}, each pixel's city-block distance to the nearest pixel where {@code mask} is
   * {@code value} (two passes; beyond the image is no such pixel, so a desk at the border is not
   * worn away from outside).
   */
  static int[] distance(boolean[] mask, boolean value, int w, int h, int[] d) {
    int far = w + h;
    for (int i = 0; i < w * h; i++) {
      d[i] = mask[i] == value ? 0 : far;
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (x > 0) {
          d[i] = Math.min(d[i], d[i - 1] + 1);
        }
        if (y > 0) {
          d[i] = Math.min(d[i], d[i - w] + 1);
        }
      }
    }
    for (int y = h - 1; y >= 0; y--) {
      for (int x = w - 1; x >= 0; x--) {
        int i = y * w + x;
        if (x < w - 1) {
          d[i] = Math.min(d[i], d[i + 1] + 1);
        }
        if (y < h - 1) {
          d[i] = Math.min(d[i], d[i + w] + 1);
        }
      }
    }
    return d;
  }

  /**
   * Whether most of the desk's edge (its pixels beside the sheet: {@link #SHARP_SHARE}) is sharp:
   * across it, from {@link #EDGE} of the shorter side inside the desk to as far into the sheet, the
   * light rises by half the paper's difference from the desk or more. A sheet's edge, even blurred,
   * does; a shadow's, softened over a few percent of the photo, does not.
   */
  private static boolean sharpEdged(boolean[] desk, float[] lum, int w, int h, float contrast) {
    int reach = Math.max(3, (int) Math.round(EDGE * Math.min(w, h)));
    long edge = 0;
    long sharp = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (!desk[i]) {
          continue;
        }
        int dx = x + 1 < w && !desk[i + 1] ? 1 : x > 0 && !desk[i - 1] ? -1 : 0;
        int dy = dx != 0 ? 0 : y + 1 < h && !desk[i + w] ? 1 : y > 0 && !desk[i - w] ? -1 : 0;
        if (dx == 0 && dy == 0) {
          continue;
        }
        edge++;
        int xIn = Math.max(0, Math.min(w - 1, x - dx * reach));
        int yIn = Math.max(0, Math.min(h - 1, y - dy * reach));
        int xOut = Math.max(0, Math.min(w - 1, x + dx * reach));
        int yOut = Math.max(0, Math.min(h - 1, y + dy * reach));
        if (lum[yOut * w + xOut] - lum[yIn * w + xIn] >= contrast / 2) {
          sharp++;
        }
      }
    }
    return edge > 0 && sharp >= SHARP_SHARE * edge;
  }

  /**
   * Whether there is writing on what looked like a desk: more than {@link #WRITTEN} of it darker than
   * its median by 40% (or by 20 levels, where that is more). A sharp shadow over writing is such a
   * region; a desk is not written on, and whitening it loses nothing.
   */
  private static boolean written(boolean[] desk, float[] lum, int size) {
    int[] hist = new int[256];
    for (int i = 0; i < desk.length; i++) {
      if (desk[i]) {
        hist[Math.max(0, Math.min(255, (int) lum[i]))]++;
      }
    }
    int median = GrayImage.percentile(hist, 0.5);
    int ink = (int) Math.floor(median - Math.max(0.4 * median, 20));
    long darker = 0;
    for (int v = 0; v < Math.max(0, ink); v++) {
      darker += hist[v];
    }
    return darker > WRITTEN * size;
  }

  /**
   * The grey copy {@link PaperLight#sampled} made, with every sample on the desk given the nearest sheet
   * sample's value: the closing then measures the sheet's light up to its edge, as if the paper
   * went on. (All desk, as a photo of nothing but a desk is: left as it is.)
   */
  static GrayImage sheetOnly(GrayImage g, boolean[] desk, int w) {
    int f = Greyscale.shrinkFactor(w, desk.length / w, PaperLight.LIGHT_SIDE);
    int h = desk.length / w;
    GrayImage out = new GrayImage(g.width, g.height, g.v.clone());
    boolean[] unset = new boolean[g.v.length];
    int[] queue = new int[g.v.length];
    int tail = 0;
    for (int gy = 0; gy < g.height; gy++) {
      for (int gx = 0; gx < g.width; gx++) {
        int i = gy * g.width + gx;
        unset[i] = desk[Math.min(h - 1, gy * f + f / 2) * w + Math.min(w - 1, gx * f + f / 2)];
        if (!unset[i]) {
          queue[tail++] = i;
        }
      }
    }
    for (int head = 0; head < tail; head++) {
      int i = queue[head];
      int x = i % g.width;
      for (int j : new int[] {x > 0 ? i - 1 : -1, x < g.width - 1 ? i + 1 : -1, i - g.width, i + g.width}) {
        if (j >= 0 && j < unset.length && unset[j]) {
          unset[j] = false;
          out.v[j] = out.v[i];
          queue[tail++] = j;
        }
      }
    }
    return out;
  }

  /**
   * Whether the image is a small sheet photographed on a dark desk (under a third of the photo):
   * its largest light piece (lighter than halfway from the border to the lightest 5%) covers
   * {@link #SHEET_AREA} of the image or more, a quarter of its width and height, most of its own
   * bounding box ({@link #SHEET_FILL}: a turned rectangle does, light strokes on a dark ground do
   * not), and has something dark written inside it (a light bar of a "1" has not).
   */
  static boolean smallSheetOn(GrayImage g) {
    float border = DigitPreprocessor.borderMedian(g);
    float light = GrayImage.percentile(g.histogram(), 0.95);
    float half = (border + light) / 2f;
    if (light - border < CONTRAST) {
      return false;
    }
    int w = g.width;
    int h = g.height;
    int[] label = new int[w * h];
    int[] queue = new int[w * h];
    int best = 0;
    int[] bestBox = null;
    int next = 0;
    for (int start = 0; start < w * h; start++) {
      if (label[start] != 0 || g.v[start] <= half) {
        continue;
      }
      next++;
      label[start] = next;
      int tail = 0;
      queue[tail++] = start;
      int[] box = {w, h, -1, -1};
      for (int head = 0; head < tail; head++) {
        int i = queue[head];
        int x = i % w;
        int y = i / w;
        box[0] = Math.min(box[0], x);
        box[1] = Math.min(box[1], y);
        box[2] = Math.max(box[2], x);
        box[3] = Math.max(box[3], y);
        for (int j : new int[] {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w}) {
          if (j >= 0 && j < w * h && label[j] == 0 && g.v[j] > half) {
            label[j] = next;
            queue[tail++] = j;
          }
        }
      }
      if (tail > best) {
        best = tail;
        bestBox = box;
      }
    }
    if (bestBox == null) {
      return false;
    }
    int bw = bestBox[2] - bestBox[0] + 1;
    int bh = bestBox[3] - bestBox[1] + 1;
    if (best < SHEET_AREA * w * h || bw < w / 4 || bh < h / 4 || best < SHEET_FILL * bw * bh) {
      return false;
    }
    int written = 0;
    for (int y = bestBox[1] + bh / 10; y <= bestBox[3] - bh / 10; y++) {
      for (int x = bestBox[0] + bw / 10; x <= bestBox[2] - bw / 10; x++) {
        written += g.v[y * w + x] <= half ? 1 : 0;
      }
    }
    return written >= 0.005 * bw * bh;
  }
}
