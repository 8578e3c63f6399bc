package dev.digits.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.imaging.Images;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
  private final BufferedImage seven = Images.text("7", 64, 64, Color.BLACK, Color.WHITE, 50, 16, 55);

  @Test
  void decodesCommonFormats() {
    for (String format : new String[] {"png", "jpg", "gif", "bmp", "tif"}) {
      BufferedImage img = ImageDecoder.decode(Images.encode(seven, format));
      assertEquals(64, img.getWidth(), format);
      assertEquals(64, img.getHeight(), format);
    }
  }

  @Test
  void decodesSixteenBitAndPaletteImages() {
    BufferedImage gray16 = new BufferedImage(40, 40, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 5; y < 35; y++) {
      gray16.getRaster().setSample(20, y, 0, 65535);
    }
    float[] input = DigitPreprocessor.toMnist(ImageDecoder.decode(Images.encode(gray16, "png")));
    assertTrue(Images.mass(input) > 5);
    BufferedImage palette = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED);
    palette.createGraphics().drawImage(seven, 0, 0, null);
    assertTrue(Images.mass(DigitPreprocessor.toMnist(ImageDecoder.decode(Images.encode(palette, "png")))) > 5);
  }

  @Test
  void multiFrameImagesGiveTheirFirstFrame() throws Exception {
    // An animated GIF: a 7, then a blank frame.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("gif").next();
    try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      writer.writeToSequence(new javax.imageio.IIOImage(seven, null, null), null);
      writer.writeToSequence(new javax.imageio.IIOImage(Images.filled(64, 64, Color.WHITE), null, null), null);
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    BufferedImage first = ImageDecoder.decode(bytes.toByteArray());
    assertTrue(Images.mass(DigitPreprocessor.toMnist(first)) > 5, "the 7 of the first frame, not the blank second");
  }

  @Test
  void emptyFile() {
    ImageException empty = assertThrows(ImageException.class, () -> ImageDecoder.decode(new byte[0]));
    assertEquals("empty file", empty.getMessage());
    assertFalse(empty.noDigit(), "an unreadable file is not a readable image without a digit (400, not 422)");
  }

  @Test
  void notAnImage() {
    byte[] text = "hello, this is not a picture".getBytes(StandardCharsets.UTF_8);
    assertTrue(message(text).startsWith("not an image"), message(text));
  }

  @Test
  void unsupportedImageTypesAreNamed() {
    byte[] svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>7</text></svg>"
        .getBytes(StandardCharsets.UTF_8);
    assertEquals("unsupported image format (SVG): convert it to PNG or JPEG first", message(svg));
    assertTrue(message(isoMedia("heic")).startsWith("unsupported image format (HEIC)"), message(isoMedia("heic")));
    assertTrue(message(isoMedia("mif1")).startsWith("unsupported image format (HEIC)"));
    assertTrue(message(isoMedia("avif")).startsWith("unsupported image format (AVIF)"), message(isoMedia("avif")));
    byte[] jxl = {(byte) 0xFF, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8};
    assertTrue(message(jxl).startsWith("unsupported image format (JPEG XL)"), message(jxl));
  }

  /** The start of an ISO base media file (HEIF, AVIF) with the given brand. */
  private static byte[] isoMedia(String brand) {
    byte[] b = new byte[64];
    byte[] head = ("\0\0\0\u0018ftyp" + brand + "\0\0\0\0mif1").getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  @Test
  void lossyAndLosslessWebpDecode() throws Exception {
    for (String name : new String[] {"3-lossy.webp", "7-lossy-photo.webp", "5-lossless.webp"}) {
      byte[] bytes = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("src/test/resources/formats", name));
      BufferedImage img = ImageDecoder.decode(bytes);
      assertTrue(img.getWidth() >= 100, name);
      assertTrue(Images.mass(DigitPreprocessor.toMnist(img)) > 5, name);
    }
  }

  @Test
  void greyPngsKeepTheirFileLevels() {
    // commons-imaging hands back grey images in linear light; a mid-grey stroke must stay mid-grey.
    BufferedImage grey = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 5; y < 35; y++) {
      grey.getRaster().setSample(20, y, 0, 128);
    }
    BufferedImage decoded = ImageDecoder.decode(Images.encode(grey, "png"));
    assertEquals(128, decoded.getRaster().getSample(20, 20, 0), 1);
    assertEquals(0, decoded.getRaster().getSample(5, 5, 0));
  }

  @Test
  void truncatedPng() {
    byte[] png = Images.encode(seven, "png");
    String m = message(Arrays.copyOf(png, png.length / 2));
    assertTrue(m.contains("corrupt or truncated") || m.contains("unreadable"), m);
  }

  @Test
  void truncatedJpeg() {
    byte[] jpg = Images.encode(seven, "jpg");
    assertTrue(message(Arrays.copyOf(jpg, jpg.length * 2 / 3)).contains("truncated"));
  }

  @Test
  void tooSmall() {
    assertTrue(message(Images.encode(Images.filled(4, 4, Color.WHITE), "png")).contains("too small"));
  }

  @Test
  void decompressionBombIsRefusedFromTheHeader() {
    // A real 64x64 PNG whose header claims 60000x60000 pixels (with a valid CRC).
    byte[] png = Images.encode(seven, "png");
    ByteBuffer b = ByteBuffer.wrap(png);
    b.putInt(16, 60_000).putInt(20, 60_000);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    b.putInt(29, (int) crc.getValue());
    ImageException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> assertThrows(ImageException.class, () -> ImageDecoder.decode(png)));
    assertTrue(e.getMessage().contains("60000x60000") && e.getMessage().contains("over the limit"), e.getMessage());
  }

  @Test
  void exifOrientationsTurnTheImageUpright() {
    // A 3x2 image with one marked pixel at the top left.
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, Color.WHITE.getRGB());
    int[][] expectedMark = {null, {0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 2}, {0, 2}};
    for (int o = 1; o <= 8; o++) {
      BufferedImage out = Orientation.apply(img, o);
      assertEquals(o >= 5 ? 2 : 3, out.getWidth(), "width for orientation " + o);
      int x = expectedMark[o][0];
      int y = expectedMark[o][1];
      assertEquals(Color.WHITE.getRGB() | 0xff000000, out.getRGB(x, y) | 0xff000000, "mark for orientation " + o);
    }
  }

  private static String message(byte[] bytes) {
    return assertThrows(ImageException.class, () -> ImageDecoder.decode(bytes)).getMessage();
  }

  @Test
  void aTopDownBmpIsDecoded() throws Exception {
    BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
    var g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 64, 48);
    g.setColor(Color.BLACK);
    g.fillRect(10, 2, 8, 10); // near the top of the picture
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "bmp", out);
    byte[] bmp = out.toByteArray();
    // Make it top-down: negative height, rows stored first to last.
    ByteBuffer header = ByteBuffer.wrap(bmp).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int offset = header.getInt(10);
    int stride = (64 * 3 + 3) / 4 * 4;
    header.putInt(22, -48);
    byte[] rows = Arrays.copyOfRange(bmp, offset, offset + 48 * stride);
    for (int y = 0; y < 48; y++) {
      System.arraycopy(rows, (47 - y) * stride, bmp, offset + y * stride, stride);
    }
    BufferedImage decoded = ImageDecoder.decode(bmp);
    assertEquals(64, decoded.getWidth());
    assertEquals(48, decoded.getHeight());
    assertEquals(0, decoded.getRGB(12, 5) & 0xffffff, "the dark patch is at the top, as drawn");
  }

  @Test
  void aPngsMetadataChunksAreNeverInflated() throws Exception {
    BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(20, 20, 0, 200);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    byte[] png = out.toByteArray();
    // An ICC profile whose zlib stream inflates to 64 MB of zeros (a real bomb inflates to gigabytes),
    // and a compressed text chunk after it: both between IHDR and the pixels.
    byte[] withProfile = dev.digits.bench.AttackBenchmark.pngWithIccp(img, 64L << 20);
    int pixels = 33 + 12 + java.nio.ByteBuffer.wrap(withProfile, 33, 4).getInt();
    java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
    bomb.write(withProfile, 0, pixels);
    bomb.writeBytes(dev.digits.bench.AttackBenchmark.pngChunk("zTXt", "Comment\0\0x".getBytes(StandardCharsets.ISO_8859_1)));
    bomb.write(withProfile, pixels, withProfile.length - pixels);
    byte[] stripped = ImageDecoder.withoutAncillaryChunks(bomb.toByteArray());
    assertTrue(Arrays.equals(png, stripped) || stripped.length <= png.length, "only the picture's chunks remain");
    String kept = new String(stripped, StandardCharsets.ISO_8859_1);
    assertTrue(!kept.contains("iCCP") && !kept.contains("zTXt") && kept.contains("IDAT"));
    BufferedImage decoded = ImageDecoder.decode(bomb.toByteArray());
    assertEquals(200, decoded.getRaster().getSample(20, 20, 0));
    // A chunk list that does not add up is left for the decoder to report.
    byte[] cut = Arrays.copyOf(bomb.toByteArray(), 2000);
    assertTrue(Arrays.equals(cut, ImageDecoder.withoutAncillaryChunks(cut)));
    assertThrows(ImageException.class, () -> ImageDecoder.decode(cut));
  }

  @Test
  void aGifWithThousandsOfFramesGivesItsFirst() throws Exception {
    javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("gif").next();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (var stream = javax.imageio.ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      for (int i = 0; i < 3000; i++) {
        BufferedImage frame = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        frame.getRaster().setSample(i == 0 ? 3 : 9, 3, 0, 255);
        writer.writeToSequence(new javax.imageio.IIOImage(frame, null, null), null);
      }
      writer.endWriteSequence();
    }
    writer.dispose();
    BufferedImage first = ImageDecoder.decode(out.toByteArray());
    assertEquals(16, first.getWidth());
    assertTrue((first.getRGB(3, 3) & 0xff) > 200 && (first.getRGB(9, 3) & 0xff) < 50, "the first frame");
  }

  @Test
  void aGifFrameLargerThanItsScreenIsRefusedBeforeItIsDecoded() {
    // 35 bytes: a 64x64 screen holding one 46000x46000 frame (2.1 GB decoded).
    byte[] bomb = dev.digits.bench.HostileImages.gifFrameBomb(64, 46_000);
    ImageException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> assertThrows(ImageException.class, () -> ImageDecoder.decode(bomb)));
    assertTrue(e.getMessage().contains("GIF frame 0 is 46000x46000 pixels, over the limit"), e.getMessage());
    // A frame within the limit but larger than its screen decodes at the frame's size.
    BufferedImage img = ImageDecoder.decode(dev.digits.bench.HostileImages.gifFrameBomb(16, 40));
    assertEquals(40, img.getWidth());
  }

  @Test
  void gifFramesAreEachCheckedNotJustTheFirst() {
    byte[] small = dev.digits.bench.HostileImages.gifFrameBomb(64, 64);
    byte[] huge = dev.digits.bench.HostileImages.gifFrameBomb(64, 20_000);
    // The small one's frame, then the huge one's frame and trailer: a second frame of 20000x20000.
    int hugeFrame = 13 + 6;
    java.io.ByteArrayOutputStream two = new java.io.ByteArrayOutputStream();
    two.write(small, 0, small.length - 1);
    two.write(huge, hugeFrame, huge.length - hugeFrame);
    ImageException e = assertThrows(ImageException.class, () -> ImageDecoder.decode(two.toByteArray()));
    assertTrue(e.getMessage().startsWith("GIF frame 1 is 20000x20000"), e.getMessage());
  }

  @Test
  void aJpegOfThousandsOfScansIsRefusedBeforeItIsDecoded() throws Exception {
    byte[] bomb = dev.digits.bench.HostileImages.jpegScanBomb(2000, 3000);
    ImageException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> assertThrows(ImageException.class, () -> ImageDecoder.decode(bomb)));
    assertTrue(e.getMessage().startsWith("JPEG of 3000 scans, over the limit of 100 for a 2000x2000 image"),
        e.getMessage());
    // Larger images may have fewer scans: their decoder pays for every pixel once per scan.
    byte[] large = dev.digits.bench.HostileImages.jpegScanBomb(6000, 60);
    e = assertThrows(ImageException.class, () -> ImageDecoder.decode(large));
    assertTrue(e.getMessage().startsWith("JPEG of 60 scans, over the limit of 41 for a 6000x6000"), e.getMessage());
    // An ordinary progressive JPEG (the JDK writes six scans for grey) decodes.
    assertEquals(6, JpegScans.count(dev.digits.bench.HostileImages.jpegScanBomb(64, 1)));
    assertEquals(64, ImageDecoder.decode(dev.digits.bench.HostileImages.jpegScanBomb(64, 90)).getWidth());
    assertEquals(1, JpegScans.count(Images.encode(seven, "jpg")));
  }

  @Test
  void iconsAndMultiPageFormatsAreRefusedByName() throws Exception {
    // An ICO of one 16x16 image: its decoder reads every image of the file, each its own size.
    java.io.ByteArrayOutputStream ico = new java.io.ByteArrayOutputStream();
    ico.writeBytes(new byte[] {0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0});
    byte[] png = Images.encode(seven, "png");
    ico.writeBytes(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(png.length).putInt(22).array());
    ico.writeBytes(png);
    ImageException e = assertThrows(ImageException.class, () -> ImageDecoder.decode(ico.toByteArray()));
    assertTrue(e.getMessage().contains("format"), e.getMessage());
    // An Apple icon file: its magic alone names it.
    byte[] icns = ByteBuffer.allocate(64).put("icns".getBytes(StandardCharsets.US_ASCII)).putInt(64).array();
    e = assertThrows(ImageException.class, () -> ImageDecoder.decode(icns));
    assertTrue(e.getMessage().startsWith("unsupported image format (ICNS"), e.getMessage());
  }
}
