package dev.digits.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast square-window extremes against the obvious loops, on random images and windows. */
class MorphologyTest {
  @Test
  void fastExtremesEqualTheObviousLoops() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      int w = 1 + rng.nextInt(40);
      int h = 1 + rng.nextInt(40);
      int window = 1 + rng.nextInt(50);
      boolean max = rng.nextBoolean();
      float[] v = new float[w * h];
      for (int i = 0; i < v.length; i++) {
        v[i] = rng.nextInt(256);
      }
      GrayImage fast = new GrayImage(w, h, v.clone());
      Morphology.extreme(fast, window, max);
      assertArrayEquals(obvious(v, w, h, window, max), fast.v, "w " + w + " h " + h + " window " + window);
    }
  }

  private static float[] obvious(float[] v, int w, int h, int window, boolean max) {
    int lo = window / 2;
    int hi = window - 1 - lo;
    float[] out = new float[v.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float e = v[y * w + x];
        for (int yy = Math.max(0, y - lo); yy <= Math.min(h - 1, y + hi); yy++) {
          for (int xx = Math.max(0, x - lo); xx <= Math.min(w - 1, x + hi); xx++) {
            e = max ? Math.max(e, v[yy * w + xx]) : Math.min(e, v[yy * w + xx]);
          }
        }
        out[y * w + x] = e;
      }
    }
    return out;
  }
}
