package dev.digits.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.imaging.Images;
import dev.digits.model.ModelContract;
import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class DigitPreprocessorTest {
  private static final Color TRANSPARENT_BLACK = new Color(0, 0, 0, 0);

  @Test
  void greyscaleUsesLuminosity() {
    BufferedImage img = Images.filled(10, 10, new Color(0, 255, 0));
    assertEquals(0.587 * 255, Greyscale.of(img).get(5, 5), 0.5);
  }

  @Test
  void everyPixelLayoutReadsTheSameGreys() {
    // The decoders' layouts are read from their arrays directly, others through getRGB: all agree.
    BufferedImage ref = new BufferedImage(37, 23, BufferedImage.TYPE_INT_ARGB);
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    for (int y = 0; y < ref.getHeight(); y++) {
      for (int x = 0; x < ref.getWidth(); x++) {
        ref.setRGB(x, y, 0xff000000 | rng.nextInt(1 << 24));
      }
    }
    GrayImage expected = Greyscale.of(ref);
    for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_USHORT_565_RGB}) {
      BufferedImage img = new BufferedImage(ref.getWidth(), ref.getHeight(), type);
      img.createGraphics().drawImage(ref, 0, 0, null);
      GrayImage g = Greyscale.of(img);
      double tolerance = type == BufferedImage.TYPE_USHORT_565_RGB ? 6 : 0.01; // 5-6 bits a channel
      for (int i = 0; i < g.v.length; i++) {
        assertEquals(expected.v[i], g.v[i], tolerance, "type " + type + " pixel " + i);
      }
    }
    BufferedImage grey = new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(4, 5, 0, 129);
    assertEquals(129, Greyscale.of(grey).get(4, 5), 0.01, "a grey file's own level");
    // A sub-image shares its parent's array at an offset.
    BufferedImage sub = ref.getSubimage(5, 4, 20, 10);
    assertEquals(expected.get(7, 6), Greyscale.of(sub).get(2, 2), 0.01);
  }

  @Test
  void largeImagesAreShrunkForSpeed() {
    GrayImage g = Greyscale.of(Images.filled(1000, 700, Color.WHITE));
    assertTrue(Math.max(g.width, g.height) <= DigitPreprocessor.WORK_SIDE, g.width + "x" + g.height);
    assertEquals(255, g.get(10, 10), 0.01);
  }

  @Test
  void darkStrokesOnTransparentGroundAreCompositedOntoWhite() {
    // What a browser canvas exports: black ink, everything else fully transparent *black*.
    BufferedImage canvas = Images.bar(100, 100, 12, Color.BLACK, TRANSPARENT_BLACK);
    GrayImage g = Greyscale.of(canvas);
    assertEquals(255, g.get(5, 5), 0.01, "background became white");
    assertEquals(0, g.get(50, 50), 0.01, "stroke stays black");
    float[] input = DigitPreprocessor.toMnist(canvas);
    assertTrue(Images.mass(input) > 10, "the stroke survives");
  }

  @Test
  void lightStrokesOnTransparentGroundAreCompositedOntoBlack() {
    GrayImage g = Greyscale.of(Images.bar(100, 100, 12, Color.WHITE, new Color(255, 255, 255, 0)));
    assertEquals(0, g.get(5, 5), 0.01);
  }

  @Test
  void darkOnLightIsInvertedAndLightOnDarkIsNot() {
    GrayImage paper = Greyscale.of(Images.text("7", 80, 80, Color.BLACK, Color.WHITE, 60, 20, 65));
    assertTrue(DigitPreprocessor.makeInkBright(paper));
    assertEquals(0, paper.get(1, 1), 0.01);
    GrayImage screen = Greyscale.of(Images.text("7", 80, 80, Color.WHITE, Color.BLACK, 60, 20, 65));
    assertFalse(DigitPreprocessor.makeInkBright(screen));
  }

  @Test
  void bothPolaritiesGiveTheSameInput() {
    float[] a = DigitPreprocessor.toMnist(Images.text("4", 120, 120, Color.BLACK, Color.WHITE, 90, 30, 100));
    float[] b = DigitPreprocessor.toMnist(Images.text("4", 120, 120, Color.WHITE, Color.BLACK, 90, 30, 100));
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      diff += Math.abs(a[i] - b[i]);
    }
    assertTrue(diff / Images.mass(a) < 0.05, "relative difference " + diff / Images.mass(a));
  }

  @Test
  void unevenLightIsRemoved() {
    // Paper lit from the left: brightness falls from 250 to 150 across the image, ink at 60.
    BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 200; x++) {
        int v = 250 - x / 2;
        boolean ink = x >= 95 && x < 105 && y >= 40 && y < 160;
        int c = ink ? 60 : v;
        img.setRGB(x, y, new Color(c, c, c).getRGB());
      }
    }
    GrayImage g = Greyscale.of(img);
    DigitPreprocessor.makeInkBright(g);
    DigitPreprocessor.subtractBackground(g, true);
    assertTrue(g.get(5, 100) < 15 && g.get(195, 100) < 15, "background flattened: " + g.get(5, 100) + ", " + g.get(195, 100));
    assertTrue(g.get(100, 100) > 100, "ink kept: " + g.get(100, 100));
  }

  @Test
  void blankImagesHaveNoDigit() {
    for (Color c : new Color[] {Color.WHITE, Color.BLACK, new Color(128, 128, 128)}) {
      ImageException e = assertThrows(ImageException.class, () -> DigitPreprocessor.toMnist(Images.filled(64, 64, c)));
      assertTrue(e.getMessage().startsWith("no digit found") && e.noDigit(), e.getMessage());
    }
    BufferedImage empty = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
    assertThrows(ImageException.class, () -> DigitPreprocessor.toMnist(empty));
  }

  @Test
  void aPenStrokeOverALightRuledLineKeepsItsInkWhereTheLevelsAsWrittenAreKnown() {
    // Three light printed lines (written level 40) and a pen's stroke (level 200) across the middle
    // one from x = 30 to 60: scaled, both are ink 1. Erased whole, the stroke was cut in two
    // along the line (on squared paper, every thick digit a level line crossed).
    GrayImage ruled = new GrayImage(100, 100);
    float[] written = new float[100 * 100];
    for (int y : new int[] {20, 50, 80}) {
      java.util.Arrays.fill(ruled.v, y * 100, (y + 1) * 100, 1f);
      java.util.Arrays.fill(written, y * 100, (y + 1) * 100, 40f);
    }
    java.util.Arrays.fill(written, 50 * 100 + 30, 50 * 100 + 61, 200f);
    GrayImage plain = new GrayImage(100, 100, ruled.v.clone());
    assertTrue(DigitPreprocessor.removeRuledLines(ruled, written));
    assertEquals(0f, ruled.get(10, 50), "the line erased");
    assertEquals(0f, ruled.get(70, 20), "the others too");
    assertEquals(1f, ruled.get(45, 50), "the stroke over it kept");
    assertTrue(DigitPreprocessor.removeRuledLines(plain));
    assertEquals(0f, plain.get(45, 50), "without the levels as written, the stroke goes with the line");
  }

  @Test
  void linesOfRuledPaperAreErasedButASingleLongStrokeIsNot() {
    GrayImage ruled = new GrayImage(100, 100);
    for (int y : new int[] {20, 50, 80}) {
      java.util.Arrays.fill(ruled.v, y * 100, (y + 1) * 100, 1f);
    }
    ruled.v[35 * 100 + 40] = 1f; // a stroke pixel between the lines
    assertTrue(DigitPreprocessor.removeRuledLines(ruled));
    assertEquals(0f, ruled.get(10, 50));
    assertEquals(1f, ruled.get(40, 35));
    GrayImage sevenBar = new GrayImage(100, 100);
    java.util.Arrays.fill(sevenBar.v, 5 * 100, 6 * 100, 1f);
    assertFalse(DigitPreprocessor.removeRuledLines(sevenBar));
    assertEquals(1f, sevenBar.get(50, 5));
  }

  @Test
  void aThinFaintDigitInALargeImageIsStillFound() {
    // A one-pixel grey "1" in a 400x400 image: under 0.1% of the pixels.
    BufferedImage img = Images.bar(400, 400, 1, new Color(150, 150, 150), Color.WHITE);
    assertTrue(Images.mass(DigitPreprocessor.toMnist(img)) > 5);
  }

  @Test
  void specksAreDroppedFromTheCrop() {
    BufferedImage img = Images.text("1", 200, 200, Color.BLACK, Color.WHITE, 120, 70, 150);
    img.setRGB(3, 3, Color.BLACK.getRGB());
    img.setRGB(195, 190, Color.BLACK.getRGB());
    GrayImage g = Greyscale.of(img);
    DigitPreprocessor.makeInkBright(g);
    float noise = DigitPreprocessor.noise(g);
    DigitPreprocessor.subtractBackground(g, true);
    DigitPreprocessor.normalizeContrast(g, noise);
    Box box = DigitPreprocessor.inkBox(g);
    assertTrue(box.x() > 20 && box.x() + box.width() < 180, "box " + box);
  }

  @Test
  void digitFitsA20BoxWithAspectRatioKept() {
    float[] input = DigitPreprocessor.toMnist(Images.bar(300, 300, 24, Color.BLACK, Color.WHITE));
    int[] b = Images.box(input);
    int height = b[3] - b[1] + 1;
    int width = b[2] - b[0] + 1;
    assertTrue(height >= 19 && height <= 21, "height " + height);
    assertTrue(width < height / 2, "a '1' stays narrow: width " + width);
  }

  @Test
  void offCentreDigitsAreCentredByMass() {
    BufferedImage img = Images.text("5", 400, 400, Color.BLACK, Color.WHITE, 60, 10, 60);
    double[] c = Images.centre(DigitPreprocessor.toMnist(img));
    assertEquals(14, c[0], 0.6);
    assertEquals(14, c[1], 0.6);
  }

  @Test
  void aThinPenLineInALargePhotoStaysALine() {
    // A 2-pixel line in a 400-pixel image becomes a thin, full-strength stroke: scaling fades it, the
    // peak normalization brings it back; nothing thickens it (thickening cost real digits, gained none).
    float[] input = DigitPreprocessor.toMnist(Images.bar(400, 400, 2, Color.BLACK, Color.WHITE));
    int[] b = Images.box(input);
    assertTrue(b[2] - b[0] + 1 <= 3, "width " + (b[2] - b[0] + 1));
    float max = 0;
    for (float f : input) {
      max = Math.max(max, f);
    }
    assertEquals(1f, max, 1e-6f);
  }

  @Test
  void thickBlurryStrokesKeepTheirInterior() {
    // A 16x16 scan of a thick ring (a "0"), enlarged 8x with bicubic interpolation: a blurry 128x128 image
    // whose stroke is wider than a background-estimation cell.
    BufferedImage scan = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        double r = Math.hypot(x - 7.5, (y - 7.5) * 0.8);
        scan.getRaster().setSample(x, y, 0, r > 3.2 && r < 7.2 ? 0 : 255);
      }
    }
    BufferedImage big = new BufferedImage(128, 128, BufferedImage.TYPE_BYTE_GRAY);
    java.awt.Graphics2D g = big.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(scan, 0, 0, 128, 128, null);
    g.dispose();
    float[] input = DigitPreprocessor.toMnist(big);
    // Along the ring's middle the ink is solid: no hole broken into the stroke.
    double[] c = Images.centre(input);
    int dark = 0;
    for (int a = 0; a < 360; a += 10) {
      double t = Math.toRadians(a);
      int x = (int) Math.round(c[0] - 0.5 + 6.2 * Math.cos(t));
      int y = (int) Math.round(c[1] - 0.5 + 7.4 * Math.sin(t));
      dark += input[y * 28 + x] < 0.7f ? 1 : 0;
    }
    assertEquals(0, dark, "points on the stroke's middle line that lost their ink");
  }

  @Test
  void aFaintThinDigitIsFound() {
    // Light grey (contrast 12%), one pixel wide, in a 28x28 drawing: faint is not blank.
    BufferedImage img = Images.filled(28, 28, Color.WHITE);
    int grey = new Color(225, 225, 225).getRGB();
    for (int i = 0; i < 16; i++) {
      img.setRGB(8 + i, 6, grey);          // the bar of a 7
      img.setRGB(23 - i / 2, 7 + i, grey); // its slanted stem
    }
    float[] input = DigitPreprocessor.toMnist(img);
    assertTrue(Images.mass(input) > 20, "mass " + Images.mass(input));
  }

  @Test
  void aLoneVerticalStrokeInASmallDrawingSurvives() {
    BufferedImage one = Images.filled(28, 28, Color.WHITE);
    for (int y = 4; y < 22; y++) {
      one.setRGB(13, y, Color.BLACK.getRGB());
    }
    float[] input = DigitPreprocessor.toMnist(one);
    int[] b = Images.box(input);
    assertTrue(b[3] - b[1] + 1 >= 17, "full height: " + java.util.Arrays.toString(b));
    assertTrue(b[2] - b[0] + 1 <= 5, "still a thin upright stroke: " + java.util.Arrays.toString(b));
  }

  @Test
  void noiseAloneIsNoDigit() {
    // Grainy paper and JPEG noise: a few grey levels of variation, nothing that stands out from it.
    java.util.Random r = new java.util.Random(3);
    BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 200; x++) {
        int v = 235 + (int) Math.round(r.nextGaussian() * 3);
        img.setRGB(x, y, new Color(v, v, v).getRGB());
      }
    }
    ImageException e = assertThrows(ImageException.class, () -> DigitPreprocessor.toMnist(img));
    assertTrue(e.getMessage().startsWith("no digit found") && e.noDigit(), e.getMessage());
  }

  @Test
  void aLongStrokeOfATightlyCroppedDigitIsNotARuledLine() {
    // A tightly cropped "2": its base runs the full width, as does the bar at the top; both are thick.
    GrayImage two = new GrayImage(120, 120);
    for (int y : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 112, 113, 114, 115, 116, 117, 118, 119}) {
      java.util.Arrays.fill(two.v, y * 120, (y + 1) * 120, 1f);
    }
    assertFalse(DigitPreprocessor.removeRuledLines(two));
    GrayImage small = new GrayImage(28, 28);
    for (int y : new int[] {3, 24}) {
      java.util.Arrays.fill(small.v, y * 28, (y + 1) * 28, 1f);
    }
    assertFalse(DigitPreprocessor.removeRuledLines(small), "a 28-pixel drawing has no ruled paper");
  }

  @Test
  void outputIsMnistShapedAndInRange() {
    float[] input = DigitPreprocessor.toMnist(Images.text("8", 64, 64, Color.BLUE, Color.YELLOW, 50, 15, 55));
    assertEquals(ModelContract.PIXELS, input.length);
    for (float f : input) {
      assertTrue(f >= 0 && f <= 1);
    }
    assertEquals(0, input[0], 0.0);
  }

  @Test
  void inkThatIsOnlyIsolatedSpecksIsNoDigitNotACrash() {
    // Five dark single pixels on white: each is a speck, so no stroke is left to crop to.
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        img.setRGB(x, y, 0xFFFFFF);
      }
    }
    for (int[] p : new int[][] {{3, 4}, {10, 20}, {17, 9}, {22, 22}, {25, 2}}) {
      img.setRGB(p[0], p[1], 0);
    }
    ImageException e = org.junit.jupiter.api.Assertions.assertThrows(ImageException.class,
        () -> DigitPreprocessor.toMnist(img));
    assertTrue(e.getMessage().startsWith("no digit found") && e.noDigit(), e.getMessage());
  }
}
