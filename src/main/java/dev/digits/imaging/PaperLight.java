package dev.digits.imaging;

import java.awt.image.BufferedImage;

/**
 * A photo's light, divided out of it, for the readers of whole numbers and pages.
 *
 * <p>A shadow across a photo (the phone's, the hand's) darkens ink and paper alike: the ink in it
 * keeps its share of the paper's light, not its difference from it. Every later step measures ink
 * as a difference from the paper ({@link DigitPreprocessor#ink}), so a digit in the shadow keeps a
 * fraction of its neighbours' contrast and is read as faint, broken, or not at all; and where the
 * shadow covers half the border, the paper looks darker than middle grey and the image is taken
 * for light ink on a dark ground. Dividing each pixel by its paper's light makes all paper white
 * and every stroke as dark as it was written, wherever it lies, before anything else is done.
 *
 * <p>A sheet photographed on a dark desk has a dark border, and the border is what told the
 * ink's colour: the desk round it is found in the photo as taken (dark, reaching the border, with
 * a sharp edge and nothing written on it), made white, and the sheet's own light divided out, as
 * if its paper went on over the desk. A sheet too small to be a third of the photo is still paper
 * when it is one large light piece that fills its bounding box and has writing in it.
 *
 * <p>Only dark ink on paper whose light varies, or that is lit so dimly that it is darker than
 * middle grey, or that lies on a desk, is changed. Evenly lit paper (drawings, scans, most photos) and light ink on a dark
 * ground (a screen, a blackboard: too dark to divide by) are returned as they are, and are read
 * exactly as before. Single digits ({@code Predict}) do not come this way.
 */
public final class PaperLight {
  /** The longer side of the grey copy on which the light is measured (it varies slowly). */
  static final int LIGHT_SIDE = 200;

  /** The closing's window as a share of the shorter side: wider than any digit's stroke. */
  static final double WINDOW = 0.4;

  /**
   * The share of the brightest paper's light (95th percentile) that the dimmest (5th) must reach
   * for the light to count as even: subtracting the paper's level then costs a stroke at most a
   * fifth of its contrast, which {@link DigitPreprocessor#ink} makes up, and the image is read as
   * before. (0.7 left shadows of 50-70% of the light partly undivided: 94.0% of their pages' lines
   * read, against 95.8% at 0.8, on the benchmark's seed 0; the other parts read the same.)
   */
  static final double EVEN = 0.8;

  /** The light is not divided by less than this (deep black: nothing there to lift). */
  static final float DARKEST_LIGHT = 16f;

  private PaperLight() {}

  /** The image with its paper's light divided out, or the image itself where there is nothing to divide. */
  public static BufferedImage evenedOut(BufferedImage image) {
    if (image.getColorModel().hasAlpha()) {
      return image; // a drawing exported with transparency, not a photo
    }
    GrayImage g = sampled(image);
    if (!inkIsDark(g)) {
      return image;
    }
    boolean[] desk = Desk.find(image, g);
    if (desk == null) {
      return dividedIfUneven(image, g);
    }
    // The sheet's light measured on the sheet alone, as if its paper went on over the desk, and
    // divided out even where it is even: the desk made white beside paper left grey would be a
    // step, read as a stroke. (Divided with the desk, the desk beside the sheet shared the sheet's
    // light and was lifted to a pale band whose edges were read as 1s at either end of a line.)
    GrayImage sheetLight = paperLight(Desk.sheetOnly(g, desk, image.getWidth()));
    return sheetLight == null ? image : divided(image, sheetLight, desk);
  }

  /** The image divided by its paper's light, unless that light is even on light paper. */
  private static BufferedImage dividedIfUneven(BufferedImage image, GrayImage g) {
    GrayImage light = paperLight(g);
    return light == null || even(light) && DigitPreprocessor.borderMedian(g) > 127 ? image
        : divided(image, light, null);
  }

  static float luminance(int rgb) {
    return 0.299f * (rgb >> 16 & 0xff) + 0.587f * (rgb >> 8 & 0xff) + 0.114f * (rgb & 0xff);
  }

  /**
   * The image's brightness at the middle pixel of every square of it, at most {@link #LIGHT_SIDE}
   * squares on the longer side: a tenth of the work of averaging every pixel (the reader's speed
   * on a photo depends on it), and as many samples fall on ink, share for share, as the image holds.
   */
  static GrayImage sampled(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int f = Greyscale.shrinkFactor(w, h, LIGHT_SIDE);
    int gw = (w + f - 1) / f;
    int gh = (h + f - 1) / f;
    float[] v = new float[gw * gh];
    Greyscale.RowReader rows = Greyscale.RowReader.of(image);
    float[] lum = new float[w];
    float[] alpha = new float[w];
    for (int gy = 0; gy < gh; gy++) {
      rows.read(Math.min(h - 1, gy * f + f / 2), lum, alpha);
      for (int gx = 0; gx < gw; gx++) {
        v[gy * gw + gx] = lum[Math.min(w - 1, gx * f + f / 2)];
      }
    }
    return new GrayImage(gw, gh, v);
  }

