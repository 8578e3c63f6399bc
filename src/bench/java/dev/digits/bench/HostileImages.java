package dev.digits.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Image files made to cost a decoder far more than their size on the wire: what the attack
 * benchmark sends and what the decoder's tests refuse.
 */
public final class HostileImages {
  private HostileImages() {}

  /**
   * A progressive JPEG of {@code side}x{@code side} grey pixels whose last scan is repeated until
   * the file holds {@code scans} scans: each repeat is a few bytes, and a decoder that redraws the
   * image per scan pays for all of them.
   */
  public static byte[] jpegScanBomb(int side, int scans) throws IOException {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(encoded)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    byte[] jpeg = encoded.toByteArray();
    int lastScan = -1;
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xDA) {
        lastScan = i;
      }
    }
    int end = jpeg.length - 2; // the EOI marker
    int have = 0;
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xDA) {
        have++;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, end);
    for (int s = have; s < scans; s++) {
      out.write(jpeg, lastScan, end - lastScan);
    }
    out.write(jpeg, end, 2);
    return out.toByteArray();
  }

  /**
   * A GIF whose logical screen is {@code screen}x{@code screen} pixels but whose one frame declares
   * {@code frame}x{@code frame}: a size check that reads the screen passes, a decoder allocates the
   * frame. The frame's data is a single clear code and end code: the file stays under a kilobyte.
   */
  public static byte[] gifFrameBomb(int screen, int frame) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    writeShort(out, screen);
    writeShort(out, screen);
    out.write(0x80); // a global colour table of two entries
    out.write(0);
    out.write(0);
    out.writeBytes(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    out.write(0x2C); // image descriptor
    writeShort(out, 0);
    writeShort(out, 0);
    writeShort(out, frame);
    writeShort(out, frame);
    out.write(0);
    out.write(2); // LZW minimum code size
    out.writeBytes(new byte[] {2, 0x44, 0x01, 0}); // clear code, end code
    out.write(0x3B);
    return out.toByteArray();
  }

  private static void writeShort(ByteArrayOutputStream out, int v) {
    out.write(v & 0xff);
    out.write((v >> 8) & 0xff);
  }

  /**
   * The largest image the decoder accepts at its most expensive: 6320x6320 pixels (just under the
   * 40 MP limit) of 16-bit RGBA, 320 MB decoded, yet about half a megabyte as a PNG (white paper,
   * one dark stroke). Honest-looking: a server must decode it, and must bound how many at once.
   */
  public static byte[] largestPng() throws IOException {
    int side = 6320;
    java.awt.image.ColorModel model = new java.awt.image.ComponentColorModel(
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), true, false,
        java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_USHORT);
    java.awt.image.WritableRaster raster = model.createCompatibleWritableRaster(side, side);
    short[] samples = ((java.awt.image.DataBufferUShort) raster.getDataBuffer()).getData();
    java.util.Arrays.fill(samples, (short) 0xFFFF);
    for (int y = side / 5; y < side * 4 / 5; y++) { // a thick vertical stroke: a "1"
      for (int x = side / 2 - side / 40; x < side / 2 + side / 40; x++) {
        int at = (y * side + x) * 4;
        samples[at] = samples[at + 1] = samples[at + 2] = 0;
      }
    }
    BufferedImage img = new BufferedImage(model, raster, false, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
