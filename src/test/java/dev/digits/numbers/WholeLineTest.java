package dev.digits.numbers;

import static dev.digits.model.LineNetwork.BLANK;
import static dev.digits.model.LineNetwork.CLASSES;
import static dev.digits.model.LineNetwork.COLUMN;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.imaging.Box;
import dev.digits.imaging.GrayImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the line reader's reading is laid over the segmenter's digits (no model: the line reader's
 * column probabilities and the segmenter's boxes are made up here, on a line 200 pixels wide).
 */
class WholeLineTest {
  private static final int WIDTH = 200;

  /** The line reader's opinion: each run {digit, first column, last column} sure, blank elsewhere. */
  private static WholeLine.Opinion spelling(String reading, int[]... runs) {
    int columns = WIDTH / COLUMN;
    int[] best = new int[columns];
    Arrays.fill(best, BLANK);
    for (int[] run : runs) {
      Arrays.fill(best, run[1], run[2] + 1, run[0]);
    }
    float[] p = new float[columns * CLASSES];
    for (int t = 0; t < columns; t++) {
      p[t * CLASSES + best[t]] = 1f;
    }
    // Scale 1, origin 0: column c is centred at pixel (c + 0.5) * COLUMN - LineInput.MARGIN.
    LineInput input = new LineInput(new float[0], WIDTH, 0, 1);
    return new WholeLine.Opinion(List.of(), input, new Box(0, 0, WIDTH, 50), p, reading);
  }

  /** The segmenter's digits: one box per {x0, x1}. */
  private static List<NumberReader.Candidate> digitsAt(int[]... spans) {
    return Arrays.stream(spans)
        .map(s -> new NumberReader.Candidate(0, 1, new Box(s[0], 0, s[1] - s[0] + 1, 50), new GrayImage(1, 1), false))
        .toList();
  }

  @Test
  void twoOnesSpeltInOneOfTheSegmentersDigitsAreOneOneSpeltTwice() {
    // The line reader reads "114" (1s centred near pixels 36 and 52, the 4 near 116) where the
    // segmenter found two digits, the first from 20 to 70 (a 1 with a long flag) …
    WholeLine.Opinion o = spelling("114", new int[] {1, 10, 11}, new int[] {1, 14, 15}, new int[] {4, 30, 31});
    assertTrue(WholeLine.spellsAOneTwice(o, digitsAt(new int[] {20, 70}, new int[] {100, 140})));
    // … but where the segmenter found the two 1s apart, or read another pair there, it is no doubling.
    assertFalse(WholeLine.spellsAOneTwice(o, digitsAt(new int[] {20, 44}, new int[] {46, 70}, new int[] {100, 140})));
    WholeLine.Opinion sixOne = spelling("614", new int[] {6, 10, 11}, new int[] {1, 14, 15}, new int[] {4, 30, 31});
    assertFalse(WholeLine.spellsAOneTwice(sixOne, digitsAt(new int[] {20, 70}, new int[] {100, 140})));
  }
}
