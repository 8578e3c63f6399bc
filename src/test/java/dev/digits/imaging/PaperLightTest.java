package dev.digits.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** {@link PaperLight} on drawn images: two dark bars on paper, lit evenly, half in a shadow, or on a desk. */
class PaperLightTest {
  /** 300x120 paper of grey {@code paper}, two bars 8 pixels wide of grey {@code ink}, the right half's light times {@code shadow}. */
  private static BufferedImage bars(int paper, int ink, double shadow) {
    BufferedImage img = new BufferedImage(300, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(paper, paper, paper));
    g.fillRect(0, 0, 300, 120);
    g.setColor(new Color(ink, ink, ink));
    g.fillRect(70, 30, 8, 60);
    g.fillRect(220, 30, 8, 60);
    g.dispose();
    for (int y = 0; y < 120; y++) {
      for (int x = 150; x < 300; x++) {
        int v = (int) Math.round((img.getRGB(x, y) & 0xff) * shadow);
        img.setRGB(x, y, v << 16 | v << 8 | v);
      }
    }
    return img;
  }

  private static int grey(BufferedImage img, int x, int y) {
    return img.getRGB(x, y) & 0xff;
  }

  @Test
  void aShadowOverHalfThePaperIsDividedOutOfPaperAndInkAlike() {
    // The shadow takes the paper to 88: below middle grey, as dark as a dark ground's border.
    BufferedImage shadowed = bars(220, 40, 0.4);
    BufferedImage even = PaperLight.evenedOut(shadowed);
    assertNotSame(shadowed, even);
    assertTrue(grey(even, 260, 60) >= 245, "paper in the shadow made white: " + grey(even, 260, 60));
    assertTrue(grey(even, 20, 60) >= 245, "paper in the light made white: " + grey(even, 20, 60));
    // Each bar keeps its share of its paper's light (40/220 of white = 46), in the shadow as in the light.
    assertEquals(grey(even, 73, 60), grey(even, 223, 60), 6, "the bars as dark as each other");
    assertEquals(46, grey(even, 223, 60), 8);
  }

  @Test
  void aSheetOnADarkDeskHasItsDeskMadePaper() {
    // The sheet (300x120, two dark bars) in the middle of a desk at grey 40, 40 pixels all round
    // (the sheet is 47% of the photo): the border, which tells the ink's colour, is the desk's.
    assertTheDeskIsMadePaper(bars(235, 30, 1), 380, 200, 40, 40, new Color(40, 40, 40));
  }

  /** The sheet photographed at (x, y) on a desk of {@code desk}'s colour, w x h in all, evened out. */
  private static void assertTheDeskIsMadePaper(BufferedImage sheet, int w, int h, int x, int y, Color desk) {
    BufferedImage photo = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = photo.createGraphics();
    g.setColor(desk);
    g.fillRect(0, 0, w, h);
    g.drawImage(sheet, x, y, null);
    g.dispose();
    BufferedImage even = PaperLight.evenedOut(photo);
    assertTrue(grey(even, 5, 5) >= 245 && grey(even, w - 10, h - 10) >= 245,
        "the desk made white: " + grey(even, 5, 5) + ", " + grey(even, w - 10, h - 10));
    assertTrue(grey(even, x + 73, y + 60) <= 60, "the bars still dark: " + grey(even, x + 73, y + 60));
    assertTrue(grey(even, x + 20, y + 60) >= 230, "the sheet still light: " + grey(even, x + 20, y + 60));
  }

  @Test
  void aGreySheetTurnedOnADeskLeavesNoEdgeToReadAsAStroke() {
    // A phone's photo: a sheet of grey paper (190) turned 3 degrees on a desk at grey 50, blurred
    // at its edge by the bilinear turn. Divided before the desk was found, the desk beside the sheet
    // was lifted to a pale band whose edges were read as 1s at the ends of a line.
    BufferedImage sheet = bars(190, 30, 1);
    BufferedImage photo = new BufferedImage(400, 220, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = photo.createGraphics();
    g.setColor(new Color(50, 50, 50));
    g.fillRect(0, 0, 400, 220);
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    java.awt.geom.AffineTransform turn = java.awt.geom.AffineTransform.getRotateInstance(Math.toRadians(3), 200, 110);
    turn.translate(50, 50);
    g.drawImage(sheet, turn, null);
    g.dispose();
    BufferedImage even = PaperLight.evenedOut(photo);
    int darkest = 255;
    for (int y = 0; y < 220; y++) {
      for (int x = 0; x < 400; x++) {
        boolean nearABar = Math.abs(y - 110) < 45 && (Math.abs(x - 124) < 16 || Math.abs(x - 274) < 16);
        if (!nearABar) {
          darkest = Math.min(darkest, grey(even, x, y));
        }
      }
    }
    assertTrue(darkest >= 215, "nothing but the bars darker than paper (a stroke starts at 15% darker): " + darkest);
    assertTrue(grey(even, 50 + 73, 50 + 60) <= 80, "the bars still dark: " + grey(even, 123, 110));
  }

  @Test
  void aSmallSheetOnABigDeskIsPaperNotADarkGround() {
    // The sheet (300x120, two dark bars) is a sixth of the photo: light over less than a third of
    // it, it was taken for light strokes on a dark ground and its paper read as ink.
    assertTheDeskIsMadePaper(bars(230, 30, 1), 700, 310, 150, 90, new Color(45, 38, 30));
  }

  @Test
  void evenlyLitPaperAndLightInkOnADarkGroundAreLeftAsTheyAre() {
    BufferedImage drawing = bars(250, 0, 1);
    assertSame(drawing, PaperLight.evenedOut(drawing), "evenly lit: read as before");
    BufferedImage screen = bars(10, 240, 0.6);
    assertSame(screen, PaperLight.evenedOut(screen), "light ink on a dark ground: not divided");
    // Light strokes broad enough to be a fifth of the image are no sheet: nothing dark is written in them.
    BufferedImage board = new BufferedImage(300, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = board.createGraphics();
    g.setColor(new Color(240, 240, 240));
    g.fillRect(100, 10, 90, 100);
    g.dispose();
    assertSame(board, PaperLight.evenedOut(board), "a broad light bar on a dark ground: not a sheet");
  }
}
