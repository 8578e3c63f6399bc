package dev.digits;

import dev.digits.bench.IdxFiles;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.model.ModelContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Small generated data for fast tests. */
public final class TestData {
  /** The model the repository ships; tests name it instead of taking "the newest under saved-model/". */
  public static final Path BUNDLED_MODEL = Path.of("saved-model", "1");

  private TestData() {}

  /**
   * A learnable toy dataset in MNIST's format: class k is a bright 6x6 blob at one of ten
   * positions on a 3x4 grid, jittered by a pixel and overlaid with faint noise.
   */
  public static MnistDataset synthetic(int count, long seed) {
    return synthetic(count, seed, 10);
  }

  /** Like {@link #synthetic(int, long)}, with labels 0 to {@code classes - 1} (a square's place tells them apart). */
  public static MnistDataset synthetic(int count, long seed, int classes) {
    Random r = new Random(seed);
    byte[] pixels = new byte[count * ModelContract.PIXELS];
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      int k = r.nextInt(classes);
      labels[i] = (byte) k;
      int cx = 4 + (k % 4) * 6 + r.nextInt(3) - 1;
      int cy = 5 + (k / 4) * 8 + r.nextInt(3) - 1;
      for (int p = 0; p < ModelContract.PIXELS; p++) {
        pixels[i * ModelContract.PIXELS + p] = (byte) r.nextInt(30);
      }
      for (int y = cy; y < cy + 6; y++) {
        for (int x = cx; x < cx + 6; x++) {
          pixels[i * ModelContract.PIXELS + y * 28 + x] = (byte) (200 + r.nextInt(56));
        }
      }
    }
    return new MnistDataset(pixels, labels, count, 28, 28);
  }

  public static Mnist syntheticMnist(int train, int test) {
    return new Mnist(synthetic(train, 1), synthetic(test, 2), Map.of());
  }

  /** An IDX file with the given magic, dimensions and body. */
  public static byte[] idx(int magic, int[] dims, byte[] body) {
    return IdxFiles.idx(magic, dims, body);
  }

  /** Writes a dataset as an IDX image file and label file; returns {images, labels}. */
  public static Path[] writeIdx(Path dir, String prefix, MnistDataset d) throws IOException {
    return IdxFiles.write(dir, prefix, d);
  }

  /** A copy of the bundled model in {@code to} (a version folder of a test's own base path). */
  public static void copyBundledModel(Path to) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(BUNDLED_MODEL)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(BUNDLED_MODEL.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
