package dev.digits.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.data.Batcher;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import dev.digits.imaging.Images;
import dev.digits.model.ModelContract;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Predictor with the bundled model in saved-model/ on real MNIST test images. */
class PredictorTest {
  static Predictor predictor;
  static MnistDataset test;

  @BeforeAll
  static void load() {
    predictor = Predictor.load(dev.digits.TestData.BUNDLED_MODEL);
    test = Mnist.load(Path.of("data"), System.err::println).test().head(200);
  }

  @AfterAll
  static void close() {
    predictor.close();
  }

  static float[] raw(int i) {
    float[] x = new float[ModelContract.PIXELS];
    Batcher.toFloats(test.pixels(), i * ModelContract.PIXELS, x, 0, ModelContract.PIXELS);
    return x;
  }

  static BufferedImage asImage(int i) {
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int p = 0; p < ModelContract.PIXELS; p++) {
      img.getRaster().setSample(p % 28, p / 28, 0, test.pixels()[i * ModelContract.PIXELS + p] & 0xff);
    }
    return img;
  }

  @Test
  void aModelMissingFromTheClassPathIsNamedWithTheRemedy() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Predictor.loadFromClassPath("/dev/digits/no-such-model/", "the test's model"));
    assertTrue(e.getMessage().startsWith("the test's model is not on the class path"), e.getMessage());
  }

  @Test
  void bundledModelReadsMnist() {
    List<float[]> inputs = new ArrayList<>();
    for (int i = 0; i < test.count(); i++) {
      inputs.add(raw(i));
    }
    List<Prediction> predictions = predictor.predictNormalized(inputs);
    long correct = 0;
    for (int i = 0; i < test.count(); i++) {
      correct += predictions.get(i).digit() == test.label(i) ? 1 : 0;
    }
    assertTrue(correct >= 194, correct + "/200 correct");
  }

  @Test
  void anUnsureReadingGetsASecondLookAtThreeScalesAveraged() {
    // MNIST test digits, and blends of two of them, which the model cannot be sure of.
    List<BufferedImage> images = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      images.add(asImage(i));
      images.add(blend(asImage(i), asImage(i + 1)));
    }
    int sure = 0;
    int unsure = 0;
    for (BufferedImage img : images) {
      List<float[]> variants = DigitPreprocessor.variants(img, java.util.Set.of());
      assertEquals(3, variants.size());
      Prediction p = predictor.predict(img);
      assertArrayEquals(DigitPreprocessor.toMnist(img), p.input(), "the reported input is the MNIST-style one");
      List<Prediction> each = predictor.predictNormalized(variants);
      if (each.get(0).probability() >= Predictor.SURE) {
        sure++;
        assertArrayEquals(each.get(0).probabilities(), p.probabilities(), 1e-6f, "a sure reading is the answer");
      } else {
        unsure++;
        for (int d = 0; d < 10; d++) {
          float mean = (each.get(0).probabilities()[d] + each.get(1).probabilities()[d] + each.get(2).probabilities()[d]) / 3;
          assertEquals(mean, p.probabilities()[d], 1e-5);
        }
      }
    }
    assertTrue(sure > 0 && unsure > 0, "both cases seen: " + sure + " sure, " + unsure + " unsure");
    List<Prediction> batch = predictor.predictImages(images);
    for (int i = 0; i < images.size(); i++) {
      assertArrayEquals(predictor.predict(images.get(i)).probabilities(), batch.get(i).probabilities(), 1e-5f,
          "batched like one by one: image " + i);
    }
  }

  /** The brighter of two digits at each pixel: an image that is neither. */
  static BufferedImage blend(BufferedImage a, BufferedImage b) {
    BufferedImage out = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int p = 0; p < ModelContract.PIXELS; p++) {
      int x = p % 28;
      int y = p / 28;
      out.getRaster().setSample(x, y, 0, Math.max(a.getRaster().getSample(x, y, 0), b.getRaster().getSample(x, y, 0)));
    }
    return out;
  }

  @Test
  void theModelInsideTheJarIsTheBundledOne() {
    Path copy;
    try (Predictor fromJar = Predictor.loadBundled()) {
      copy = fromJar.modelDir();
      assertTrue(java.nio.file.Files.isRegularFile(copy.resolve(ModelContract.SAVED_MODEL_FILE)));
      for (int i = 0; i < 20; i++) {
        assertArrayEquals(predictor.predictNormalized(raw(i)).probabilities(),
            fromJar.predictNormalized(raw(i)).probabilities(), 0f, "image " + i);
      }
    }
    assertTrue(java.nio.file.Files.notExists(copy), "the temporary copy is deleted on close");
  }

  @Test
  void pngRoundTripGivesTheSameDigitAsTheRawArray() {
    int same = 0;
    for (int i = 0; i < 50; i++) {
      byte[] png = Images.encode(asImage(i), "png");
      if (predictor.predict(png).digit() == predictor.predictNormalized(raw(i)).digit()) {
        same++;
      }
    }
    // The preprocessor re-derives MNIST's own normalization; a digit or two may land differently.
    assertTrue(same >= 48, same + "/50 agree");
  }

  @Test
  void probabilitiesAndTopKAreConsistent() {
    Prediction p = predictor.predictNormalized(raw(0));
    double sum = 0;
    for (float f : p.probabilities()) {
      sum += f;
    }
    assertEquals(1.0, sum, 1e-4);
    assertEquals(p.digit(), p.top(3).get(0).digit());
    assertTrue(p.top(3).get(0).probability() >= p.top(3).get(1).probability());
    assertEquals(7, p.digit(), "the first MNIST test digit is a 7");
  }

  @Test
  void everyEntryPointAgrees() throws Exception {
    byte[] png = Images.encode(asImage(1), "png");
    int fromBytes = predictor.predict(png).digit();
    assertEquals(fromBytes, predictor.predict(new ByteArrayInputStream(png)).digit());
    assertEquals(fromBytes, predictor.predict(ImageDecoder.decode(png)).digit());
    assertEquals(fromBytes, predictor.predictImages(List.of(asImage(1), asImage(2))).get(0).digit());
  }

  @Test
  void filesCanBeClassifiedInOneBatch() {
    Path dir = Path.of("src/test/resources/digits");
    List<Prediction> p = predictor.predictFiles(List.of(dir.resolve("3-photo-0.jpg"), dir.resolve("7-canvas-1.png")));
    assertEquals(3, p.get(0).digit());
    assertEquals(7, p.get(1).digit());
    ImageException e = assertThrows(ImageException.class,
        () -> predictor.predictFiles(List.of(dir.resolve("3-photo-0.jpg"), Path.of("missing.png"))));
    assertTrue(e.getMessage().startsWith("missing.png: "), e.getMessage());
  }

  @Test
  void oneInstanceServesManyThreads() throws Exception {
    int[] expected = new int[test.count()];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = predictor.predict(asImage(i)).digit();
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<int[]>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        futures.add(pool.submit(() -> {
          int[] got = new int[expected.length];
          for (int k = 0; k < expected.length; k++) {
            int i = (k + offset * 25) % expected.length;
            got[i] = predictor.predict(asImage(i)).digit();
          }
          return got;
        }));
      }
      for (Future<int[]> f : futures) {
        assertArrayEquals(expected, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void wrongInputShapeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> predictor.predictNormalized(new float[100]));
    assertTrue(e.getMessage().contains("784"));
  }

  @Test
  void missingFileAndMissingModelSayWhat() {
    assertEquals("no such file", assertThrows(ImageException.class,
        () -> predictor.predict(Path.of("no/such/file.png"))).getMessage());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Predictor.load(Path.of("no-such-model-dir")));
    assertTrue(e.getMessage().contains("no SavedModel"), e.getMessage());
  }

  @Test
  void onlyRegularFilesAreRead(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    // A FIFO would block a plain read forever; /dev/zero never ends (its size reads as 0).
    Path fifo = tmp.resolve("pipe.png");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
      assertTrue(assertThrows(ImageException.class, () -> predictor.predict(fifo)).getMessage()
          .startsWith("not a regular file"));
      Path zero = Path.of("/dev/zero");
      if (java.nio.file.Files.exists(zero)) {
        assertTrue(assertThrows(ImageException.class, () -> predictor.predict(zero)).getMessage()
            .startsWith("not a regular file"));
      }
      assertEquals("a folder, not an image file", assertThrows(ImageException.class,
          () -> predictor.predict(tmp)).getMessage());
    });
  }

  @Test
  void anEmptyVersionFolderBesideAGoodOneIsPassedOver(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path good = java.nio.file.Files.createDirectories(tmp.resolve("1"));
    try (var files = java.nio.file.Files.walk(dev.digits.TestData.BUNDLED_MODEL)) {
      for (Path f : files.toList()) {
        Path target = good.resolve(dev.digits.TestData.BUNDLED_MODEL.relativize(f).toString());
        if (java.nio.file.Files.isDirectory(f)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(f, target);
        }
      }
    }
    java.nio.file.Files.createDirectories(tmp.resolve("2")); // an interrupted copy of a new version
    try (Predictor p = Predictor.load(tmp)) {
      assertEquals(good, p.modelDir());
    }
  }
}
