package dev.digits.train;

/**
 * Ends a run at the first epoch whose test accuracy (of the live or the averaged weights) reaches
 * a target: for measuring how fast a recipe gets there, or for a good-enough model sooner.
 */
public final class StopAtAccuracy implements TrainingListener {
  private final double target;

  /** @param target a fraction, e.g. 0.99 */
  public StopAtAccuracy(double target) {
    this.target = target;
  }

  @Override
  public void onEpochEnd(TrainingRun run, EpochStats epoch) {
    if (epoch.bestTestAccuracy() >= target && run.epoch() < run.config().epochs()) {
      run.stop(String.format("reached %.2f%%, stopping", 100 * target));
    }
  }
}
