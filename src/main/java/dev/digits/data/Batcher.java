package dev.digits.data;

import java.util.SplittableRandom;

/**
 * Turns a dataset into training batches: a seeded shuffle per epoch, and for each batch the
 * images as floats in [0, 1] (optionally augmented) and the labels, written into arrays the
 * caller reuses. Every random choice derives from (seed, epoch) or (seed, step), so a resumed run
 * sees the same batches as an uninterrupted one.
 */
public final class Batcher {
  private final MnistDataset data;
  private final int batchSize;
  private final Augmenter augmenter;
  private final long seed;

  public Batcher(MnistDataset data, int batchSize, Augmenter augmenter, long seed) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive");
    }
    this.data = data;
    this.batchSize = Math.min(batchSize, data.count());
    this.augmenter = augmenter;
    this.seed = seed;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Full batches per epoch; the few images left over differ every epoch, so none is left out for good. */
  public int batchesPerEpoch() {
    return data.count() / batchSize;
  }

  /** The order in which epoch {@code epoch} visits the examples (Fisher-Yates). */
  public int[] order(int epoch) {
    int[] order = new int[data.count()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(mix(seed, epoch));
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** Fills {@code images} (batchSize*784) and {@code labels} with batch {@code batch} of an epoch. */
  public void fill(int[] order, int batch, long step, float[] images, int[] labels) {
    int side = data.rows();
    int pixels = data.pixelsPerImage();
    byte[] src = data.pixels();
    SplittableRandom rng = new SplittableRandom(mix(seed ^ 0x5DEECE66DL, step));
    for (int i = 0; i < batchSize; i++) {
      int index = order[batch * batchSize + i];
      labels[i] = data.label(index);
      if (augmenter != null) {
        augmenter.apply(src, index, side, images, i * pixels, rng);
      } else {
        toFloats(src, index * pixels, images, i * pixels, pixels);
      }
    }
  }

  /** Bytes 0-255 to floats 0-1: the one normalization used by training, evaluation and prediction. */
  public static void toFloats(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    for (int p = 0; p < length; p++) {
      dst[dstOffset + p] = (src[srcOffset + p] & 0xff) / 255f;
    }
  }

  private static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
