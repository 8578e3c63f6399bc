package dev.digits.imaging;

import dev.digits.model.ModelContract;
import java.awt.image.BufferedImage;

/**
 * Turns a picture of one handwritten digit into what the model was trained on: 28x28 floats in
 * [0, 1], white ink on black, the digit scaled to fit a 20x20 box (aspect ratio kept) and its
 * centre of mass at the centre, the way MNIST itself was made. Without this a model that scores
 * 99% on MNIST reads people's own digits right about a third of the time.
 *
 * <p>The steps, each a method below: greyscale (transparency composited onto a contrasting
 * background, large images shrunk) → polarity (dark-on-light is inverted) → background removal
 * (its level; uneven light only where the border shows it; for a line of digits also any light
 * wider than a stroke) → contrast normalization, or "no digit found" when nothing stands out from
 * the image's own noise → lines of ruled paper erased → crop to the ink (specks dropped) → fit
 * into 20x20 → centre of mass to the centre. Each step is measured with and without on real
 * digits ({@code tools/benchmark realdigits --ablate}); a blurry or thick stroke is never thinned
 * or broken on the way, nor a thin one thickened (dilating thin pen strokes cost two hand-made
 * digits of the development set, and gained none).
 */
public final class DigitPreprocessor {
  private static final int SIDE = ModelContract.SIDE;
  static final int BOX = 20;
  /** Larger images are shrunk to about this size first: plenty for a 20-pixel digit, and fast. */
  static final int WORK_SIDE = 320;

  /** The steps in order, as recorded in a model's metadata. */
  public static final String RECIPE = "greyscale (transparency on a contrasting background) > polarity by the"
      + " border's median > background level subtracted (a coarse grid where the border shows uneven light) >"
      + " contrast normalization (median ink = 1; no digit only when nothing stands out from the noise) > ruled"
      + " lines erased (large images) > crop to the ink without specks > fit into 20x20"
      + " (and 17, 22 when the model is unsure: probabilities averaged) > centre of mass to the centre of 28x28";

  /**
   * The optional steps, which the real-image benchmark leaves out one at a time to show what each
   * pays. {@code SCALE_VARIANTS} is the one that is not a step of {@link #toMnist}: the
   * {@link Predictor} reads the digit also fitted a little smaller and larger than 20 pixels when
   * it is unsure of the first reading, and averages the answers, which evens out how tightly a
   * person's digit happened to be cropped.
   */
  public enum Step { BACKGROUND, RULED_LINES, SPECKS, SCALE_VARIANTS }

  /** The box sizes of the extra variants: MNIST's 20, a little smaller, a little larger. */
  static final int[] VARIANT_BOXES = {BOX, 17, 22};

  private DigitPreprocessor() {}

  /** The model input for an image, or {@link ImageException} "no digit found". */
  public static float[] toMnist(BufferedImage image) {
    return variants(image, java.util.EnumSet.of(Step.SCALE_VARIANTS)).get(0);
  }

  /**
   * The model inputs for an image: the MNIST-style one first, then (unless {@code SCALE_VARIANTS}
   * is left out) the same digit fitted into 17 and 22 pixels instead of 20. Steps in
   * {@code without} are left out, for measuring what each pays.
   */
  public static java.util.List<float[]> variants(BufferedImage image, java.util.Set<Step> without) {
    GrayImage g = ink(Greyscale.of(image, WORK_SIDE), without);
    Box box = inkBox(g, !without.contains(Step.SPECKS));
    return modelInputs(g.crop(box.x(), box.y(), box.width(), box.height()), without.contains(Step.SCALE_VARIANTS));
  }

  /**
   * The steps up to the crop, in place: polarity, background, contrast, ruled lines. What is left
   * is ink in [0, 1] on 0, for one digit ({@link #variants}) or several ({@link NumberReader}).
   */
  public static GrayImage ink(GrayImage g, java.util.Set<Step> without) {
    return ink(g, without, false);
  }

