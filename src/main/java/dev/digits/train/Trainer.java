package dev.digits.train;

import dev.digits.data.Augmenter;
import dev.digits.data.Batcher;
import dev.digits.data.Mnist;
import dev.digits.model.DigitNetwork;
import dev.digits.report.Evaluator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Trains the network in a plain session loop: one {@code session.run} per batch, fed from tensors
 * allocated once and overwritten in place, then a test-set evaluation and a checkpoint per epoch.
 */
public final class Trainer {

  /** Where and how to run, as opposed to what to train ({@link TrainConfig}). */
  public record Options(Path checkpointDir, boolean resume, int threads, PrintStream out, PrintStream progress,
      boolean liveProgress, Path initialWeights) {
    /** Options for a run that starts from random weights. */
    public Options(Path checkpointDir, boolean resume, int threads, PrintStream out, PrintStream progress,
        boolean liveProgress) {
      this(checkpointDir, resume, threads, out, progress, liveProgress, null);
    }
  }

  /**
   * The outcome of a run; {@code checkpointPrefix} holds the final weights and
   * {@code testPredictions} what the training session predicted for each test example at the end.
   */
  public record Outcome(TrainConfig config, List<EpochStats> history, double trainAccuracy, double testAccuracy,
      long steps, double seconds, String checkpointPrefix, int[] testPredictions) {}

  private Trainer() {}

