package dev.digits.train;

import java.io.IOException;

/**
 * Something that takes part in a run without being the run: console lines, the progress bar,
 * checkpoints, a stop at a target accuracy, the weight average and the final figures. The loop
 * calls each listener in order: once before the first step, at the start of each epoch, after each
 * step, at the end of each epoch (once its test accuracy is known), and once after the last epoch.
 */
public interface TrainingListener {
  /** Before the first step of this process (a resumed run has its weights back already). */
  default void onTrainBegin(TrainingRun run) throws IOException {}

  default void onEpochStart(TrainingRun run) {}

  default void onStep(TrainingRun run) {}

  default void onEpochEnd(TrainingRun run, EpochStats epoch) throws IOException {}

  /** After the last epoch (or a stop), before the run's figures are final. */
  default void onTrainEnd(TrainingRun run) throws IOException {}
}