  /**
   * {@link #ink(GrayImage, java.util.Set)}; with {@code keepFaint}, whatever stands out from the noise is kept
   * as ink, not only what reaches half of Otsu's threshold: several digits may have been written
   * with different pens, and a faint one beside bold ones must not vanish.
   */
  public static GrayImage ink(GrayImage g, java.util.Set<Step> without, boolean keepFaint) {
    makeInkBright(g);
    float noise = noise(g);
    subtractBackground(g, !without.contains(Step.BACKGROUND));
    if (keepFaint && !without.contains(Step.BACKGROUND)) {
      subtractWideLight(g);
    }
    float[] written = without.contains(Step.RULED_LINES) ? null : g.v.clone(); // before the scaling makes a light ruling and a pen alike
    normalizeContrast(g, noise, keepFaint);
    if (written != null) {
      removeRuledLines(g, written);
    }
    return g;
  }

  /** A cropped digit fitted into 20x20 (and, unless {@code onlyFirst}, 17 and 22) and centred by mass. */
  public static java.util.List<float[]> modelInputs(GrayImage digit, boolean onlyFirst) {
    java.util.List<float[]> out = new java.util.ArrayList<>();
    for (int size : onlyFirst ? new int[] {BOX} : VARIANT_BOXES) {
      out.add(centerByMass(fitBox(digit, size)));
    }
    return out;
  }

  /**
   * MNIST is white ink on black. The background is what most of the image's border shows (a
   * digit seldom covers the border); if it is light, the image is inverted.
   */
  static boolean makeInkBright(GrayImage g) {
    if (borderMedian(g) > 127) {
      for (int i = 0; i < g.v.length; i++) {
        g.v[i] = 255f - g.v[i];
      }
      return true;
    }
    return false;
  }

  static int borderMedian(GrayImage g) {
    return percentileOfBorder(g, 0.5);
  }

