package dev.digits.bench;

import dev.digits.imaging.GrayImage;
import dev.digits.imaging.Morphology;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The ink of a real image of a digit, for building numbers out of real people's digits: what the
 * person wrote, without the paper it was written on. Two things the paper brings must not come
 * along, or a number built from the digit shows what no one wrote:
 *
 * <ul>
 *   <li>a shadow or a lighting gradient across a photo (against one paper level for the whole
 *       image, the dark half of a photo is "ink": a 6 pasted into a number as a dark wedge with a 6
 *       inside it);
 *   <li>a speck at the far edge of a photo of a small digit (cropped to all the ink, the digit is a
 *       dot in the middle of its box, and scaled to the line's height it becomes a speck itself).
 * </ul>
 */
final class RealGlyph {
  /** Images up to this side are drawings or crops: lit evenly, one paper level fits them, no specks far off. */
  private static final int EVEN_LIGHT_SIDE = 64;
  /** The side of the coarse copy on which the paper's level is estimated. */
  private static final int PAPER_GRID = 128;
  /** Ink below this (of the strongest) is paper grain; above {@link #CLEAR} it is surely ink. */
  private static final float GRAIN = 0.12f;
  private static final float CLEAR = 0.3f;
  /**
   * A blob of ink under this share of the largest one is a speck, and so is one further from the
   * digit than {@link #NEAR} times the digit's size: the parts of a digit lie close together.
   */
  private static final double SPECK_SHARE = 0.05;
  private static final double NEAR = 0.5;

  private RealGlyph() {}

  /** The digit's ink, cropped to its strokes; null when the image shows no ink at all. */
  static NumberImages.Glyph of(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    GrayImage lum = luminance(img);
    boolean darkInk = lum.borderMedian() > 127;
    boolean small = Math.max(w, h) <= EVEN_LIGHT_SIDE;
    float[] paper = small ? flat(lum.borderMedian(), w * h) : paperLevel(lum, darkInk);
    GrayImage ink = new GrayImage(w, h);
    float max = 0;
    for (int i = 0; i < ink.v.length; i++) {
      ink.v[i] = Math.max(0, darkInk ? paper[i] - lum.v[i] : lum.v[i] - paper[i]);
      max = Math.max(max, ink.v[i]);
    }
    if (max == 0) {
      return null;
    }
    for (int i = 0; i < ink.v.length; i++) {
      ink.v[i] = Math.max(0, (ink.v[i] / max - GRAIN) / (1 - GRAIN));
    }
    int[] box = digitBox(ink, small);
    if (box == null) {
      return null;
    }
    int cw = box[2] - box[0] + 1;
    int ch = box[3] - box[1] + 1;
    float[] out = new float[cw * ch];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(ink.v, (y + box[1]) * w + box[0], out, y * cw, cw);
    }
    return new NumberImages.Glyph(cw, ch, out);
  }

  /** Luminance 0-255; transparent canvas pixels are paper (the opposite of the strokes' colour). */
  private static GrayImage luminance(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    boolean alpha = img.getColorModel().hasAlpha();
    float[] lum = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = img.getRGB(x, y);
        float a = (argb >>> 24) / 255f;
        float l = 0.299f * ((argb >> 16) & 0xff) + 0.587f * ((argb >> 8) & 0xff) + 0.114f * (argb & 0xff);
        lum[y * w + x] = alpha ? a * l + (1 - a) * (l < 128 ? 255 : 0) : l;
      }
    }
    return new GrayImage(w, h, lum);
  }

  private static float[] flat(float level, int n) {
    float[] out = new float[n];
    java.util.Arrays.fill(out, level);
    return out;
  }

  /**
   * The paper's level at each pixel of a photo: on a copy shrunk to {@link #PAPER_GRID} pixels,
   * strokes are closed over (for dark ink the brightest value within a quarter of the image, then
   * the darkest within the same window: a morphological closing), which leaves the paper's shadows
   * and gradients, wider than any stroke, where they are; then grown back to the photo's size.
   */
  private static float[] paperLevel(GrayImage lum, boolean darkInk) {
    int f = Math.max(1, (Math.max(lum.width, lum.height) + PAPER_GRID - 1) / PAPER_GRID);
    GrayImage closed = f == 1 ? new GrayImage(lum.width, lum.height, lum.v.clone())
        : lum.resize((lum.width + f - 1) / f, (lum.height + f - 1) / f);
    int window = 2 * Math.max(2, Math.max(closed.width, closed.height) / 8) + 1;
    Morphology.extreme(closed, window, darkInk);
    Morphology.extreme(closed, window, !darkInk);
    return closed.resize(lum.width, lum.height).v;
  }

  /**
   * The box {x0, y0, x1, y1} of the digit: the largest blob of clear ink, grown by every blob
   * near it that is more than a speck (the parts of a broken stroke); specks within it stay, specks
   * apart from it are left out. A small image (a drawing or a crop) has no specks apart from its
   * digit: a faint stroke breaks into dots, and each is kept. Null when there is no clear ink.
   */
  private static int[] digitBox(GrayImage ink, boolean small) {
    int[] label = new int[ink.v.length];
    int count = ink.labelComponents(CLEAR, label);
    if (count == 0) {
      return null;
    }
    List<int[]> blobs = new ArrayList<>(); // {x0, y0, x1, y1, area}
    for (int c = 0; c < count; c++) {
      blobs.add(new int[] {ink.width, ink.height, -1, -1, 0});
    }
    for (int i = 0; i < label.length; i++) {
      if (label[i] > 0) {
        int[] b = blobs.get(label[i] - 1);
        b[0] = Math.min(b[0], i % ink.width);
        b[1] = Math.min(b[1], i / ink.width);
        b[2] = Math.max(b[2], i % ink.width);
        b[3] = Math.max(b[3], i / ink.width);
        b[4]++;
      }
    }
    blobs.sort((p, q) -> q[4] - p[4]);
    int[] box = blobs.get(0).clone();
    if (small) { // a drawing or a crop: every blob is the digit's (a faint stroke breaks into dots)
      for (int[] b : blobs) {
        box = new int[] {Math.min(box[0], b[0]), Math.min(box[1], b[1]), Math.max(box[2], b[2]), Math.max(box[3], b[3]), 0};
      }
      return box;
    }
    boolean grown = true;
    while (grown) { // the digit's box grows by every blob near it that is more than a speck
      grown = false;
      int reach = (int) (NEAR * Math.max(box[2] - box[0], box[3] - box[1]));
      for (int[] b : blobs) {
        boolean inside = b[0] >= box[0] && b[1] >= box[1] && b[2] <= box[2] && b[3] <= box[3];
        boolean near = b[0] <= box[2] + reach && b[2] >= box[0] - reach && b[1] <= box[3] + reach && b[3] >= box[1] - reach;
        if (!inside && near && b[4] >= SPECK_SHARE * blobs.get(0)[4]) {
          box = new int[] {Math.min(box[0], b[0]), Math.min(box[1], b[1]), Math.max(box[2], b[2]), Math.max(box[3], b[3]), 0};
          grown = true;
        }
      }
    }
    return box;
  }
}
