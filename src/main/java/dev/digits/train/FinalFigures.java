package dev.digits.train;

import dev.digits.data.Mnist;
import java.io.IOException;

/**
 * The run's final figures, of the weights that will be exported, computed as the export computes:
 * in float32. A run in bfloat16 reloads those weights into a float32 graph for them (the float32
 * re-check); an averaged run is measured with the average in place. Comes last.
 */
final class FinalFigures implements TrainingListener {
  /** Train and test accuracy, and the predicted class of each test example. */
  record Figures(double trainAccuracy, double testAccuracy, int[] testPredictions) {}

  private final Mnist data;
  private final int threads;
  private final Precision precision;
  private Figures figures;

  FinalFigures(Mnist data, int threads, Precision precision) {
    this.data = data;
    this.threads = threads;
    this.precision = precision;
  }

  @Override
  public void onTrainEnd(TrainingRun run) throws IOException {
    TrainingGraph graph = run.graph();
    if (precision != Precision.FLOAT32) {
      try (TrainingGraph exact = TrainingGraph.build(run.config(), run.batchSize(), threads, Precision.FLOAT32)) {
        exact.restore(run.exportWeights());
        figures = of(exact);
      }
    } else {
      figures = run.exportAveraged() ? graph.withAverage(() -> of(graph)) : of(graph);
    }
  }

  private Figures of(TrainingGraph graph) {
    int[] test = graph.predict(data.test());
    return new Figures(SessionEvaluator.accuracy(graph.predict(data.train()), data.train()),
        SessionEvaluator.accuracy(test, data.test()), test);
  }

  Figures figures() {
    return figures;
  }
}
