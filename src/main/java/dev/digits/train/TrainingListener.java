package dev.digits.train;

/**
 * Something that takes part in a run without being the run: console lines, the progress bar,
 * checkpoints, a stop at a target accuracy. The loop calls each listener in order at the start of
 * an epoch, after each step and at the end of an epoch (once that epoch's test accuracy is known).
 */
public interface TrainingListener {
  default void onEpochStart(TrainingRun run) {}

  default void onStep(TrainingRun run) {}

  default void onEpochEnd(TrainingRun run, EpochStats epoch) throws java.io.IOException {}
}
