package dev.digits.train;

import dev.digits.data.Augmenter;
import dev.digits.data.Batcher;
import dev.digits.data.Mnist;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains the network in a plain session loop: one {@code session.run} per batch, the next batch
 * prepared meanwhile on another thread, then a test-set evaluation per epoch. Everything else a
 * run does is a {@link TrainingListener}: console lines, progress, checkpoints, stopping at a
 * target, and at the end the weights to export (the last checkpoint, or the weight average) and
 * their figures, re-checked in float32.
 */
public final class Trainer {

  /**
   * Where and how to run, as opposed to what to train ({@link TrainConfig}).
   *
   * @param initialWeights an exported model to start from (fine-tuning), or null for fresh weights
   * @param listeners more listeners, called after the built-in ones (progress, console, checkpoints)
   * @param precision the arithmetic of the session's kernels (the weights are float32 either way)
   */
  public record Options(Path checkpointDir, boolean resume, int threads, PrintStream out, PrintStream progress,
      boolean liveProgress, Path initialWeights, List<TrainingListener> listeners, Precision precision) {
    /** Options for a run that starts from random weights, in this CPU's fastest precision. */
    public Options(Path checkpointDir, boolean resume, int threads, PrintStream out, PrintStream progress,
        boolean liveProgress) {
      this(checkpointDir, resume, threads, out, progress, liveProgress, null, List.of(), Precision.auto());
    }

    public Options withListener(TrainingListener listener) {
      List<TrainingListener> more = new ArrayList<>(listeners);
      more.add(listener);
      return new Options(checkpointDir, resume, threads, out, progress, liveProgress, initialWeights, more, precision);
    }

    public Options withInitialWeights(Path model) {
      return new Options(checkpointDir, resume, threads, out, progress, liveProgress, model, listeners, precision);
    }

    public Options withPrecision(Precision p) {
      return new Options(checkpointDir, resume, threads, out, progress, liveProgress, initialWeights, listeners, p);
    }
  }

  /**
   * The outcome of a run; {@code checkpointPrefix} holds the weights to export (the averaged ones
   * when {@code averaged}) and {@code testPredictions} what they predict for each test example.
   */
  public record Outcome(TrainConfig config, List<EpochStats> history, double trainAccuracy, double testAccuracy,
      long steps, double seconds, String checkpointPrefix, int[] testPredictions, boolean averaged) {}

  /** Where the averaged weights are saved for export, inside the checkpoint folder. */
  public static final String AVERAGED_FOLDER = "averaged";

  private Trainer() {}

  public static Outcome train(TrainConfig requested, Mnist data, Options options) throws IOException {
    Checkpoints checkpoints = new Checkpoints(options.checkpointDir());
    Checkpoints.State resumed = resumeOrRefuse(checkpoints, options);
    // A resumed run continues with its own configuration; only the smoke-mode step limit may change.
    TrainConfig config = resumed == null ? requested : resumed.config().withMaxSteps(requested.maxSteps());
    Batcher batcher = new Batcher(data.train(), config.batchSize(), Augmenter.of(config.augmentation()), config.seed());
    long totalSteps = (long) config.epochs() * batcher.batchesPerEpoch();
    long stopStep = config.maxSteps() > 0 ? Math.min(totalSteps, config.maxSteps()) : totalSteps;

    try (TrainingGraph graph = TrainingGraph.build(config, batcher.batchSize(), options.threads(), options.precision())) {
      TrainingRun run = start(graph, config, batcher, resumed, options);
      FinalFigures figures = new FinalFigures(data, options.threads(), options.precision());
      List<TrainingListener> listeners = new ArrayList<>(options.listeners()); // a stop they decide is in the line and the checkpoint
      listeners.addAll(List.of(new Progress(options.progress(), options.liveProgress()), new ConsoleLog(options.out()),
          new FinalCheckpoint(checkpoints, resumed), new AverageForExport(checkpoints), figures));
      double earlier = resumed == null ? 0 : resumed.history().stream().mapToDouble(EpochStats::seconds).sum();
      long runStart = System.nanoTime();
      fit(graph, run, batcher, data, stopStep, totalSteps, listeners);
      double seconds = earlier + (System.nanoTime() - runStart) / 1e9;
      for (TrainingListener l : listeners) {
        l.onTrainEnd(run);
      }
      FinalFigures.Figures f = figures.figures();
      return new Outcome(run.config(), run.history(), f.trainAccuracy(), f.testAccuracy(), run.step(), seconds,
          run.exportWeights(), f.testPredictions(), run.exportAveraged());
    }
  }

