package dev.digits.report;

import dev.digits.data.LabelledSet;
import dev.digits.model.ModelContract;

/** Runs an exported model over a labelled set in large batches. */
public final class Evaluator {
  private static final int BATCH = 1000;

  private Evaluator() {}

  /**
   * Runs an exported model over a labelled set in batches of {@value #BATCH}; image files as
   * {@link dev.digits.predict.Predictor#predictEach} reads them (a second look where unsure).
   */
  public static Evaluation evaluate(dev.digits.predict.Predictor predictor, LabelledSet set) {
    int k = predictor.classCount();
    float[] probabilities = new float[set.count() * k];
    for (int start = 0; start < set.count(); start += BATCH) {
      int n = Math.min(BATCH, set.count() - start);
      if (set.variants().isEmpty()) {
        float[] batch = java.util.Arrays.copyOfRange(set.inputs(), start * ModelContract.PIXELS, (start + n) * ModelContract.PIXELS);
        System.arraycopy(predictor.probabilities(batch, n), 0, probabilities, start * k, n * k);
      } else {
        var read = predictor.predictEach(set.variants().subList(start, start + n));
        for (int i = 0; i < n; i++) {
          System.arraycopy(read.get(i).probabilities(), 0, probabilities, (start + i) * k, k);
        }
      }
    }
    return new Evaluation(set.labels(), probabilities);
  }
}