  /** A percentile of the values in the outer 5% of the image (at least one pixel wide). */
  static int percentileOfBorder(GrayImage g, double fraction) {
    int[] hist = new int[256];
    int ring = Math.max(1, Math.min(g.width, g.height) / 20);
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        if (x < ring || y < ring || x >= g.width - ring || y >= g.height - ring) {
          hist[Math.max(0, Math.min(255, (int) g.get(x, y)))]++;
        }
      }
    }
    return GrayImage.percentile(hist, fraction);
  }

  /**
   * Removes the background: its level (the border's median) everywhere; and where the border shows
   * that the light varies (a photo: shadow, uneven or tinted paper), a slowly varying estimate from a
   * coarse grid: a low percentile of each cell, then the median of neighbouring cells, so a cell
   * full of ink does not count as background while a lighting gradient is followed. Evenly lit
   * images (drawings, scans) get the single level only: a grid would eat into thick or blurry
   * strokes that fill whole cells.
   */
  static void subtractBackground(GrayImage g, boolean local) {
    int cells = 8;
    float global = borderMedian(g);
    // Between the 5th and 40th percentile of the border: paper only, even where strokes cover half the border.
    boolean uneven = percentileOfBorder(g, 0.4) - percentileOfBorder(g, 0.05) > UNEVEN_LIGHT;
    if (!local || !uneven || Math.max(g.width, g.height) < 4 * cells) {
      for (int i = 0; i < g.v.length; i++) {
        g.v[i] = Math.max(0, g.v[i] - global);
      }
      return;
    }
    int cw = (g.width + cells - 1) / cells;
    int ch = (g.height + cells - 1) / cells;
    int nx = (g.width + cw - 1) / cw;
    int ny = (g.height + ch - 1) / ch;
    int[][] cellHistograms = new int[nx * ny][256];
    for (int y = 0; y < g.height; y++) {
      int rowCell = (y / ch) * nx;
      for (int x = 0; x < g.width; x++) {
        cellHistograms[rowCell + x / cw][Math.max(0, Math.min(255, (int) g.v[y * g.width + x]))]++;
      }
    }
    float[] level = new float[nx * ny];
    for (int c = 0; c < level.length; c++) {
      level[c] = GrayImage.percentile(cellHistograms[c], 0.25);
    }
    float[] smooth = new float[level.length];
    float[] window = new float[9];
    for (int cy = 0; cy < ny; cy++) {
      for (int cx = 0; cx < nx; cx++) {
        int n = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int x = cx + dx;
            int y = cy + dy;
            if (x >= 0 && y >= 0 && x < nx && y < ny) {
              window[n++] = level[y * nx + x];
            }
          }
        }
        java.util.Arrays.sort(window, 0, n);
        smooth[cy * nx + cx] = window[n / 2]; // upper median: at the edges, err towards more background
      }
    }
    GrayImage bg = new GrayImage(nx, ny, smooth).resize(g.width, g.height);
    for (int i = 0; i < g.v.length; i++) {
      g.v[i] = Math.max(0, g.v[i] - bg.v[i]);
    }
  }

  /**
   * Where faint ink is kept, paper left a little lighter than the background estimate (a shadow's
   * edge in a photo, a gradient the border did not show) would count as ink, in patches as large as
   * digits that swallow them. What tells the two apart is width: a stroke is narrow, a patch of
   * paper is not. So the grey opening is subtracted, the darkest value within a window of
   * {@link #WIDE_LIGHT} of the image's shorter side, then the brightest within the same window: it
   * is the light that fills whole windows, and no stroke narrower than the window survives into it.
   */
  static void subtractWideLight(GrayImage g) {
    int window = (int) (WIDE_LIGHT * Math.min(g.width, g.height));
    if (window < 3) {
      return;
    }
    // Light that fills whole windows is found as well on a copy shrunk until the window is about
    // 32 pixels (shrinking averages, and a window still holds paper wherever there is a stroke), in
    // a fifth of the time (1-2 ms for an 800-pixel line); the opening is grown back to full size.
    int f = Math.max(1, window / 32);
    GrayImage opened = f == 1 ? new GrayImage(g.width, g.height, g.v.clone())
        : g.resize((g.width + f - 1) / f, (g.height + f - 1) / f);
    Morphology.extreme(opened, window / f, false);
    Morphology.extreme(opened, window / f, true);
    GrayImage light = opened.resize(g.width, g.height);
    for (int i = 0; i < g.v.length; i++) {
      g.v[i] = Math.max(0, g.v[i] - light.v[i]);
    }
  }

  /**
   * The opening's window as a share of the image's shorter side: wider than any digit's stroke.
   * (0.25 and 0.6 read the number benchmark's images exactly as 0.4 does.)
   */
  static final double WIDE_LIGHT = 0.4;

  /** Grey levels by which the paper along the border may vary before the light counts as uneven. */
  static final int UNEVEN_LIGHT = 12;

  /**
   * Maps the ink to [0, 1]: Otsu's threshold separates ink from background; values below half of
   * it (paper texture, noise) become 0 and the typical (median) ink level becomes 1, so a stroke's
   * core is saturated as in MNIST even where the pen pressed lighter. Faint is not blank: the
   * strokes need only stand out from the background's own noise, however light they are.
   *
   * @throws ImageException "no digit found" when nothing stands out from the background
   */
  static void normalizeContrast(GrayImage g, float noise) {
    normalizeContrast(g, noise, false);
  }

  static void normalizeContrast(GrayImage g, float noise, boolean keepFaint) {
    int[] hist = g.histogram();
    // The level that a handful of pixels reach: a thin "1" in a 28x28 drawing is only ~15 pixels.
    int strokePixels = Math.max(4, g.v.length / 5000);
    int peak = GrayImage.percentile(hist, 1.0 - (double) strokePixels / g.v.length);
    if (peak < Math.max(MIN_CONTRAST, 5 * noise)) {
      throw ImageException.noDigit("no digit found (nothing stands out from the background)");
    }
    int t = Math.max(Math.max(3, (int) Math.ceil(2 * noise)), otsu(hist));
    int[] inkHist = new int[256];
    long ink = 0;
    for (int i = t + 1; i < 256; i++) {
      inkHist[i] = hist[i];
      ink += hist[i];
    }
    if (ink < 4) {
      throw ImageException.noDigit("no digit found (too few ink pixels)");
    }
    float lo = keepFaint ? Math.min(t * 0.5f, Math.max(2.5f * noise, MIN_CONTRAST / 2f)) : t * 0.5f;
    float hi = Math.max(lo + 1, GrayImage.percentile(inkHist, 0.5));
    for (int i = 0; i < g.v.length; i++) {
      g.v[i] = Math.max(0f, Math.min(1f, (g.v[i] - lo) / (hi - lo)));
    }
  }

  /** Grey levels (of 255) that ink must rise above the background to be seen at all. */
  static final int MIN_CONTRAST = 8;

  /**
   * The image's noise (paper grain, sensor noise, JPEG artefacts) as a standard deviation in grey
   * levels: the median difference between horizontal neighbours, which most pairs of pixels, lying
   * in flat paper or inside a stroke, show as noise alone; only stroke edges differ by more.
   * Measured before the background is subtracted, which clips half the paper's noise to zero.
   */
  static float noise(GrayImage g) {
    int[] hist = new int[256];
    for (int y = 0; y < g.height; y++) {
      for (int x = 1; x < g.width; x++) {
        hist[Math.min(255, (int) Math.abs(g.v[y * g.width + x] - g.v[y * g.width + x - 1]))]++;
      }
    }
    return g.width < 2 ? 0 : 1.05f * GrayImage.percentile(hist, 0.5); // median |a-b| = 0.95 sigma for Gaussian noise
  }

  /**
   * Erases the lines of ruled or squared paper: thin bands of rows that are ink across at least 90%
   * of a photo's width, when there are two or more of them (one long stroke of a tightly cropped
   * digit makes a single band and is kept; small images are crops of one digit and have no ruling).
   * Strokes crossing a line lose only the line's thickness.
   */
  static boolean removeRuledLines(GrayImage g) {
    return removeRuledLines(g, null);
  }

  /**
   * {@link #removeRuledLines(GrayImage)}, sparing the writing a line runs through where
   * {@code written} (the ink's levels before its contrast was scaled) is given: in each row of a
   * line, the pixels more than {@link #OVER_A_LINE} times as dark as the row's median are a pen's
   * stroke over a lighter printed line, kept. (Erased whole, a squared paper's level line cut every
   * thick digit it crossed in two, and a page's layout took the halves for two lines.)
   */
  static boolean removeRuledLines(GrayImage g, float[] written) {
    if (Math.min(g.width, g.height) < RULED_MIN_SIDE) {
      return false;
    }
    boolean[] rule = new boolean[g.height];
    for (int y = 0; y < g.height; y++) {
      int ink = 0;
      for (int x = 0; x < g.width; x++) {
        ink += g.v[y * g.width + x] >= 0.5f ? 1 : 0;
      }
      rule[y] = ink >= 0.9 * g.width;
    }
    int maxThickness = Math.max(2, g.height / 25);
    int bands = 0;
    for (int y = 0; y < g.height; ) {
      if (!rule[y]) {
        y++;
        continue;
      }
      int end = y;
      while (end < g.height && rule[end]) {
        end++;
      }
      if (end - y > maxThickness) { // a thick band is a stroke or a filled area, not a ruling
        java.util.Arrays.fill(rule, y, end, false);
      } else {
        bands++;
      }
      y = end;
    }
    if (bands < 2) {
      return false;
    }
    for (int y = 0; y < g.height; y++) {
      if (!rule[y]) {
        continue;
      }
      float spare = Float.MAX_VALUE;
      if (written != null) {
        float[] row = java.util.Arrays.copyOfRange(written, y * g.width, (y + 1) * g.width);
        java.util.Arrays.sort(row);
        spare = OVER_A_LINE * row[row.length / 2];
      }
      for (int i = y * g.width; i < (y + 1) * g.width; i++) {
        if (written == null || written[i] <= spare) {
          g.v[i] = 0f;
        }
      }
    }
    return true;
  }

  /** How many times as dark as a ruled line's own row a pixel on it must be to be a stroke over it. */
  static final float OVER_A_LINE = 1.6f;

  /** Images smaller than this (pixels, shorter side) are taken to hold no ruled lines. */
  static final int RULED_MIN_SIDE = 64;

  /** Otsu's threshold on a 256-bin histogram. */
  static int otsu(int[] hist) {
    long total = 0;
    double sum = 0;
    for (int i = 0; i < 256; i++) {
      total += hist[i];
      sum += (double) i * hist[i];
    }
    double sumB = 0;
    long wB = 0;
    double best = -1;
    int threshold = 0;
    for (int i = 0; i < 256; i++) {
      wB += hist[i];
      if (wB == 0) {
        continue;
      }
      long wF = total - wB;
      if (wF == 0) {
        break;
      }
      sumB += (double) i * hist[i];
      double mB = sumB / wB;
      double mF = (sum - sumB) / wF;
      double between = (double) wB * wF * (mB - mF) * (mB - mF);
      if (between > best) {
        best = between;
        threshold = i;
      }
    }
    return threshold;
  }

  /**
   * The bounding box {x, y, w, h} of the digit: the 8-connected ink components, without specks
   * (components under {@link #SPECK} of the largest one's area), which are also erased from the
   * image. The share is small because a digit's own detached pieces (the bar of a 5, a faint end
   * of a loop) must stay.
   */
  static final double SPECK = 0.03;

  static Box inkBox(GrayImage g) {
    return inkBox(g, true);
  }

  static Box inkBox(GrayImage g, boolean dropSpecks) {
    int w = g.width;
    int h = g.height;
    int[] label = new int[w * h];
    int count = g.labelComponents(0.5f, label);
    java.util.List<int[]> comps = new java.util.ArrayList<>(); // {area, x0, y0, x1, y1}
    for (int id = 1; id <= count; id++) {
      comps.add(new int[] {0, w, h, -1, -1});
    }
    for (int p = 0; p < label.length; p++) {
      if (label[p] != 0) {
        int[] c = comps.get(label[p] - 1);
        c[0]++;
        c[1] = Math.min(c[1], p % w);
        c[2] = Math.min(c[2], p / w);
        c[3] = Math.max(c[3], p % w);
        c[4] = Math.max(c[4], p / w);
      }
    }
    if (comps.isEmpty()) {
      throw ImageException.noDigit("no digit found (no solid strokes)");
    }
    int largest = comps.stream().mapToInt(c -> c[0]).max().orElse(0);
    int x0 = w;
    int y0 = h;
    int x1 = -1;
    int y1 = -1;
    boolean[] keep = new boolean[comps.size() + 1];
    for (int i = 0; i < comps.size(); i++) {
      int[] c = comps.get(i);
      if (!dropSpecks || c[0] >= Math.max(2, SPECK * largest)) {
        keep[i + 1] = true;
        x0 = Math.min(x0, c[1]);
        y0 = Math.min(y0, c[2]);
        x1 = Math.max(x1, c[3]);
        y1 = Math.max(y1, c[4]);
      }
    }
    if (x1 < 0) { // every piece of ink was a speck (isolated single pixels): nothing is a stroke
      throw ImageException.noDigit("no digit found (only isolated specks of ink)");
    }
    for (int i = 0; i < label.length; i++) {
      if (label[i] != 0 && !keep[label[i]]) {
        g.v[i] = 0;
      }
    }
    // One pixel of margin keeps the anti-aliased fringe of the outermost strokes.
    x0 = Math.max(0, x0 - 1);
    y0 = Math.max(0, y0 - 1);
    x1 = Math.min(w - 1, x1 + 1);
    y1 = Math.min(h - 1, y1 + 1);
    return Box.corners(x0, y0, x1, y1);
  }

  /** Scales so the longer side is 20 pixels, keeping the aspect ratio; peak ink becomes 1. */
  static GrayImage fitBox(GrayImage d) {
    return fitBox(d, BOX);
  }

  static GrayImage fitBox(GrayImage d, int box) {
    double s = (double) box / Math.max(d.width, d.height);
    int nw = Math.max(1, (int) Math.round(d.width * s));
    int nh = Math.max(1, (int) Math.round(d.height * s));
    GrayImage out = d.resize(nw, nh);
    float max = 0;
    for (float f : out.v) {
      max = Math.max(max, f);
    }
    if (max > 0) {
      for (int i = 0; i < out.v.length; i++) {
        out.v[i] = Math.min(1f, out.v[i] / max);
      }
    }
    return out;
  }

  /** Pastes into 28x28 so that the centre of mass of the ink lands on the centre (14, 14). */
  static float[] centerByMass(GrayImage d) {
    double mass = 0;
    double mx = 0;
    double my = 0;
    for (int y = 0; y < d.height; y++) {
      for (int x = 0; x < d.width; x++) {
        float v = d.get(x, y);
        mass += v;
        mx += v * (x + 0.5);
        my += v * (y + 0.5);
      }
    }
    int ox = (int) Math.round(SIDE / 2.0 - (mass > 0 ? mx / mass : d.width / 2.0));
    int oy = (int) Math.round(SIDE / 2.0 - (mass > 0 ? my / mass : d.height / 2.0));
    float[] out = new float[SIDE * SIDE];
    for (int y = 0; y < d.height; y++) {
      for (int x = 0; x < d.width; x++) {
        int tx = x + ox;
        int ty = y + oy;
        if (tx >= 0 && ty >= 0 && tx < SIDE && ty < SIDE) {
          out[ty * SIDE + tx] = d.get(x, y);
        }
      }
    }
    return out;
  }
}
