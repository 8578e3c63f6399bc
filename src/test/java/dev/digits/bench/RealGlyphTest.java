package dev.digits.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/**
 * What the benchmark takes from a real image of a digit ({@link RealGlyph}): the strokes, not the
 * paper's shadow nor a speck at the photo's edge. The images are drawn here: a bar 20 pixels wide
 * and 150 high (a "1") in a 300-pixel photo.
 */
class RealGlyphTest {
  /** A 300x300 photo: paper lit {@code dark} at the left to 250 at the right, a bar of ink 40 in the middle. */
  private static BufferedImage barOnPaper(int dark) {
    BufferedImage img = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 300; x++) {
        boolean bar = x >= 140 && x < 160 && y >= 75 && y < 225;
        int grey = bar ? 40 : dark + (250 - dark) * x / 299;
        img.setRGB(x, y, grey * 0x010101);
      }
    }
    return img;
  }

  @Test
  void aLightingGradientIsPaperNotInk() {
    // From 130 to 250 across the photo: against one paper level, its darker half was "ink" and the
    // glyph a dark wedge with the bar inside it.
    NumberImages.Glyph g = RealGlyph.of(barOnPaper(130));
    assertTrue(Math.abs(g.width() - 20) <= 2 && Math.abs(g.height() - 150) <= 2, g.width() + "x" + g.height());
  }

  @Test
  void aSpeckAtThePhotosEdgeIsNotPartOfTheDigit() {
    BufferedImage img = barOnPaper(250);
    for (int y = 5; y < 9; y++) {
      for (int x = 285; x < 289; x++) {
        img.setRGB(x, y, 0);
      }
    }
    NumberImages.Glyph g = RealGlyph.of(img);
    assertEquals(20, g.width(), "the bar's width, not the bar's and the speck's");
    assertEquals(150, g.height());
  }

  @Test
  void aSmallDrawingKeepsEveryDotOfAFaintStroke() {
    // 28x28: a bar broken into dots two rows apart; each dot is the digit's, however far from the
    // others it lies for its size (in a photo, such a dot would be a speck).
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        boolean dot = x >= 12 && x < 15 && y >= 4 && y < 24 && y % 3 == 0;
        img.setRGB(x, y, dot ? 0 : 0xffffff);
      }
    }
    NumberImages.Glyph g = RealGlyph.of(img);
    assertEquals(16, g.height(), "from the first dot (row 6) to the last (row 21)");
  }

  @Test
  void aHairlineShrunkTenfoldIsAFaintUnbrokenLine() {
    // A 2-pixel stroke, 300 high, shrunk to 30 rows: bilinear sampling read it in 1 column of 4
    // and made it a trail of dots; averaged, every row holds a fifth of a pixel's worth of ink.
    int w = 40;
    int h = 300;
    float[] ink = new float[w * h];
    for (int y = 0; y < h; y++) {
      int x = 19 + (y * 7 / h); // leaning a little, as a pen's line does
      ink[y * w + x] = 1;
      ink[y * w + x + 1] = 1;
    }
    NumberImages.Glyph small = new NumberImages.Glyph(w, h, ink).scaledTo(30);
    assertEquals(30, small.height());
    assertEquals(4, small.width());
    for (int y = 0; y < 30; y++) {
      double row = 0;
      for (int x = 0; x < 4; x++) {
        row += small.ink()[y * 4 + x];
      }
      assertEquals(0.2, row, 0.01, "row " + y + ": the stroke's ink, spread, not dropped");
    }
  }
}
