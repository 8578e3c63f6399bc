package dev.digits.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Metrics on a hand-made set whose answers are counted by hand. */
class EvaluationTest {
  /** One-hot-ish probabilities: {@code p} on the predicted digit, the rest spread evenly. */
  private static float[] probs(int[] predicted, float p) {
    float[] out = new float[predicted.length * 10];
    for (int i = 0; i < predicted.length; i++) {
      for (int d = 0; d < 10; d++) {
        out[i * 10 + d] = d == predicted[i] ? p : (1 - p) / 9;
      }
    }
    return out;
  }

  @Test
  void countsMatchAHandCount() {
    int[] labels = {0, 0, 1, 1, 1, 2, 3, 3};
    int[] predicted = {0, 1, 1, 1, 7, 2, 3, 8};
    Evaluation e = new Evaluation(labels, probs(predicted, 0.9f));
    assertEquals(5, e.correct());
    assertEquals(5 / 8.0, e.accuracy(), 1e-12);
    int[][] m = e.confusion();
    assertEquals(1, m[0][0]);
    assertEquals(1, m[0][1]);
    assertEquals(2, m[1][1]);
    assertEquals(1, m[1][7]);
    assertEquals(1, m[3][8]);
    // digit 1: predicted 3 times (once wrongly, for a 0), 3 true examples of which 2 found
    assertEquals(2 / 3.0, e.precision()[1], 1e-12);
    assertEquals(2 / 3.0, e.recall()[1], 1e-12);
    assertEquals(Double.NaN, e.precision()[4]);
    assertEquals(List.of(new Evaluation.Confusion(0, 1, 1), new Evaluation.Confusion(1, 7, 1),
        new Evaluation.Confusion(3, 8, 1)), e.topConfusions(5));
  }

  @Test
  void mistakesComeMostConfidentFirst() {
    float[] p = probs(new int[] {5, 6, 7}, 0.6f);
    p[2 * 10 + 7] = 0.95f;
    Evaluation e = new Evaluation(new int[] {1, 1, 1}, p);
    assertEquals(List.of(2, 0, 1), e.mistakesWorstFirst());
  }

  @Test
  void calibrationBinsByConfidence() {
    Evaluation e = new Evaluation(new int[] {0, 0, 1, 1}, probs(new int[] {0, 1, 1, 1}, 0.85f));
    Evaluation.Bin bin = e.calibration(10).get(8);
    assertEquals(4, bin.count());
    assertEquals(0.75, bin.accuracy(), 1e-9);
    assertEquals(0.85, bin.meanConfidence(), 1e-6);
    assertEquals(0.10, e.expectedCalibrationError(10), 1e-6);
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 4, 0},
        e.calibration(10).stream().mapToInt(Evaluation.Bin::count).toArray());
  }
}
