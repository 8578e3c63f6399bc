package dev.digits.train;

import java.io.IOException;

/**
 * When the run keeps an average of its weights, that average is what is exported: saved at the end
 * beside the checkpoints (in {@link Trainer#AVERAGED_FOLDER}), so the exporter reads it like any
 * checkpoint. Comes after {@link FinalCheckpoint}.
 */
final class AverageForExport implements TrainingListener {
  private final Checkpoints checkpoints;

  AverageForExport(Checkpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public void onTrainEnd(TrainingRun run) throws IOException {
    TrainingGraph graph = run.graph();
    if (graph.averaging()) {
      String prefix = graph.withAverage(
          () -> checkpoints.saveWeights(graph.session(), Trainer.AVERAGED_FOLDER).resolve("ckpt").toString());
      run.exportWeights(prefix, true);
    }
  }
}
