package dev.digits.numbers;

import static dev.digits.model.LineNetwork.BLANK;
import static dev.digits.model.LineNetwork.CLASSES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.imaging.GrayImage;
import dev.digits.model.LineNetwork;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The line reader's decoding (no model: column probabilities made up here) and its input recipe. */
class LineDecoderTest {
  /** Columns that are each sure of one class: {@code -1} is blank. */
  private static float[] sure(int... classes) {
    float[] p = new float[classes.length * CLASSES];
    for (int t = 0; t < classes.length; t++) {
      p[t * CLASSES + (classes[t] < 0 ? BLANK : classes[t])] = 1f;
    }
    return p;
  }

  @Test
  void theBestPathMergesRepeatsAndDropsBlanks() {
    assertEquals("2025", LineDecoder.greedy(sure(-1, 2, 2, -1, 0, 2, -1, -1, 5, 5)));
    assertEquals("11", LineDecoder.greedy(sure(1, 1, -1, 1)), "a blank between two runs of 1 makes two digits");
    assertEquals("", LineDecoder.greedy(sure(-1, -1)));
  }

  /**
   * The forward algorithm against the definition: the sum, over every path of classes (11^5 of
   * them for 5 columns), of the path's probability, for each reading the paths spell.
   */
  @Test
  void aReadingsProbabilityIsTheSumOverItsPaths() {
    SplittableRandom rng = new SplittableRandom(5);
    int columns = 5;
    float[] p = new float[columns * CLASSES];
    for (int t = 0; t < columns; t++) {
      float sum = 0;
      for (int c = 0; c < CLASSES; c++) {
        p[t * CLASSES + c] = (float) (0.05 + rng.nextDouble() * (c == 3 || c == 7 || c == BLANK ? 3 : 1));
        sum += p[t * CLASSES + c];
      }
      for (int c = 0; c < CLASSES; c++) {
        p[t * CLASSES + c] /= sum;
      }
    }
    Map<String, Double> bySpelling = new HashMap<>();
    int[] path = new int[columns];
    for (int code = 0; code < Math.pow(CLASSES, columns); code++) {
      int rest = code;
      double prob = 1;
      for (int t = 0; t < columns; t++) {
        path[t] = rest % CLASSES;
        rest /= CLASSES;
        prob *= p[t * CLASSES + path[t]];
      }
      StringBuilder spelt = new StringBuilder();
      for (int t = 0; t < columns; t++) {
        if (path[t] != BLANK && (t == 0 || path[t] != path[t - 1])) {
          spelt.append((char) ('0' + path[t]));
        }
      }
      bySpelling.merge(spelt.toString(), prob, Double::sum);
    }
    for (String reading : new String[] {"", "3", "37", "373", "33", "777", "3737", "12345", "1234567"}) {
      double expected = bySpelling.getOrDefault(reading, 0.0);
      double got = Math.exp(LineDecoder.logProbability(p, reading));
      assertEquals(expected, got, 1e-6 + 1e-4 * expected, "P(" + reading + ")");
    }
    double total = bySpelling.keySet().stream().mapToDouble(r -> Math.exp(LineDecoder.logProbability(p, r))).sum();
    assertEquals(1.0, total, 1e-4, "the readings' probabilities sum to one");
  }

  @Test
  void aLineIsScaledToTheInputsHeightWithItsWidthAMultipleOfFour() {
    // A bar of ink 10 rows high and 25 wide, at (7, 3) in a 50x20 image.
    GrayImage ink = new GrayImage(50, 20);
    for (int y = 3; y < 13; y++) {
      for (int x = 7; x < 32; x++) {
        ink.v[y * 50 + x] = 1f;
      }
    }
    LineInput in = LineInput.of(ink);
    assertEquals(LineNetwork.INK_HEIGHT / 10.0, in.scale(), 1e-9);
    assertEquals(0, in.width() % LineNetwork.COLUMN);
    assertTrue(in.width() >= 70 + 2 * LineInput.MARGIN, "width " + in.width());
    assertEquals(in.pixels().length, LineNetwork.HEIGHT * in.width());
    int top = (LineNetwork.HEIGHT - LineNetwork.INK_HEIGHT) / 2;
    assertEquals(0f, in.pixels()[(top - 1) * in.width() + in.width() / 2], "blank above the ink");
    assertEquals(1f, in.pixels()[(top + 14) * in.width() + LineInput.MARGIN + 35], 1e-6, "ink in the middle");
    assertEquals(0f, in.pixels()[(top + 14) * in.width() + LineInput.MARGIN - 1], "blank margin left");
    // The column whose centre is the ink's middle maps back to the middle of the bar in the source.
    int column = (LineInput.MARGIN + 35) / LineNetwork.COLUMN;
    assertEquals(7 + 12.5, in.sourceX(column), 1.0);
    assertEquals(null, LineInput.of(new GrayImage(5, 5)), "no ink, no input");
    // A line far longer than any number (a ruled line 1 px high would be 28 rows high and 30,000 wide).
    GrayImage endless = new GrayImage(1200, 3);
    java.util.Arrays.fill(endless.v, 1200, 2400, 1f);
    assertEquals(null, LineInput.of(endless), "too long for the line reader: no input rather than a cut-off one");
  }
}
