package dev.digits.train;

import dev.digits.data.Batcher;
import dev.digits.data.MnistDataset;
import dev.digits.model.ModelContract;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Runs a session's inference endpoints over a labelled dataset in large batches. Works on the
 * training session (dropout is off by default there) and on a loaded SavedModel alike, since both
 * name their input {@value ModelContract#IMAGE} and their output {@value ModelContract#DIGIT}.
 */
public final class SessionEvaluator {
  private static final int BATCH = 1000;

  private SessionEvaluator() {}

  /** The predicted class of every example. */
  public static int[] predict(Session session, MnistDataset data) {
    int[] predictions = new int[data.count()];
    int pixels = data.pixelsPerImage();
    int batch = Math.min(BATCH, Math.max(1, data.count()));
    float[] images = new float[batch * pixels];
    for (int start = 0; start < data.count(); start += batch) {
      int n = Math.min(batch, data.count() - start);
      Batcher.toFloats(data.pixels(), start * pixels, images, 0, n * pixels);
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, data.rows(), data.cols(), 1))) {
        x.asRawTensor().data().asFloats().write(images, 0, n * pixels);
        try (Result r = session.runner().feed(ModelContract.IMAGE, x).fetch(ModelContract.DIGIT).run()) {
          TInt64 digits = (TInt64) r.get(0);
          for (int i = 0; i < n; i++) {
            predictions[start + i] = (int) digits.getLong(i);
          }
        }
      }
    }
    return predictions;
  }

  /** Fraction of examples classified correctly. */
  public static double accuracy(Session session, MnistDataset data) {
    return accuracy(predict(session, data), data);
  }

  /** Fraction of predictions equal to the labels. */
  public static double accuracy(int[] predictions, MnistDataset data) {
    int correct = 0;
    for (int i = 0; i < predictions.length; i++) {
      if (predictions[i] == data.label(i)) {
        correct++;
      }
    }
    return data.count() == 0 ? 0 : (double) correct / data.count();
  }
}