  public static Outcome train(TrainConfig requested, Mnist data, Options options) throws IOException {
    Checkpoints checkpoints = new Checkpoints(options.checkpointDir());
    Checkpoints.State resumed = null;
    TrainConfig config = requested;
    if (options.resume()) {
      resumed = checkpoints.load().orElseThrow(() -> new IllegalStateException(
          "no checkpoint to resume in " + options.checkpointDir() + "; run without --resume to start training"));
      // The schedule comes from the checkpoint; only the smoke-mode step limit may change.
      config = resumed.config().withMaxSteps(requested.maxSteps());
    } else {
      // Never overwrite an interrupted run that could still be resumed (a finished one is exported).
      checkpoints.load().ifPresent(old -> {
        if (old.epochsDone() < old.config().epochs()) {
          throw new IllegalStateException(options.checkpointDir() + " holds an unfinished run (" + old.epochsDone()
              + " of " + old.config().epochs() + " epochs); continue it with --resume, or move that folder away"
              + " (or pass another --checkpoint-dir) to start a new run");
        }
      });
    }
    PrintStream out = options.out();
    Batcher batcher = new Batcher(data.train(), config.batchSize(), Augmenter.of(config.augmentation()),
        config.seed());
    int batchesPerEpoch = batcher.batchesPerEpoch();
    long scheduleSteps = (long) config.epochs() * batchesPerEpoch;
    long stopStep = config.maxSteps() > 0 ? Math.min(scheduleSteps, config.maxSteps()) : scheduleSteps;

    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      DigitNetwork.Endpoints net = DigitNetwork.training(tf, config.model(), config.seed());
      Operand<TFloat32> objective = net.loss();
      if (config.l2() > 0) {
        // Keras' L2(c) adds c * sum(w^2) per kernel; l2Loss is sum(w^2) / 2.
        Operand<TFloat32> penalty = tf.constant(0f);
        for (Variable<TFloat32> k : net.kernels()) {
          penalty = tf.math.add(penalty, tf.nn.l2Loss(k));
        }
        objective = tf.math.add(objective, tf.math.mul(tf.constant(2 * config.l2()), penalty));
      }
      Op trainOp = Optimizer.minimize(tf, config.optimizer(), objective, net.variables());
      WeightCopy copy = options.initialWeights() == null || resumed != null ? null : WeightCopy.into(tf, net.variables());

      ConfigProto session = ConfigProto.newBuilder()
          .setIntraOpParallelismThreads(options.threads())
          .setInterOpParallelismThreads(options.threads())
          .build();
      try (Session s = new Session(graph, session)) {
        List<EpochStats> history = new ArrayList<>();
        long step = 0;
        int startEpoch = 0;
        String lastCheckpoint = null;
        int[] testPredictions = null;
        if (resumed != null) {
          lastCheckpoint = checkpoints.prefix(resumed);
          s.restore(checkpoints.prefix(resumed));
          history.addAll(resumed.history());
          step = resumed.step();
          startEpoch = resumed.epochsDone();
          out.printf("resuming from %s: %d of %d epochs done, step %d%n", checkpoints.prefix(resumed),
              startEpoch, config.epochs(), step);
        } else {
          s.initialize();
          if (copy != null) {
            copy.from(options.initialWeights(), s);
            out.println("starting from the weights of " + options.initialWeights());
          }
        }
        long runStart = System.nanoTime();
        double earlierSeconds = history.stream().mapToDouble(EpochStats::seconds).sum();
        Progress progress = new Progress(options.progress(), options.liveProgress());
        int batchSize = batcher.batchSize();
        int pixels = data.train().pixelsPerImage();
        float[] images = new float[batchSize * pixels];
        int[] labels = new int[batchSize];
        float keep = 1f - config.model().dropoutRate();

        try (TFloat32 x = TFloat32.tensorOf(Shape.of(batchSize, DigitNetwork.SIDE, DigitNetwork.SIDE, 1));
            TInt32 y = TInt32.tensorOf(Shape.of(batchSize));
            TFloat32 keepProb = TFloat32.scalarOf(keep);
            TFloat32 lr = TFloat32.scalarOf(config.learningRate());
            TInt64 dropoutSeed = TInt64.vectorOf(config.seed(), 0)) {
          for (int epoch = startEpoch; epoch < config.epochs() && step < stopStep; epoch++) {
            long epochStart = System.nanoTime();
            int[] order = batcher.order(epoch);
            int firstBatch = (int) (step - (long) epoch * batchesPerEpoch);
            double lossSum = 0;
            double correct = 0;
            int seen = 0;
            progress.start(epoch + 1, config.epochs(), batchesPerEpoch);
            for (int b = firstBatch; b < batchesPerEpoch && step < stopStep; b++) {
              batcher.fill(order, b, step, images, labels);
              x.asRawTensor().data().asFloats().write(images);
              y.asRawTensor().data().asInts().write(labels);
              lr.setFloat(config.schedule().at(config.learningRate(), step, scheduleSteps));
              dropoutSeed.setLong(2 * step, 1);
              try (Result r = s.runner()
                  .feed(net.image(), x).feed(net.labels(), y).feed(net.keepProb(), keepProb)
                  .feed(net.dropoutSeed(), dropoutSeed).feed(Optimizer.LEARNING_RATE, lr)
                  .addTarget(trainOp).fetch(net.loss()).fetch(net.correct())
                  .run()) {
                lossSum += ((TFloat32) r.get(0)).getFloat() * batchSize;
                correct += ((TFloat32) r.get(1)).getFloat();
              }
              seen += batchSize;
              step++;
              progress.update(b + 1 - firstBatch, batchSize);
            }
            progress.finish();
            double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
            testPredictions = Evaluator.predict(s, data.test());
            double test = Evaluator.accuracy(testPredictions, data.test());
            double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
            boolean complete = step == (long) (epoch + 1) * batchesPerEpoch;
            EpochStats stats = new EpochStats(epoch + 1, seen / batchSize, lossSum / Math.max(seen, 1),
                correct / Math.max(seen, 1), test, lr.getFloat(), epochSeconds, seen / trainSeconds);
            if (!history.isEmpty() && history.get(history.size() - 1).epoch() == stats.epoch()) {
              // The rest of an epoch that an earlier run cut short: one row for the epoch, not two.
              stats = history.remove(history.size() - 1).joinedWith(stats);
            }
            history.add(stats);
            out.printf("epoch %2d/%d  loss %.4f  train %6.2f%%  test %6.2f%%  lr %.2e  %5.1fs  %,.0f img/s%s%n",
                stats.epoch(), config.epochs(), stats.loss(), 100 * stats.trainAccuracy(), 100 * test,
                stats.learningRate(), epochSeconds, stats.imagesPerSecond(), complete ? "" : "  (stopped early)");
            lastCheckpoint = checkpoints.save(s, config, complete ? epoch + 1 : epoch, step, history);
          }
          double trainAccuracy = Evaluator.accuracy(s, data.train());
          if (testPredictions == null) { // nothing trained in this process (a finished run resumed)
            testPredictions = Evaluator.predict(s, data.test());
          }
          double testAccuracy = Evaluator.accuracy(testPredictions, data.test());
          if (lastCheckpoint == null) {
            lastCheckpoint = checkpoints.save(s, config, startEpoch, step, history);
          }
          double seconds = earlierSeconds + (System.nanoTime() - runStart) / 1e9;
          return new Outcome(config, history, trainAccuracy, testAccuracy, step, seconds, lastCheckpoint,
              testPredictions);
        }
      }
    }
  }
}
