package dev.digits.model;

/**
 * The shape of the network and the parts of its graph that differ between recipes.
 *
 * @param width multiplies every filter count and the dense width (1 = the reference network)
 * @param dropoutRate fraction of activations dropped after each pooling layer while training
 * @param inputScale the network sees {@code image * inputScale}: 1 for the [0,1] input the model
 *     always takes, 255 to reproduce the original recipe, which trained on raw pixel values
 * @param classes outputs of the last layer: 10 for digits, or the number of labels of a user's data
 */
public record ModelConfig(int width, float dropoutRate, float inputScale, int classes) {
  public static final ModelConfig DEFAULT = new ModelConfig(1, 0.25f, 1f);

  /** A network for the ten digits. */
  public ModelConfig(int width, float dropoutRate, float inputScale) {
    this(width, dropoutRate, inputScale, ModelContract.CLASSES);
  }

  public ModelConfig {
    if (classes < 2 || classes > ModelContract.MAX_CLASSES) {
      throw new IllegalArgumentException("classes must be 2-" + ModelContract.MAX_CLASSES + ", got " + classes);
    }
    if (width < 1 || width > 16) {
      throw new IllegalArgumentException("width must be 1-16, got " + width);
    }
    if (dropoutRate < 0 || dropoutRate >= 1) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropoutRate);
    }
  }

  /** The same network with another number of outputs. */
  public ModelConfig withClasses(int count) {
    return new ModelConfig(width, dropoutRate, inputScale, count);
  }

  /** The same network at another width. */
  public ModelConfig withWidth(int w) {
    return new ModelConfig(w, dropoutRate, inputScale, classes);
  }
}
