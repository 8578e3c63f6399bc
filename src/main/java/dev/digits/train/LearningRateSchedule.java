package dev.digits.train;

/** The learning rate for each step of a run. */
public enum LearningRateSchedule {
  /**
   * A linear warm-up from a tenth of the peak rate over the first {@code warmup} share of the
   * steps, then cosine decay to zero over the rest (a one-cycle schedule). The warm-up lets the run
   * use a peak rate that would otherwise throw the freshly initialized network off course.
   */
  ONE_CYCLE,
  /** Cosine decay from the base rate to zero over the run. */
  COSINE,
  /** The base rate throughout (the original recipe). */
  CONSTANT;

  /** The rate at {@code step} of {@code totalSteps}; {@code warmup} is a share of the steps (ONE_CYCLE). */
  public float at(float peakRate, long step, long totalSteps, float warmup) {
    if (this == CONSTANT || totalSteps <= 0) {
      return peakRate;
    }
    double progress = Math.min(1.0, (double) step / totalSteps);
    if (this == ONE_CYCLE && warmup > 0) {
      if (progress < warmup) {
        return (float) (peakRate * (0.1 + 0.9 * progress / warmup));
      }
      progress = (progress - warmup) / (1 - warmup);
    }
    return (float) (peakRate * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
