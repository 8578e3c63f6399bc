package dev.digits.data;

import dev.digits.model.ModelContract;
import java.util.SplittableRandom;

/**
 * Fine-tuning's training set: the user's images, repeated to fill most of an epoch, with a seeded
 * sample of MNIST replayed beside them so that a digit model does not forget the digits it knew.
 */
public final class ReplayMix {
  private ReplayMix() {}

  /** How many times the user's images are repeated so that they fill {@code 1 - replay} of an epoch. */
  public static int repeats(int userImages, float replay, int epochImages) {
    return Math.max(1, (int) Math.round(epochImages * (1 - replay) / Math.max(1, userImages)));
  }

  /** The user's images repeated, then a seeded sample of MNIST making up {@code replay} of the whole. */
  public static MnistDataset mix(MnistDataset user, MnistDataset mnist, float replay, int epochImages, long seed) {
    int r = repeats(user.count(), replay, epochImages);
    int own = r * user.count();
    int replayed = replay <= 0 ? 0 : Math.min(mnist.count(), (int) Math.round(own * replay / (1 - replay)));
    int n = own + replayed;
    byte[] pixels = new byte[n * ModelContract.PIXELS];
    byte[] labels = new byte[n];
    for (int k = 0; k < r; k++) {
      System.arraycopy(user.pixels(), 0, pixels, k * user.count() * ModelContract.PIXELS, user.count() * ModelContract.PIXELS);
      System.arraycopy(user.labels(), 0, labels, k * user.count(), user.count());
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < replayed; i++) {
      int j = rng.nextInt(mnist.count());
      System.arraycopy(mnist.pixels(), j * ModelContract.PIXELS, pixels, (own + i) * ModelContract.PIXELS, ModelContract.PIXELS);
      labels[own + i] = mnist.labels()[j];
    }
    return new MnistDataset(pixels, labels, n, 28, 28);
  }
}
