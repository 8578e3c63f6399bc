package dev.digits.predict;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.imaging.ImageException;
import dev.digits.imaging.Images;
import dev.digits.model.ModelContract;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled model ({@code saved-model/1}), read end to end from encoded files, on MNIST test
 * digits (never trained on) rendered the ways real images defeated earlier versions: low-resolution
 * scans enlarged with bicubic interpolation, faint thin strokes in small drawings, and thin pen on
 * unevenly lit paper photographed as JPEG. Thresholds, not exact figures; the real-image benchmark
 * ({@code tools/benchmark realdigits}) gives the figures on real images.
 */
class FailureModeAccuracyTest {
  private static final int COUNT = 150;
  static Predictor predictor;
  static MnistDataset test;

  @BeforeAll
  static void load() {
    predictor = Predictor.load(TestData.BUNDLED_MODEL);
    test = Mnist.load(Path.of("data"), System.err::println).test();
  }

  @AfterAll
  static void close() {
    predictor.close();
  }

  @Test
  void lowResolutionScansEnlarged() {
    assertAccuracy("16x16 scans enlarged 4-8x", 0.95, (digit, r) -> {
      BufferedImage scan = resize(digit, 16, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      BufferedImage big = resize(invert(scan), 16 * (4 + r.nextInt(5)), RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      return Images.encode(r.nextBoolean() ? big : invert(big), r.nextBoolean() ? "png" : "jpg");
    });
  }

  @Test
  void faintThinStrokesInSmallDrawings() {
    assertAccuracy("faint 28x28 drawings", 0.95, (digit, r) -> {
      BufferedImage faint = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      double contrast = 0.12 + 0.1 * r.nextDouble();
      for (int i = 0; i < ModelContract.PIXELS; i++) {
        int v = digit.getRaster().getSample(i % 28, i / 28, 0);
        faint.getRaster().setSample(i % 28, i / 28, 0, (int) Math.round(255 - contrast * v));
      }
      return Images.encode(faint, "png");
    });
  }

  @Test
  void thinPenOnUnevenlyLitPaper() {
    assertAccuracy("pen-on-paper photos", 0.95, (digit, r) -> {
      BufferedImage big = resize(digit, 240, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      BufferedImage photo = new BufferedImage(320, 320, BufferedImage.TYPE_INT_RGB);
      int ox = 20 + r.nextInt(60);
      int oy = 20 + r.nextInt(60);
      double light = 0.3 * r.nextDouble();
      for (int y = 0; y < 320; y++) {
        for (int x = 0; x < 320; x++) {
          double paper = 235 * (1 - light * x / 320.0) + r.nextGaussian() * 3;
          int bx = x - ox;
          int by = y - oy;
          boolean ink = bx >= 0 && by >= 0 && bx < 240 && by < 240 && big.getRaster().getSample(bx, by, 0) > 160;
          int v = (int) Math.max(0, Math.min(255, ink ? 70 + r.nextGaussian() * 5 : paper));
          photo.setRGB(x, y, (v << 16) | (v << 8) | v);
        }
      }
      return Images.encode(photo, "jpg");
    });
  }

  private static void assertAccuracy(String what, double threshold, BiFunction<BufferedImage, Random, byte[]> render) {
    Random r = new Random(7);
    int correct = 0;
    for (int i = 0; i < COUNT; i++) {
      BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      for (int p = 0; p < ModelContract.PIXELS; p++) {
        digit.getRaster().setSample(p % 28, p / 28, 0, test.pixels()[i * ModelContract.PIXELS + p] & 0xff);
      }
      try {
        correct += predictor.predict(render.apply(digit, r)).digit() == test.label(i) ? 1 : 0;
      } catch (ImageException e) {
        // a miss
      }
    }
    double accuracy = (double) correct / COUNT;
    assertTrue(accuracy >= threshold, what + ": " + correct + " of " + COUNT + " read right");
  }

  private static BufferedImage resize(BufferedImage src, int side, Object interpolation) {
    BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
    g.drawImage(src, 0, 0, side, side, null);
    g.dispose();
    return out;
  }

  private static BufferedImage invert(BufferedImage src) {
    BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        out.getRaster().setSample(x, y, 0, 255 - src.getRaster().getSample(x, y, 0));
      }
    }
    return out;
  }
}
