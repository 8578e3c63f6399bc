package dev.digits.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** {@link Greyscale#opaque}: a drawing's transparency put on a background that contrasts with its ink. */
class GreyscaleTest {
  /** 40x20 of transparent black (a browser canvas), with a stroke of {@code argb} in rows 8-11. */
  private static BufferedImage canvas(int argb) {
    BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_ARGB);
    for (int x = 5; x < 35; x++) {
      for (int y = 8; y < 12; y++) {
        img.setRGB(x, y, argb);
      }
    }
    return img;
  }

  @Test
  void blackStrokesOnATransparentCanvasLieOnWhite() {
    BufferedImage out = Greyscale.opaque(canvas(0xff000000));
    assertFalse(out.getColorModel().hasAlpha());
    assertEquals(0xffffff, out.getRGB(1, 1) & 0xffffff, "the canvas");
    assertEquals(0x000000, out.getRGB(10, 9) & 0xffffff, "the stroke");
  }

  @Test
  void whiteStrokesLieOnBlackAndHalfOpaqueInkIsBlendedWithIt() {
    BufferedImage white = Greyscale.opaque(canvas(0xffffffff));
    assertEquals(0x000000, white.getRGB(1, 1) & 0xffffff, "the canvas");
    assertEquals(0xffffff, white.getRGB(10, 9) & 0xffffff, "the stroke");
    BufferedImage half = Greyscale.opaque(canvas(0x80000000)); // black at half opacity, on white
    assertEquals(127, half.getRGB(10, 9) & 0xff, 1);
  }

  @Test
  void anImageWithoutTransparencyIsReturnedAsItIs() {
    BufferedImage rgb = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
    assertSame(rgb, Greyscale.opaque(rgb));
  }
}
