package dev.digits.data;

import dev.digits.model.ModelContract;
import java.nio.file.Path;

/**
 * A set of labelled 28x28 digit images held as raw bytes (0 = background, 255 = ink), the way
 * MNIST stores them; conversion to the model's floats happens once per batch in {@link Batcher}.
 */
public record MnistDataset(byte[] pixels, byte[] labels, int count, int rows, int cols) {
  private static final int SIDE = ModelContract.SIDE;

  public MnistDataset {
    if ((long) count * rows * cols != pixels.length || labels.length != count) {
      throw new IllegalArgumentException("pixels/labels do not match count " + count);
    }
  }

  /** Reads an IDX image file and its label file and checks that they belong together. */
  public static MnistDataset read(Path imagesFile, Path labelsFile) {
    IdxReader.Images images = IdxReader.readImages(imagesFile);
    byte[] labels = IdxReader.readLabels(labelsFile);
    if (images.count() != labels.length) {
      throw new DataException(String.format(
          "%s holds %d images but %s holds %d labels; the two files do not belong together",
          imagesFile, images.count(), labelsFile, labels.length));
    }
    if (images.rows() != SIDE || images.cols() != SIDE) {
      throw new DataException(String.format(
          "%s: images are %dx%d; this model takes %dx%d", imagesFile, images.rows(), images.cols(), SIDE, SIDE));
    }
    return new MnistDataset(images.pixels(), labels, images.count(), images.rows(), images.cols());
  }

  public int pixelsPerImage() {
    return rows * cols;
  }

  public int label(int index) {
    return labels[index];
  }

  /** The first {@code n} examples (for smoke runs and quick tests). */
  public MnistDataset head(int n) {
    int k = Math.min(n, count);
    byte[] p = java.util.Arrays.copyOf(pixels, k * pixelsPerImage());
    byte[] l = java.util.Arrays.copyOf(labels, k);
    return new MnistDataset(p, l, k, rows, cols);
  }
}
