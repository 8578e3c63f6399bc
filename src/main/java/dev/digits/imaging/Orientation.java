package dev.digits.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.common.ImageMetadata;
import org.apache.commons.imaging.formats.jpeg.JpegImageMetadata;
import org.apache.commons.imaging.formats.tiff.TiffField;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;

/** A photo's EXIF orientation: phones store pictures sideways and say so; the digit must be upright. */
final class Orientation {
  private Orientation() {}

  static int of(byte[] bytes) {
    try {
      ImageMetadata metadata = Imaging.getMetadata(bytes);
      TiffField field = null;
      if (metadata instanceof JpegImageMetadata jpeg) {
        field = jpeg.findExifValueWithExactMatch(TiffTagConstants.TIFF_TAG_ORIENTATION);
      } else if (metadata instanceof org.apache.commons.imaging.formats.tiff.TiffImageMetadata tiff) {
        field = tiff.findField(TiffTagConstants.TIFF_TAG_ORIENTATION);
      }
      return field == null ? 1 : field.getIntValue();
    } catch (IOException | RuntimeException e) {
      return 1;
    }
  }

  /** Applies an EXIF orientation (1-8) so the image is upright: 6 means "rotate 90° clockwise". */
  static BufferedImage apply(BufferedImage img, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return img;
    }
    int w = img.getWidth();
    int h = img.getHeight();
    boolean swap = orientation >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    int[] src = img.getRGB(0, 0, w, h, null, 0, w);
    int[] dst = new int[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int nx;
        int ny;
        switch (orientation) {
          case 2 -> { nx = w - 1 - x; ny = y; }          // mirrored
          case 3 -> { nx = w - 1 - x; ny = h - 1 - y; }  // upside down
          case 4 -> { nx = x; ny = h - 1 - y; }          // mirrored vertically
          case 5 -> { nx = y; ny = x; }                  // transposed
          case 6 -> { nx = h - 1 - y; ny = x; }          // rotate 90° clockwise
          case 7 -> { nx = h - 1 - y; ny = w - 1 - x; }  // transverse
          default -> { nx = y; ny = w - 1 - x; }         // 8: rotate 90° counter-clockwise
        }
        dst[ny * ow + nx] = src[y * w + x];
      }
    }
    BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_ARGB);
    out.setRGB(0, 0, ow, oh, dst, 0, ow);
    return out;
  }
}
