package dev.digits.predict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the model says about one image.
 *
 * @param digit the most probable digit (the most probable class, for a model trained on other data)
 * @param probabilities the probability of each digit 0-9, or of each class (they sum to 1)
 * @param input the 28x28 model input the image became (row-major, [0, 1], white ink on black):
 *     look at it when a prediction surprises you
 */
public record Prediction(int digit, float[] probabilities, float[] input) {

  /** A digit and its probability. */
  public record Candidate(int digit, float probability) {}

  /** The most probable digit among the ten probabilities starting at {@code offset}. */
  public static int bestDigit(float[] probabilities, int offset) {
    return best(probabilities, offset, 10);
  }

  /** The most probable class among the {@code classes} probabilities starting at {@code offset}. */
  public static int best(float[] probabilities, int offset, int classes) {
    int best = 0;
    for (int d = 1; d < classes; d++) {
      if (probabilities[offset + d] > probabilities[offset + best]) {
        best = d;
      }
    }
    return best;
  }

  /** The probability of the predicted digit. */
  public float probability() {
    return probabilities[digit];
  }

  /** The {@code k} most probable digits, most probable first. */
  public List<Candidate> top(int k) {
    List<Candidate> all = new ArrayList<>();
    for (int d = 0; d < probabilities.length; d++) {
      all.add(new Candidate(d, probabilities[d]));
    }
    all.sort(Comparator.comparingDouble(Candidate::probability).reversed());
    return all.subList(0, Math.min(k, all.size()));
  }
}
