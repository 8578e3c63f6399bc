package dev.digits.train;

import java.io.IOException;

/** Saves a checkpoint at the end of every epoch (atomically: see {@link Checkpoints}). */
final class CheckpointEachEpoch implements TrainingListener {
  private final Checkpoints checkpoints;
  private String last;

  CheckpointEachEpoch(Checkpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public void onEpochEnd(TrainingRun run, EpochStats epoch) throws IOException {
    last = run.checkpoint(checkpoints);
  }

  /** The variables prefix of the newest checkpoint this process saved, or null. */
  String last() {
    return last;
  }
}
