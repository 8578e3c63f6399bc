package dev.digits.train;

import dev.digits.data.MnistDataset;
import dev.digits.model.DigitNetwork;
import dev.digits.model.ModelContract;
import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The training graph of one run and its session: the network with its objective, the optimizer,
 * the optional moving average of the weights, and the tensors each step is fed from (allocated
 * once, overwritten in place). Everything native that a run holds is closed with it.
 */
final class TrainingGraph implements AutoCloseable {
  /** What one step measured on its batch. */
  record StepResult(float loss, float correct) {}

  private final Graph graph;
  private final Session session;
  private final DigitNetwork.Endpoints net;
  private final Op trainStep;
  private final WeightAverage average;
  private final WeightCopy copy;
  private final TFloat32 x;
  private final TInt32 y;
  private final TFloat32 keepProb;
  private final TFloat32 learningRate;
  private final TInt64 dropoutSeed;

  private TrainingGraph(TrainConfig config, int threads, Precision precision) {
    graph = new Graph();
    Ops tf = Ops.create(graph);
    net = DigitNetwork.training(tf, config.model(), config.seed(), config.labelSmoothing());
    Op step = Optimizer.minimize(tf, config.optimizer(), objective(tf, config, net), net.variables());
    average = config.emaDecay() <= 0 ? null : WeightAverage.of(tf, net.variables(), config.emaDecay(), step,
        graph.operation(Optimizer.STEP).<TInt64>output(0));
    trainStep = average == null ? step : average.update();
    copy = WeightCopy.into(tf, net.variables());
    session = new Session(graph, precision.sessionConfig(threads));
    int batch = config.batchSize();
    x = TFloat32.tensorOf(Shape.of(batch, ModelContract.SIDE, ModelContract.SIDE, 1));
    y = TInt32.tensorOf(Shape.of(batch));
    keepProb = TFloat32.scalarOf(1f - config.model().dropoutRate());
    learningRate = TFloat32.scalarOf(config.learningRate());
    dropoutSeed = TInt64.vectorOf(config.seed(), 0);
  }

  /** Builds the graph of a run, with {@code batchSize} images per step, computing in {@code precision}. */
  static TrainingGraph build(TrainConfig config, int batchSize, int threads, Precision precision) {
    TrainConfig c = config.batchSize() == batchSize ? config : config.withBatchSize(batchSize);
    return new TrainingGraph(c, threads, precision);
  }

  /** The loss with the L2 penalty of the original recipe, if any (Keras' L2(c): c * sum(w^2) per kernel). */
  private static Operand<TFloat32> objective(Ops tf, TrainConfig config, DigitNetwork.Endpoints net) {
    if (config.l2() <= 0) {
      return net.loss();
    }
    Operand<TFloat32> penalty = tf.constant(0f);
    for (Variable<TFloat32> k : net.kernels()) {
      penalty = tf.math.add(penalty, tf.nn.l2Loss(k)); // l2Loss is sum(w^2) / 2
    }
    return tf.math.add(net.loss(), tf.math.mul(tf.constant(2 * config.l2()), penalty));
  }

  /** Fresh weights: the seeded initializers, or an exported model's weights. */
  void start(Path initialWeights) {
    session.initialize();
    if (initialWeights != null) {
      copy.from(initialWeights, session);
    }
  }

  /** The weights, optimizer state and average of a checkpoint. */
  void restore(String checkpointPrefix) {
    session.restore(checkpointPrefix);
  }

  /** One optimizer step on a batch at a learning rate; the dropout mask depends on the step only. */
  StepResult step(BatchPrefetcher.Batch batch, float rate) {
    x.asRawTensor().data().asFloats().write(batch.images());
    y.asRawTensor().data().asInts().write(batch.labels());
    learningRate.setFloat(rate);
    dropoutSeed.setLong(2 * batch.step(), 1);
    try (Result r = session.runner()
        .feed(net.image(), x).feed(net.labels(), y).feed(net.keepProb(), keepProb)
        .feed(net.dropoutSeed(), dropoutSeed).feed(Optimizer.LEARNING_RATE, learningRate)
        .addTarget(trainStep).fetch(net.loss()).fetch(net.correct())
        .run()) {
      return new StepResult(((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat());
    }
  }

  /** The live weights' prediction for every example. */
  int[] predict(MnistDataset data) {
    return SessionEvaluator.predict(session, data);
  }

  /** Whether the run keeps a moving average of the weights. */
  boolean averaging() {
    return average != null;
  }

  /** Work on the session that may fail to write a file. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws IOException;
  }

  /** Runs {@code work} with the averaged weights in place of the live ones (which it then restores). */
  <T> T withAverage(Work<T> work) throws IOException {
    average.swapIn(session);
    try {
      return work.run();
    } finally {
      average.swapOut(session);
    }
  }

  /** The averaged weights' test accuracy, or NaN without an average. */
  double averageAccuracy(MnistDataset data) {
    if (average == null) {
      return Double.NaN;
    }
    average.swapIn(session);
    try {
      return SessionEvaluator.accuracy(session, data);
    } finally {
      average.swapOut(session);
    }
  }

  Session session() {
    return session;
  }

  @Override
  public void close() {
    try (graph; session; x; y; keepProb; learningRate; dropoutSeed) {
      // closes all, in reverse order
    }
  }
}