  /** The loop: epochs of steps, each epoch then evaluated, the listeners told at each point. */
  private static void fit(TrainingGraph graph, TrainingRun run, Batcher batcher, Mnist data, long stopStep,
      long totalSteps, List<TrainingListener> listeners) throws IOException {
    for (TrainingListener l : listeners) {
      l.onTrainBegin(run);
    }
    try (BatchPrefetcher batches = new BatchPrefetcher(batcher, data.train().pixelsPerImage(), run.step(), stopStep)) {
      for (int epoch = (int) (run.step() / batcher.batchesPerEpoch()); epoch < run.config().epochs()
          && run.step() < stopStep && run.stopReason() == null; epoch++) {
        run.startEpoch(epoch + 1);
        for (TrainingListener l : listeners) {
          l.onEpochStart(run);
        }
        EpochStats stats = run.record(epoch(graph, batches, run, listeners, data, stopStep, totalSteps));
        for (TrainingListener l : listeners) {
          l.onEpochEnd(run, stats);
        }
      }
    }
  }

  /** Trains the rest of the epoch in progress (up to {@code stopStep}), then evaluates on the test set. */
  private static EpochStats epoch(TrainingGraph graph, BatchPrefetcher batches, TrainingRun run,
      List<TrainingListener> listeners, Mnist data, long stopStep, long totalSteps) {
    TrainConfig config = run.config();
    long start = System.nanoTime();
    double lossSum = 0;
    double correct = 0;
    while (run.step() < Math.min(stopStep, (long) run.epoch() * run.batchesPerEpoch())) {
      BatchPrefetcher.Batch batch = batches.take();
      TrainingGraph.StepResult r = graph.step(batch, config.learningRateAt(run.step(), totalSteps));
      batches.release(batch);
      lossSum += r.loss();
      correct += r.correct();
      run.stepDone();
      for (TrainingListener l : listeners) {
        l.onStep(run);
      }
    }
    double trainSeconds = (System.nanoTime() - start) / 1e9;
    double test = SessionEvaluator.accuracy(graph.predict(data.test()), data.test());
    double averagedTest = graph.averageAccuracy(data.test());
    int steps = run.stepsThisEpoch();
    int images = steps * run.batchSize();
    return new EpochStats(run.epoch(), steps, lossSum / Math.max(steps, 1), correct / Math.max(images, 1), test,
        config.learningRateAt(run.step() - 1, totalSteps), (System.nanoTime() - start) / 1e9, images / trainSeconds,
        averagedTest);
  }

  /** The checkpoint to resume, or null for a new run; refuses to overwrite an unfinished run. */
  private static Checkpoints.State resumeOrRefuse(Checkpoints checkpoints, Options options) {
    if (options.resume()) {
      return checkpoints.load().orElseThrow(() -> new IllegalStateException(
          "no checkpoint to resume in " + options.checkpointDir() + "; run without --resume to start training"));
    }
    checkpoints.load().ifPresent(old -> {
      if (!old.finished()) {
        throw new IllegalStateException(options.checkpointDir() + " holds an unfinished run (" + old.epochsDone()
            + " of " + old.config().epochs() + " epochs); continue it with --resume, or move that folder away"
            + " (or pass another --checkpoint-dir) to start a new run");
      }
    });
    return null;
  }

  private static TrainingRun start(TrainingGraph graph, TrainConfig config, Batcher batcher, Checkpoints.State resumed,
      Options options) {
    if (resumed == null) {
      graph.start(options.initialWeights());
      if (options.initialWeights() != null) {
        options.out().println("starting from the weights of " + options.initialWeights());
      }
      return new TrainingRun(config, graph, batcher.batchesPerEpoch(), batcher.batchSize(), List.of(), 0, null);
    }
    String prefix = new Checkpoints(options.checkpointDir()).prefix(resumed);
    graph.restore(prefix);
    options.out().printf("resuming from %s: %d of %d epochs done, step %d%n", prefix, resumed.epochsDone(),
        config.epochs(), resumed.step());
    TrainingRun run = new TrainingRun(config, graph, batcher.batchesPerEpoch(), batcher.batchSize(), resumed.history(),
        resumed.step(), resumed.stopReason());
    run.startEpoch(resumed.epochsDone());
    return run;
  }
}
