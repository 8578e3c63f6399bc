package dev.digits.train;

/** The learning rate for each step of a run. */
public enum LearningRateSchedule {
  /** Cosine decay from the base rate to zero over the run: the biggest single gain in accuracy. */
  COSINE,
  /** The base rate throughout (the original recipe). */
  CONSTANT;

  public float at(float baseRate, long step, long totalSteps) {
    if (this == CONSTANT || totalSteps <= 0) {
      return baseRate;
    }
    double progress = Math.min(1.0, (double) step / totalSteps);
    return (float) (baseRate * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
