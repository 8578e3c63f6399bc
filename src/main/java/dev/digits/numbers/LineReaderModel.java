package dev.digits.numbers;

import dev.digits.model.LineNetwork;
import dev.digits.model.ModelContract;
import dev.digits.predict.ModelFiles;
import java.nio.file.Path;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * The line reader ({@link LineNetwork}): reads a whole line of digits without cutting it, trained
 * with CTC on synthetic lines of MNIST training digits ({@code tools/train-line-reader}). It ships
 * in the jar and is the same whatever digit model reads the digits, so one copy serves the whole
 * process: loaded on the first number read (about 0.1 s), closed when the JVM exits.
 */
final class LineReaderModel {
  private static final String RESOURCE = "/dev/digits/numbers/line-model/";
  private static SavedModelBundle model;

  private LineReaderModel() {}

  /** Each column's probabilities of the ten digits and blank ({@code columns x 11}, row-major). */
  static float[] columns(LineInput line) {
    int t = line.width() / LineNetwork.COLUMN;
    float[] out = new float[t * LineNetwork.CLASSES];
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(1, LineNetwork.HEIGHT, line.width(), 1))) {
      x.asRawTensor().data().asFloats().write(line.pixels());
      try (Result r = model().session().runner().feed(LineNetwork.LINE, x)
          .fetch(LineNetwork.COLUMN_PROBABILITIES).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
      }
    }
    return out;
  }

  /** Loads the model now (a server does this before it takes requests), if it is not loaded yet. */
  static synchronized SavedModelBundle model() {
    if (model == null) {
      Path dir = ModelFiles.copyFromClassPath(RESOURCE, "the line reader of the number reader");
      try {
        SavedModelBundle loaded = SavedModelBundle.load(dir.toString(), ModelContract.SERVE_TAG);
        Runtime.getRuntime().addShutdownHook(new Thread(loaded::close, "digits-line-model-close"));
        model = loaded;
      } finally {
        ModelFiles.deleteTree(dir);
      }
    }
    return model;
  }
}
