package dev.digits.numbers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.bench.NumberImages;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Numbers written with separators between groups of digits, as dates and phone numbers are, read
 * with the bundled model ({@link TestData#BUNDLED_MODEL}): MNIST test digits (data/, as
 * {@code tools/fetch-data} fetches it) and separators drawn by {@link NumberImages}.
 */
class SeparatorsTest extends MnistNumbersFixture {
  @Test
  void aDashAsLongAsADigitIsWideIsLeftOutWholeNotReadAsADigit() {
    // "13-85-9213" with dashes of 0.6-1 line heights. A dash wider than half a digit was offered
    // cut into slices, as two touching digits are; leaving out five slices cost more than reading
    // two of them as a "2", and the line read "132859213".
    SplittableRandom rng = new SplittableRandom(31);
    int right = 0;
    int listed = 0;
    int lines = 12;
    for (int i = 0; i < lines; i++) {
      List<NumberImages.Glyph> glyphs = new ArrayList<>();
      StringBuilder number = new StringBuilder();
      for (int digits : new int[] {2, 2, 4}) {
        if (!glyphs.isEmpty()) {
          glyphs.add(NumberImages.dash(17 + rng.nextInt(12), rng));
        }
        for (int k = 0; k < digits; k++) {
          int index = rng.nextInt(test.count());
          glyphs.add(NumberImages.Glyph.fromMnist(test, index));
          number.append(test.label(index));
        }
      }
      NumberReading reading = new NumberReader(predictor).read(NumberImages.render(
          NumberImages.line(glyphs, 50 + rng.nextInt(30), NumberImages.Spacing.APART, rng),
          NumberImages.Paper.DARK_ON_LIGHT, 0, 0, rng));
      right += reading.number().equals(number.toString()) ? 1 : 0;
      listed += reading.skipped().stream().filter(s -> s.reason().contains("hyphen")).count() == 2 ? 1 : 0;
    }
    // 11 and 11 of 12 when written; 2 read right before dashes were no longer cut.
    assertTrue(right >= lines - 2, right + " of " + lines + " numbers read without their dashes");
    assertTrue(listed >= lines - 2, "both dashes listed as skipped in " + listed + " of " + lines);
  }
}
