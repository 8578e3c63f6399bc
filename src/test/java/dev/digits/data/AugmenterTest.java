package dev.digits.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.model.ModelContract;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
  private final MnistDataset data = TestData.synthetic(50, 1);

  @Test
  void noneMeansNoAugmenter() {
    assertNull(Augmenter.of(Augmenter.Kind.NONE));
  }

  @Test
  void theSameSeedGivesTheSameImages() {
    for (Augmenter.Kind kind : new Augmenter.Kind[] {Augmenter.Kind.AFFINE, Augmenter.Kind.REAL}) {
      assertArrayEquals(batch(kind, 5), batch(kind, 5), kind.name());
      assertTrue(differs(batch(kind, 5), batch(kind, 6)), kind + ": another seed, other images");
    }
  }

  @Test
  void outputStaysAnMnistImage() {
    float[] out = batch(Augmenter.Kind.REAL, 9);
    for (int i = 0; i < data.count(); i++) {
      float max = 0;
      double mass = 0;
      for (int p = 0; p < ModelContract.PIXELS; p++) {
        float v = out[i * ModelContract.PIXELS + p];
        assertTrue(v >= 0 && v <= 1, "value " + v);
        max = Math.max(max, v);
        mass += v;
      }
      assertTrue(max > 0.99f, "peak ink is 1 after every effect, got " + max);
      assertTrue(mass > 10, "the digit is still there: mass " + mass);
    }
  }

  @Test
  void realAddsEffectsBeyondTheAffineOnes() {
    // Same random stream, so the affine part is the same for the first image; REAL then adds its effects.
    float[] affine = batch(Augmenter.Kind.AFFINE, 3);
    float[] real = batch(Augmenter.Kind.REAL, 3);
    assertTrue(differs(affine, real));
  }

  private float[] batch(Augmenter.Kind kind, long seed) {
    Augmenter a = Augmenter.of(kind);
    SplittableRandom rng = new SplittableRandom(seed);
    float[] out = new float[data.count() * ModelContract.PIXELS];
    for (int i = 0; i < data.count(); i++) {
      a.apply(data.pixels(), i, 28, out, i * ModelContract.PIXELS, rng);
    }
    return out;
  }

  private static boolean differs(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-6) {
        return true;
      }
    }
    return false;
  }
}
