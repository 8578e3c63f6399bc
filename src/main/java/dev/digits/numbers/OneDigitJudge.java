package dev.digits.numbers;

import dev.digits.predict.Prediction;
import dev.digits.predict.Predictor;
import java.util.List;

/**
 * The model that says whether a candidate piece of a number is one digit: the ten digits and
 * "none", trained on what the number reader cuts out of lines of MNIST training digits (single
 * digits, pairs, parts; built by {@code tools/train-one-digit-model}). The classifier reads two
 * touching digits as one sure "0" or "8" as readily as each alone; this model does not.
 *
 * <p>It ships in the jar and is the same whatever digit model reads the digits, so one copy
 * serves the whole process: loaded on the first number read (0.1-0.2 s), closed when the JVM exits.
 */
final class OneDigitJudge {
  /** The model's class for candidates that are not one digit. */
  static final int NOT_ONE_DIGIT = 10;
  private static final String RESOURCE = "/dev/digits/numbers/one-digit-model/";
  private static Predictor model;

  private OneDigitJudge() {}

  /** The chance that each model input is not one digit (a pair, a part, a stray mark). */
  static float[] notOneDigit(List<float[]> inputs) {
    List<Prediction> judged = model().predictNormalized(inputs);
    float[] out = new float[judged.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = judged.get(i).probabilities()[NOT_ONE_DIGIT];
    }
    return out;
  }

  /** Loads the model now (a server does this before it takes requests), if it is not loaded yet. */
  static synchronized Predictor model() {
    if (model == null) {
      Predictor loaded = Predictor.loadFromClassPath(RESOURCE, "the one-digit model of the number reader");
      Runtime.getRuntime().addShutdownHook(new Thread(loaded::close, "digits-one-digit-model-close"));
      model = loaded;
    }
    return model;
  }
}
