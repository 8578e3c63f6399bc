package dev.digits.imaging;

import java.awt.image.BufferedImage;

/** The first step of every image's way to the model: any decoded image as greyscale floats, shrunk to a work size. */
public final class Greyscale {
  private Greyscale() {}

  /**
   * Luminosity greyscale (0-255) at most {@link DigitPreprocessor#WORK_SIDE} on the longer side (box-averaged).
   * Transparent pixels are composited onto a background that contrasts with the visible content:
   * a browser canvas exports black strokes on fully transparent black, which composited onto black
   * would vanish.
   */
  public static GrayImage of(BufferedImage img) {
    return of(img, DigitPreprocessor.WORK_SIDE);
  }

  /** How many image pixels one greyscale pixel averages (per side) for a work size of {@code side}. */
  public static int shrinkFactor(int w, int h, int side) {
    return Math.max(1, (int) Math.ceil(Math.max(w, h) / (double) side));
  }

  /** {@link #of(BufferedImage)} at most {@code side} pixels on the longer side. */
  public static GrayImage of(BufferedImage img, int side) {
    int w = img.getWidth();
    int h = img.getHeight();
    int f = shrinkFactor(w, h, side);
    int gw = (w + f - 1) / f;
    int gh = (h + f - 1) / f;
    float[] weightedLum = new float[gw * gh];
    float[] alphaSum = new float[gw * gh];
    int[] count = new int[gw * gh];
    RowReader rows = RowReader.of(img);
    float[] lum = new float[w];
    float[] alpha = new float[w];
    for (int y = 0; y < h; y++) {
      rows.read(y, lum, alpha);
      int base = (y / f) * gw;
      for (int x = 0; x < w; x++) {
        float a = alpha[x];
        int i = base + x / f;
        weightedLum[i] += a * lum[x];
        alphaSum[i] += a;
        count[i]++;
      }
    }
    float background = img.getColorModel().hasAlpha() ? background(img) : 255f;
    GrayImage g = new GrayImage(gw, gh);
    for (int i = 0; i < g.v.length; i++) {
      g.v[i] = (weightedLum[i] + (count[i] - alphaSum[i]) * background) / count[i];
    }
    return g;
  }

  /**
   * The grey that an image's transparent pixels stand for: white behind dark ink, black behind
   * light ink (the visible pixels' mean, weighted by their opacity), when more than 2% of the
   * image is transparent; else white.
   */
  private static float background(BufferedImage img) {
    int w = img.getWidth();
    double inkLum = 0;
    double inkAlpha = 0;
    long transparent = 0;
    RowReader rows = RowReader.of(img);
    float[] lum = new float[w];
    float[] alpha = new float[w];
    for (int y = 0; y < img.getHeight(); y++) {
      rows.read(y, lum, alpha);
      for (int x = 0; x < w; x++) {
        inkLum += alpha[x] * lum[x];
        inkAlpha += alpha[x];
        transparent += alpha[x] < 0.1f ? 1 : 0;
      }
    }
    if (transparent > 0.02 * w * img.getHeight() && inkAlpha > 0) {
      return inkLum / inkAlpha < 128 ? 255f : 0f;
    }
    return 255f;
  }

