package dev.digits.model;

/**
 * The shape of the network and the parts of its graph that differ between recipes.
 *
 * @param width multiplies every filter count and the dense width (1 = the reference network)
 * @param dropoutRate fraction of activations dropped after each pooling layer while training
 * @param inputScale the network sees {@code image * inputScale}: 1 for the [0,1] input the model
 *     always takes, 255 to reproduce the original recipe, which trained on raw pixel values
 */
public record ModelConfig(int width, float dropoutRate, float inputScale) {
  public static final ModelConfig DEFAULT = new ModelConfig(1, 0.25f, 1f);

  public ModelConfig {
    if (width < 1 || width > 16) {
      throw new IllegalArgumentException("width must be 1-16, got " + width);
    }
    if (dropoutRate < 0 || dropoutRate >= 1) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropoutRate);
    }
  }
}