  /**
   * Whether the ink is darker than the paper. A light border tells it, as it does for a single
   * digit ({@link DigitPreprocessor#makeInkBright}), and so does an image light over a third of its
   * area or more (35%): light ink on a dark ground covers less, so the light is paper, and a dark
   * border round it is a desk the sheet lies on. A dark border round a dark image is a dark ground. A border in between may be paper in a shadow,
   * and then each part of a coarse grid says which way its values reach further from its own
   * median (most of every part is paper, lit as it is there): dark ink reaches down, light ink on a
   * dark ground up, and a part without ink neither way.
   */
  static boolean inkIsDark(GrayImage g) {
    int border = DigitPreprocessor.borderMedian(g);
    if (border >= 192 || GrayImage.percentile(g.histogram(), 0.65) >= 128 || Desk.smallSheetOn(g)) {
      return true; // light paper over a third of the image or more, or a sheet on a dark desk
    }
    if (border < 64) {
      return false;
    }
    int cells = 8;
    int cw = (g.width + cells - 1) / cells;
    int ch = (g.height + cells - 1) / cells;
    long reach = 0;
    int[] hist = new int[256];
    for (int y0 = 0; y0 < g.height; y0 += ch) {
      for (int x0 = 0; x0 < g.width; x0 += cw) {
        java.util.Arrays.fill(hist, 0);
        for (int y = y0; y < Math.min(g.height, y0 + ch); y++) {
          for (int x = x0; x < Math.min(g.width, x0 + cw); x++) {
            hist[Math.max(0, Math.min(255, (int) g.v[y * g.width + x]))]++;
          }
        }
        int median = GrayImage.percentile(hist, 0.5);
        reach += (median - GrayImage.percentile(hist, 0.02)) - (GrayImage.percentile(hist, 0.98) - median);
      }
    }
    return reach > 0;
  }

  /**
   * The paper's light over {@code g} (coarser), or null when {@code g} is too small to tell. It is
   * the grey closing: the brightest value within a window of {@link #WINDOW} of the shorter side,
   * then the darkest. No stroke narrower than the window survives into it, and a shadow's edge
   * stays where it is.
   */
  static GrayImage paperLight(GrayImage g) {
    int window = (int) (WINDOW * Math.min(g.width, g.height));
    if (window < 3) {
      return null;
    }
    // On a copy shrunk until the window is about 16 pixels: the light varies slowly, and shrinking
    // averages while a window still holds paper wherever there is a stroke.
    int f = Math.max(1, window / 16);
    GrayImage closed = f == 1 ? new GrayImage(g.width, g.height, g.v.clone())
        : g.resize((g.width + f - 1) / f, (g.height + f - 1) / f);
    Morphology.extreme(closed, window / f, true);
    Morphology.extreme(closed, window / f, false);
    return closed;
  }

  /** Whether the paper's light is even enough ({@link #EVEN}). */
  static boolean even(GrayImage light) {
    int[] hist = light.histogram();
    return GrayImage.percentile(hist, 0.05) >= EVEN * GrayImage.percentile(hist, 0.95);
  }

  /**
   * Each pixel's channels times white over its paper's light (the light's grid spread over the
   * image); the desk's pixels, where there is a desk, white.
   */
  private static BufferedImage divided(BufferedImage image, GrayImage light, boolean[] desk) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = rgbCopy(image);
    int[] rgb = pixels(out);
    // The light's grid spread over the columns once (x0, x1, weight), then row by row.
    float sx = (float) light.width / w;
    float sy = (float) light.height / h;
    int[] x0s = new int[w];
    int[] x1s = new int[w];
    float[] fxs = new float[w];
    for (int x = 0; x < w; x++) {
      float lx = Math.max(0, Math.min(light.width - 1, (x + 0.5f) * sx - 0.5f));
      x0s[x] = (int) lx;
      x1s[x] = Math.min(light.width - 1, x0s[x] + 1);
      fxs[x] = lx - x0s[x];
    }
    float[] rowLight = new float[light.width];
    for (int y = 0; y < h; y++) {
      float ly = Math.max(0, Math.min(light.height - 1, (y + 0.5f) * sy - 0.5f));
      int y0 = (int) ly;
      int y1 = Math.min(light.height - 1, y0 + 1);
      float fy = ly - y0;
      for (int x = 0; x < light.width; x++) {
        rowLight[x] = light.v[y0 * light.width + x] * (1 - fy) + light.v[y1 * light.width + x] * fy;
      }
      for (int x = 0, i = y * w; x < w; x++, i++) {
        float gain = 255f / Math.max(DARKEST_LIGHT, rowLight[x0s[x]] * (1 - fxs[x]) + rowLight[x1s[x]] * fxs[x]);
        if (desk != null && desk[i]) {
          rgb[i] = 0xffffff; // a desk made paper
          continue;
        }
        int p = rgb[i];
        int r = Math.min(255, (int) ((p >> 16 & 0xff) * gain + 0.5f));
        int g = Math.min(255, (int) ((p >> 8 & 0xff) * gain + 0.5f));
        int b = Math.min(255, (int) ((p & 0xff) * gain + 0.5f));
        rgb[i] = r << 16 | g << 8 | b;
      }
    }
    return out;
  }

  /** The image as packed RGB in a new image of its own, to be changed in place ({@link #pixels}). */
  private static BufferedImage rgbCopy(BufferedImage image) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    image.getRGB(0, 0, image.getWidth(), image.getHeight(), pixels(out), 0, image.getWidth());
    return out;
  }

  /** The packed RGB pixels of an image {@link #rgbCopy} made, row by row. */
  private static int[] pixels(BufferedImage rgb) {
    return ((java.awt.image.DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
  }
}
