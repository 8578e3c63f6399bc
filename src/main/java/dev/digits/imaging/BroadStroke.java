package dev.digits.imaging;

import dev.digits.model.ModelContract;

/**
 * Digits written with a pen far broader than MNIST's, thinned for the classifier. The number
 * reader reads such a digit thinned first; single digits are read as {@link DigitPreprocessor}
 * prepares them, unchanged.
 */
public final class BroadStroke {
  private static final int SIDE = ModelContract.SIDE;

  private BroadStroke() {}

  /**
   * A model input whose strokes are far thicker than MNIST's, thinned to about MNIST's pen; null
   * for any other. A "1" written with a broad marker is a filled bar, which the classifier, having
   * learnt MNIST's pen, reads as a 0, a 9 or a 5; eroded until its stroke is a few pixels wide, it
   * reads as the 1 it is. Thick means still ink after {@link #THICK} erosions (3x3) of the 28x28
   * input: MNIST's strokes, bold ones included, are gone after two or three.
   */
  public static float[] thinnedIfThick(float[] input) {
    GrayImage eroded = new GrayImage(SIDE, SIDE, input.clone());
    int erosions = 0;
    while (erosions < SIDE / 2 && anyAtLeast(eroded, 0.5f)) {
      Morphology.extreme(eroded, 3, false);
      erosions++;
    }
    if (erosions < THICK) {
      return null;
    }
    GrayImage thin = new GrayImage(SIDE, SIDE, input.clone());
    for (int k = 0; k < erosions - 2; k++) { // two erosions short of vanishing: a stroke of a few pixels
      Morphology.extreme(thin, 3, false);
    }
    int x0 = SIDE;
    int y0 = SIDE;
    int x1 = -1;
    int y1 = -1;
    for (int i = 0; i < thin.v.length; i++) {
      if (thin.v[i] > 0.1f) {
        x0 = Math.min(x0, i % SIDE);
        y0 = Math.min(y0, i / SIDE);
        x1 = Math.max(x1, i % SIDE);
        y1 = Math.max(y1, i / SIDE);
      }
    }
    if (x1 < 0) {
      return null;
    }
    GrayImage cropped = thin.crop(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    return DigitPreprocessor.centerByMass(DigitPreprocessor.fitBox(cropped, DigitPreprocessor.BOX));
  }

  /**
   * Erosions of a model input after which ink is left only where the strokes are thick. (3 and 4
   * read the number benchmark alike; 5 missed most thick 1s.)
   */
  static final int THICK = 4;

  private static boolean anyAtLeast(GrayImage g, float level) {
    for (float f : g.v) {
      if (f >= level) {
        return true;
      }
    }
    return false;
  }
}