  /**
   * The image without transparency: composited onto the background {@link #of} composites it
   * onto, full size and in colour, or the image itself when it has no alpha. The readers of
   * numbers and pages cut strips out of the image's colours, and a strip of black strokes on a
   * canvas's transparent black would otherwise be black all over.
   */
  public static BufferedImage opaque(BufferedImage img) {
    if (!img.getColorModel().hasAlpha()) {
      return img;
    }
    int w = img.getWidth();
    int h = img.getHeight();
    int back = Math.round(background(img));
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int a = row[x] >>> 24;
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
          int c = (row[x] >> shift) & 0xff;
          rgb |= ((c * a + back * (255 - a) + 127) / 255) << shift;
        }
        row[x] = rgb;
      }
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  /**
   * Reads image rows as luminosity (0-255) and alpha (0-1). 8-bit byte rasters (JPEG, most PNGs)
   * are read as samples, twice as fast as {@link BufferedImage#getRGB} and without its gamma shift
   * of grey images; packed-int, palette, 16-bit and other images go through getRGB.
   */
  interface RowReader {
    void read(int y, float[] lum, float[] alpha);

    static RowReader of(BufferedImage img) {
      java.awt.image.WritableRaster raster = img.getRaster();
      java.awt.image.ColorModel cm = img.getColorModel();
      int bands = raster.getNumBands();
      boolean eightBit = true;
      for (int b = 0; b < bands; b++) {
        eightBit &= raster.getSampleModel().getSampleSize(b) == 8;
      }
      // getRGB already has a fast path for packed int pixels; byte rasters are where it is slow.
      boolean packedInt = img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB;
      boolean plain = !packedInt && !(cm instanceof java.awt.image.IndexColorModel) && eightBit
          && (cm.getColorSpace().isCS_sRGB() && bands >= 3 || cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY && bands <= 2);
      int w = img.getWidth();
      RowReader direct = direct(img);
      if (direct != null) {
        return direct;
      }
      if (plain) {
        int[] samples = new int[w * bands];
        boolean hasAlpha = cm.hasAlpha();
        return (y, lum, alpha) -> {
          raster.getPixels(0, y, w, 1, samples);
          for (int x = 0, i = 0; x < w; x++, i += bands) {
            lum[x] = bands >= 3 ? 0.299f * samples[i] + 0.587f * samples[i + 1] + 0.114f * samples[i + 2] : samples[i];
            alpha[x] = hasAlpha ? samples[i + bands - 1] / 255f : 1f;
          }
        };
      }
      int[] row = new int[w];
      boolean hasAlpha = cm.hasAlpha();
      return (y, lum, alpha) -> {
        img.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          int argb = row[x];
          lum[x] = 0.299f * ((argb >> 16) & 0xff) + 0.587f * ((argb >> 8) & 0xff) + 0.114f * (argb & 0xff);
          alpha[x] = hasAlpha ? (argb >>> 24) / 255f : 1f;
        }
      };
    }
    /**
     * The pixel arrays of the types the decoders return for PNG and JPEG, read in place: three
     * times faster again than a raster's getPixels. Null for any other layout.
     */
    private static RowReader direct(BufferedImage img) {
      int w = img.getWidth();
      java.awt.image.Raster raster = img.getRaster();
      if (!(raster.getSampleModel() instanceof java.awt.image.ComponentSampleModel
          || raster.getSampleModel() instanceof java.awt.image.SinglePixelPackedSampleModel)
          || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0
          || raster.getDataBuffer().getNumBanks() != 1) {
        return null;
      }
      java.awt.image.DataBuffer buffer = raster.getDataBuffer();
      int offset = buffer.getOffset();
      switch (img.getType()) {
        case BufferedImage.TYPE_BYTE_GRAY -> {
          byte[] px = ((java.awt.image.DataBufferByte) buffer).getData();
          int stride = ((java.awt.image.ComponentSampleModel) raster.getSampleModel()).getScanlineStride();
          return (y, lum, alpha) -> {
            for (int x = 0, i = offset + y * stride; x < w; x++, i++) {
              lum[x] = px[i] & 0xff;
              alpha[x] = 1f;
            }
          };
        }
        case BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR -> {
          byte[] px = ((java.awt.image.DataBufferByte) buffer).getData();
          int stride = ((java.awt.image.ComponentSampleModel) raster.getSampleModel()).getScanlineStride();
          boolean abgr = img.getType() == BufferedImage.TYPE_4BYTE_ABGR;
          int n = abgr ? 4 : 3;
          int c = abgr ? 1 : 0; // ABGR: alpha first, then blue, green, red
          return (y, lum, alpha) -> {
            for (int x = 0, i = offset + y * stride; x < w; x++, i += n) {
              lum[x] = 0.114f * (px[i + c] & 0xff) + 0.587f * (px[i + c + 1] & 0xff) + 0.299f * (px[i + c + 2] & 0xff);
              alpha[x] = abgr ? (px[i] & 0xff) / 255f : 1f;
            }
          };
        }
        case BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB -> {
          int[] px = ((java.awt.image.DataBufferInt) buffer).getData();
          int stride = ((java.awt.image.SinglePixelPackedSampleModel) raster.getSampleModel()).getScanlineStride();
          boolean argb = img.getType() == BufferedImage.TYPE_INT_ARGB;
          return (y, lum, alpha) -> {
            for (int x = 0, i = offset + y * stride; x < w; x++, i++) {
              int p = px[i];
              lum[x] = 0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff);
              alpha[x] = argb ? (p >>> 24) / 255f : 1f;
            }
          };
        }
        default -> {
          return null;
        }
      }
    }
  }
}
