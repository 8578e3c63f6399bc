package dev.digits.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.bench.NumberImages;
import dev.digits.imaging.Box;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.GrayImage;
import dev.digits.imaging.Greyscale;
import dev.digits.imaging.ImageException;
import dev.digits.imaging.Images;
import dev.digits.model.ModelContract;
import dev.digits.predict.Predictor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.commons.imaging.formats.jpeg.exif.ExifRewriter;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reading whole numbers with the bundled model ({@link TestData#BUNDLED_MODEL}) on images drawn
 * here: typed digits (DejaVu Sans, which the model never trained on) apart, touching, in pieces,
 * among specks and over an underline, and as an EXIF-rotated photo.
 */
class NumberReaderTest {
  static Predictor predictor;

  @BeforeAll
  static void load() {
    predictor = Predictor.load(TestData.BUNDLED_MODEL);
  }

  @AfterAll
  static void close() {
    predictor.close();
  }

  /** Reads an image, first saved as {@code target/number-test/<name>.png} to look at when a test fails. */
  static String read(BufferedImage img, String name) throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "number-test"));
    javax.imageio.ImageIO.write(img, "png", dir.resolve(name + ".png").toFile());
    return new NumberReader(predictor).read(img).number();
  }

  /** Digits typed on white, {@code gap} pixels between their glyph boxes (negative: overlapping). */
  static BufferedImage typed(String number, int size, int gap) {
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, size);
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    pg.setFont(font);
    int[] widths = number.chars().map(c -> pg.getFontMetrics().charWidth(c)).toArray();
    pg.dispose();
    int w = size;
    for (int cw : widths) {
      w += cw + gap;
    }
    BufferedImage img = new BufferedImage(w + size, size * 2, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(font);
    int x = size;
    for (int i = 0; i < number.length(); i++) {
      g.drawString(number.substring(i, i + 1), x, size * 3 / 2);
      x += widths[i] + gap;
    }
    g.dispose();
    return img;
  }

  @Test
  void readsSeparatedDigitsLeftToRight() {
    assertEquals("2025", new NumberReader(predictor).read(typed("2025", 80, 12)).number());
    assertEquals("314159", new NumberReader(predictor).read(typed("314159", 60, 10)).number());
  }

  @Test
  void boxesAreOrderedAndEachHoldsItsDigit() {
    BufferedImage img = typed("4096", 80, 20);
    NumberReading r = new NumberReader(predictor).read(img);
    assertEquals("4096", r.number());
    int right = -1;
    for (NumberReading.Digit d : r.digits()) {
      Box b = d.box();
      assertTrue(b.x() > right, "boxes left to right, apart: " + r.digits());
      assertTrue(b.height() > 40 && b.height() < 80, "a digit's height, not the image's: " + b);
      right = b.x() + b.width() - 1;
    }
    assertTrue(r.probability() > 0.5f && r.probability() <= 1f, "overall probability " + r.probability());
    assertEquals(img.getWidth(), r.imageWidth());
  }

  @Test
  void touchingDigitsAreCutApart() throws Exception {
    // Advance boxes that many pixels into each other: the strokes of neighbours join. (Much more
    // and loops overlap: tools/benchmark numbers measures how often overlapping digits come apart.)
    for (String number : List.of("3580:13", "40:15", "40:17")) {
      String digits = number.split(":")[0];
      int overlap = Integer.parseInt(number.split(":")[1]);
      BufferedImage img = typed(digits, 90, -overlap);
      assertTrue(inkComponents(img) < digits.length(), "the test image must have touching digits: " + number);
      assertEquals(digits, read(img, "touching-" + digits + "-" + overlap), number);
    }
  }

  @Test
  void aNumberWrittenInOneJoinedStrokeIsRead() throws Exception {
    // Five or six digits whose strokes all join: one piece of ink more than three times as wide
    // as high, the shape of nothing but the line itself (it was dropped as "a mark above or
    // below the line", and the image read as "no digits found").
    for (String number : List.of("35805:16", "404040:17")) {
      String digits = number.split(":")[0];
      BufferedImage img = typed(digits, 90, -Integer.parseInt(number.split(":")[1]));
      assertEquals(1, inkComponents(img), "the test image must be one piece of ink: " + number);
      assertEquals(digits, read(img, "joined-" + digits), number);
    }
  }

  /** How many connected pieces of ink the image holds. */
  private static int inkComponents(BufferedImage img) {
    GrayImage g = DigitPreprocessor.ink(Greyscale.of(img, Tuning.WORK_SIDE), java.util.Set.of());
    return InkPieces.components(g, new int[g.v.length]).size();
  }

  @Test
  void theOneDigitModelTellsOneDigitFromTwoAndFromAPart() {
    // The bundled one-digit model, on typed digits (a face it never trained on), each cut out and
    // fitted as the number reader fits a candidate.
    Predictor judge = OneDigitJudge.model();
    for (String one : List.of("2", "4", "5", "7", "8")) {
      assertTrue(notOneDigit(judge, typed(one, 90, 0)) < 0.5, one + " is one digit");
    }
    for (String two : List.of("40", "23", "85")) {
      assertTrue(notOneDigit(judge, typed(two, 90, -12)) > 0.5, two + " (touching) is not one digit");
    }
    BufferedImage zero = typed("0", 90, 0);
    BufferedImage leftHalf = zero.getSubimage(0, 0, zero.getWidth() / 2, zero.getHeight());
    assertTrue(notOneDigit(judge, leftHalf) > 0.5, "the left half of a 0 is not one digit");
  }

  @Test
  void theOneDigitModelComesFromTheJarOncePerProcess() {
    Predictor judge = OneDigitJudge.model();
    assertEquals(ModelContract.CLASSES + 1, judge.classCount(), "the ten digits and none");
    assertEquals("none", judge.classNames().get(NumberReader.NOT_ONE_DIGIT));
    assertTrue(judge == OneDigitJudge.model(), "loaded once");
    assertTrue(java.nio.file.Files.isRegularFile(judge.modelDir().resolve("saved_model.pb")), "copied out of the jar");
  }

  private static float notOneDigit(Predictor judge, BufferedImage img) {
    float[] input = DigitPreprocessor.variants(img, java.util.Set.of()).get(0);
    return judge.predictNormalized(input).probabilities()[NumberReader.NOT_ONE_DIGIT];
  }

  @Test
  void aDigitInPiecesIsReadOnce() throws Exception {
    BufferedImage img = typed("47", 100, 24);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    // Cut through the 4 below its bar and through the middle of the 7's stem: four pieces of ink.
    int y = 100 * 3 / 2 - 22;
    g.fillRect(0, y, img.getWidth() / 2, 5);
    g.fillRect(img.getWidth() / 2, y - 20, img.getWidth() / 2, 5);
    g.dispose();
    assertEquals("47", read(img, "in-pieces"));
  }

  @Test
  void onesCloseTogetherAreEachADigit() throws Exception {
    // Handwritten ones (a slanted stroke with a flag) with a little daylight between them: one box
    // would hold all three, and the model reads that box as a confident "0".
    BufferedImage img = new BufferedImage(230, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(9, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (int i = 0; i < 3; i++) {
      int x = 60 + i * 30;
      g.drawLine(x, 150, x + 30, 50);
      g.drawLine(x + 30, 50, x + 12, 68);
    }
    g.dispose();
    assertEquals("111", read(img, "three-ones"));
  }

  @Test
  void aOneNextToASeven() {
    assertEquals("17", new NumberReader(predictor).read(typed("17", 90, 8)).number());
    assertEquals("71", new NumberReader(predictor).read(typed("71", 90, 8)).number());
    assertEquals("117", new NumberReader(predictor).read(typed("117", 90, 8)).number());
  }

  @Test
  void specksDotsAndAnUnderlineAreIgnored() {
    BufferedImage img = typed("360", 80, 14);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.BLACK);
    java.util.Random rng = new java.util.Random(5);
    for (int i = 0; i < 25; i++) { // dust all over the page
      g.fillOval(rng.nextInt(img.getWidth()), rng.nextInt(img.getHeight()), 2 + rng.nextInt(2), 2 + rng.nextInt(2));
    }
    g.fillOval(img.getWidth() - 70, 112, 8, 8); // a full stop after the number
    g.setStroke(new BasicStroke(4));
    g.drawLine(60, 135, img.getWidth() - 60, 135); // an underline below the baseline
    g.dispose();
    assertEquals("360", new NumberReader(predictor).read(img).number());

    BufferedImage crossed = typed("58", 90, 16);
    Graphics2D c = crossed.createGraphics();
    c.setColor(Color.BLACK);
    c.setStroke(new BasicStroke(5));
    c.drawLine(20, 141, crossed.getWidth() - 20, 141); // an underline that touches the digits
    c.dispose();
    assertEquals("58", new NumberReader(predictor).read(crossed).number());
  }

  @Test
  void lightOnDarkAndAPhotoOnTintedPaper() {
    BufferedImage img = typed("8642", 70, 14);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.setRGB(x, y, ~img.getRGB(x, y));
      }
    }
    assertEquals("8642", new NumberReader(predictor).read(img).number());
    NumberImages.Glyph line = lineOfInk(typed("907", 70, 14));
    BufferedImage photo = NumberImages.render(line, NumberImages.Paper.PHOTO, 3, 1.0, new java.util.SplittableRandom(1));
    assertEquals("907", new NumberReader(predictor).read(Images.encode(photo, "jpg")).number());
  }

  private static NumberImages.Glyph lineOfInk(BufferedImage typed) {
    float[] ink = new float[typed.getWidth() * typed.getHeight()];
    for (int i = 0; i < ink.length; i++) {
      ink[i] = 1 - (typed.getRGB(i % typed.getWidth(), i / typed.getWidth()) & 0xff) / 255f;
    }
    return new NumberImages.Glyph(typed.getWidth(), typed.getHeight(), ink);
  }

  @Test
  void boxesAreInTheUprightImagesCoordinatesAfterExifRotation() throws Exception {
    BufferedImage upright = typed("52", 90, 20);
    // Stored turned a quarter to the left, with EXIF orientation 6 ("rotate 90° clockwise to view").
    BufferedImage stored = new BufferedImage(upright.getHeight(), upright.getWidth(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < upright.getHeight(); y++) {
      for (int x = 0; x < upright.getWidth(); x++) {
        stored.setRGB(y, upright.getWidth() - 1 - x, upright.getRGB(x, y));
      }
    }
    TiffOutputSet exif = new TiffOutputSet();
    exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_ORIENTATION, (short) 6);
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    new ExifRewriter().updateExifMetadataLossless(Images.encode(stored, "jpg"), jpeg, exif);

    NumberReading turned = new NumberReader(predictor).read(jpeg.toByteArray());
    NumberReading straight = new NumberReader(predictor).read(upright);
    assertEquals("52", turned.number());
    assertEquals(upright.getWidth(), turned.imageWidth());
    assertEquals(upright.getHeight(), turned.imageHeight());
    for (int i = 0; i < 2; i++) {
      Box a = turned.digits().get(i).box();
      Box b = straight.digits().get(i).box();
      assertTrue(Math.abs(a.x() - b.x()) <= 3 && Math.abs(a.y() - b.y()) <= 3 && Math.abs(a.width() - b.width()) <= 4
          && Math.abs(a.height() - b.height()) <= 4, a + " vs " + b);
    }
  }

  @Test
  void largePhotosReportBoxesInTheirOwnPixels() {
    BufferedImage small = typed("71", 60, 16);
    BufferedImage big = new BufferedImage(small.getWidth() * 8, small.getHeight() * 8, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = big.createGraphics();
    g.drawImage(small, 0, 0, big.getWidth(), big.getHeight(), null);
    g.dispose();
    NumberReading a = new NumberReader(predictor).read(small);
    NumberReading b = new NumberReader(predictor).read(Images.encode(big, "jpg")); // decoded subsampled, worked on shrunk
    assertEquals("71", b.number());
    for (int i = 0; i < 2; i++) {
      Box s = a.digits().get(i).box();
      Box l = b.digits().get(i).box();
      assertTrue(Math.abs(l.x() - 8 * s.x()) <= 24 && Math.abs(l.width() - 8 * s.width()) <= 32, l + " vs 8 x " + s);
    }
  }

  @Test
  void aHairlineDigitThatAntiAliasingLeftDottedIsKept() throws Exception {
    // A 7 in a fine pen, in dots two pixels apart: each dot alone is a speck.
    BufferedImage img = besideDotted("52", 2, new int[] {0, 45, 18}, new int[] {72, 72, 136});
    GrayImage ink = ink(img);
    assertTrue(InkPieces.components(ink, new int[ink.v.length]).size() > 10, "the 7 must be in dots");
    assertEquals("527", read(img, "hairline"));
  }

  @Test
  void aLightHairlineDigitWhoseDotsLieFurtherApartIsKept() throws Exception {
    // A 3 written lightly in a fine pen: dots five pixels apart (under a tenth of the line's height), as
    // a real light pencil "3" beside bold digits came out; joined only two pixels apart, it vanished.
    BufferedImage img = besideDotted("52", 5, new int[] {0, 40, 12, 42, 0}, new int[] {72, 76, 102, 116, 136});
    assertEquals("523", read(img, "light hairline"));
  }

  /** {@code digits} typed, and after them a digit drawn in a fine pen as dots {@code gap} pixels apart. */
  private static BufferedImage besideDotted(String digits, float gap, int[] xs, int[] ys) {
    BufferedImage img = typed(digits, 90, 20);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, gap}, 0));
    int x = img.getWidth() - 80;
    g.drawPolyline(java.util.Arrays.stream(xs).map(v -> x + v).toArray(), ys, xs.length);
    g.dispose();
    return img;
  }

  @Test
  void aDigitWrittenSmallBesideLargeOnesIsRead() throws Exception {
    BufferedImage img = Images.filled(400, 200, Color.WHITE);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 100));
    g.drawString("2", 40, 150);
    g.drawString("5", 230, 150);
    // Between them, 40% of their height, its middle level with theirs.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
    g.drawString("4", 160, 128);
    g.dispose();
    assertEquals("245", read(img, "small-digit"));
  }

  /** {@link #typed}, sheared so that each row moves {@code shear} pixels right per row up: an italic hand. */
  static BufferedImage slanted(String number, int size, int gap, double shear) {
    BufferedImage upright = typed(number, size, gap);
    int extra = (int) Math.ceil(shear * upright.getHeight());
    BufferedImage img = Images.filled(upright.getWidth() + extra, upright.getHeight(), Color.WHITE);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.translate(extra, 0);
    g.shear(-shear, 0);
    g.drawImage(upright, 0, 0, null);
    g.dispose();
    return img;
  }

  @Test
  void aSlantedLineIsReadUprightWithBoxesAroundTheSlantedDigits() throws Exception {
    assertEquals(0.0, LineSlant.of(ink(typed("2580", 80, 12))).shear, "an upright line is left as it is");
    BufferedImage img = slanted("2580", 80, 12, 0.4);
    double shear = LineSlant.of(ink(img)).shear;
    assertTrue(Math.abs(Math.abs(shear) - 0.4) < 0.08, "the slant found: " + shear);
    NumberReading r = new NumberReader(predictor).read(img);
    assertEquals("2580", read(img, "slanted"));
    // Each box is where the slanted digit is: around its ink in the image as given, and the boxes
    // together hold all of the line's ink.
    int inkInBoxes = 0;
    int ink = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xff) < 128) {
          ink++;
          final int px = x;
          final int py = y;
          inkInBoxes += r.digits().stream().map(NumberReading.Digit::box).anyMatch(b -> px >= b.x()
              && px < b.x() + b.width() && py >= b.y() && py < b.y() + b.height()) ? 1 : 0;
        }
      }
    }
    assertTrue(inkInBoxes > 0.98 * ink, inkInBoxes + " of " + ink + " ink pixels in the boxes " + r.digits());
    for (NumberReading.Digit d : r.digits()) {
      assertTrue(d.box().width() < 90, "a slanted digit's box, not the line's: " + d.box());
    }
  }

  @Test
  void lightFallingOffAcrossAPhotoIsPaperNotInk() throws Exception {
    // Light pencil (grey 200 on paper 225) in a photo lit from one side: the paper darkens by 10
    // or 15% from left to right. Along the border that varies too little to count as uneven light
    // (the border's 5th to 40th percentile span under 12 grey levels), so one paper level is
    // subtracted, and with no grain to measure the darker paper on the right stood out as faint
    // ink in a patch as high as the line ("909913" and "90998" instead of "4096").
    for (double shade : new double[] {0.10, 0.15}) {
      BufferedImage img = typed("4096", 80, 20);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          double ink = 1 - (img.getRGB(x, y) & 0xff) / 255.0;
          double light = 1 - shade * x / img.getWidth();
          img.setRGB(x, y, (int) Math.round((225 * (1 - ink) + 200 * ink) * light) * 0x010101);
        }
      }
      assertEquals("4096", read(img, "light-falling-off-" + shade), "the paper darkening by " + shade);
    }
  }

  @Test
  void aOneWrittenWithABroadMarkerIsAOne() throws Exception {
    // "1919" with each 1 one slanted stroke of a broad marker, two fifths as wide as it is long,
    // round at the ends, beside typed 9s: the classifier, which learnt MNIST's pen, read it as a 0
    // ("0909"); thinned first, it reads a 1. (The segmenter's reading: the line reader, which
    // learnt the same pens, still reads these bars as 0s and, sure of it, overrides; see
    // docs/NUMBERS.md.)
    BufferedImage img = Images.filled(420, 160, Color.WHITE);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 110));
    for (int x : new int[] {40, 230}) {
      g.setStroke(new BasicStroke(40, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.drawLine(x + 34, 52, x + 18, 108);
      g.drawString("9", x + 70, 120);
    }
    g.dispose();
    javax.imageio.ImageIO.write(img, "png", java.nio.file.Files.createDirectories(
        java.nio.file.Path.of("target", "number-test")).resolve("broad-marker-1919.png").toFile());
    assertEquals("1919", new NumberReader(predictor).using(NumberReader.Readers.SEGMENTER).read(img).number());
  }

  private static GrayImage ink(BufferedImage img) {
    return DigitPreprocessor.ink(Greyscale.of(img, Tuning.WORK_SIDE), java.util.Set.of(), true);
  }

  @Test
  void noDigitsIsAClearError() {
    BufferedImage blank = Images.filled(300, 100, Color.WHITE);
    ImageException e = assertThrows(ImageException.class, () -> new NumberReader(predictor).read(blank));
    assertTrue(e.getMessage().startsWith("no digit"), e.getMessage());
  }

  @Test
  void singleDigitsReadTheSameAsPredict() {
    for (String d : List.of("3", "8")) {
      BufferedImage img = typed(d, 120, 0);
      assertEquals(predictor.predict(img).digit(), new NumberReader(predictor).read(img).digits().get(0).digit());
    }
  }
}
