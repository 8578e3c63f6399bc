package dev.digits.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.bench.NumberImages;
import dev.digits.bench.OneDigitSet;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The one-digit model's training data ({@link OneDigitSet}) on lines of two drawn glyphs, a ring
 * (labelled 0) and a cross (labelled 4): candidates that hold one glyph are labelled with it, the
 * others "none".
 */
class OneDigitSetTest {
  /** A glyph 24 wide and 36 high: a ring, or a cross of a vertical and a horizontal stroke. */
  private static NumberImages.Glyph glyph(boolean ring) {
    int w = 24;
    int h = 36;
    float[] ink = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = (x - (w - 1) / 2.0) / (w / 2.0);
        double dy = (y - (h - 1) / 2.0) / (h / 2.0);
        double r = Math.hypot(dx, dy);
        boolean on = ring ? r > 0.7 && r <= 1.0 : Math.abs(x - w / 2) < 3 || Math.abs(y - h * 2 / 3) < 3;
        ink[y * w + x] = on ? 1f : 0f;
      }
    }
    return new NumberImages.Glyph(w, h, ink);
  }

  private static void sort(NumberImages.Spacing spacing, List<OneDigitSet.Example> ones, List<OneDigitSet.Example> nones) {
    SplittableRandom rng = new SplittableRandom(5);
    NumberImages.Line line = NumberImages.laidOut(List.of(glyph(true), glyph(false)), 40, spacing, rng);
    BufferedImage img = NumberImages.render(line.ink(), NumberImages.Paper.DARK_ON_LIGHT, 0, 0, rng);
    OneDigitSet.labelled(img, line, new int[] {0, 4}, ones, nones);
  }

  @Test
  void glyphsApartAreEachOneDigitAndTogetherNone() {
    List<OneDigitSet.Example> ones = new ArrayList<>();
    List<OneDigitSet.Example> nones = new ArrayList<>();
    sort(NumberImages.Spacing.APART, ones, nones);
    assertEquals(List.of(0, 4), ones.stream().map(OneDigitSet.Example::label).toList());
    assertEquals(1, nones.size(), "the one other candidate, both glyphs together, is none");
  }

  @Test
  void touchingGlyphsGiveOneDigitCandidatesAndPartsThatAreNone() {
    List<OneDigitSet.Example> ones = new ArrayList<>();
    List<OneDigitSet.Example> nones = new ArrayList<>();
    sort(NumberImages.Spacing.OVERLAPPING, ones, nones);
    Set<Integer> labels = ones.stream().map(OneDigitSet.Example::label).collect(Collectors.toSet());
    assertEquals(Set.of(0, 4), labels, "each glyph, cut out of the joined pair, is one digit");
    assertFalse(nones.isEmpty(), "slices of a glyph are not one digit");
    assertTrue(nones.stream().allMatch(e -> e.label() == OneDigitSet.NONE));
    assertTrue(ones.stream().allMatch(e -> e.input().length == 28 * 28));
  }
}
