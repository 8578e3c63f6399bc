package dev.digits.train;

import java.io.IOException;

/**
 * Saves a checkpoint at the end of every epoch (atomically: see {@link Checkpoints}), and at the
 * end of the run names the weights to export: the newest checkpoint, whether this process saved it,
 * a resumed run found it finished, or a step limit ended the run before any epoch did.
 */
final class FinalCheckpoint implements TrainingListener {
  private final Checkpoints checkpoints;
  private final Checkpoints.State resumed;
  private String last;

  FinalCheckpoint(Checkpoints checkpoints, Checkpoints.State resumed) {
    this.checkpoints = checkpoints;
    this.resumed = resumed;
  }

  @Override
  public void onEpochEnd(TrainingRun run, EpochStats epoch) throws IOException {
    last = run.checkpoint(checkpoints);
  }

  @Override
  public void onTrainEnd(TrainingRun run) throws IOException {
    String prefix = last != null ? last : resumed != null ? checkpoints.prefix(resumed) : run.checkpoint(checkpoints);
    run.exportWeights(prefix, false);
  }
}
