package dev.digits.train;

import java.io.PrintStream;

/**
 * Shows how far an epoch has come: a live bar with images/s and ETA when stderr is a terminal,
 * otherwise a plain line at each quarter so that logs stay readable.
 */
final class Progress implements TrainingListener {
  private final PrintStream out;
  private final boolean live;
  private int total;
  private int epoch;
  private int epochs;
  private long startNanos;
  private long lastDraw;
  private int lastQuarter;

  Progress(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  @Override
  public void onEpochStart(TrainingRun run) {
    long firstBatch = run.step() - (long) (run.epoch() - 1) * run.batchesPerEpoch();
    start(run.epoch(), run.config().epochs(), (int) (run.batchesPerEpoch() - firstBatch));
  }

  @Override
  public void onStep(TrainingRun run) {
    update(run.stepsThisEpoch(), run.batchSize());
  }

  @Override
  public void onEpochEnd(TrainingRun run, EpochStats epoch) {
    finish();
  }

  void start(int epoch, int epochs, int totalBatches) {
    this.epoch = epoch;
    this.epochs = epochs;
    this.total = totalBatches;
    this.startNanos = System.nanoTime();
    this.lastDraw = 0;
    this.lastQuarter = 0;
  }

  void update(int batchesDone, int batchSize) {
    long now = System.nanoTime();
    double seconds = (now - startNanos) / 1e9;
    double rate = batchesDone * (double) batchSize / Math.max(seconds, 1e-9);
    double eta = batchesDone == 0 ? 0 : seconds / batchesDone * (total - batchesDone);
    if (live) {
      if (now - lastDraw < 100_000_000L && batchesDone < total) {
        return;
      }
      lastDraw = now;
      int width = 30;
      int filled = (int) ((long) width * batchesDone / Math.max(total, 1));
      out.printf("\repoch %d/%d [%s%s] %d/%d  %,.0f img/s  ETA %.0fs ", epoch, epochs, "=".repeat(filled),
          " ".repeat(width - filled), batchesDone, total, rate, eta);
      out.flush();
    } else {
      int quarter = (int) (4L * batchesDone / Math.max(total, 1));
      if (quarter > lastQuarter && quarter < 4) {
        lastQuarter = quarter;
        out.printf("epoch %d/%d: %d%% (%d/%d batches, %,.0f img/s, ETA %.0fs)%n", epoch, epochs, quarter * 25,
            batchesDone, total, rate, eta);
      }
    }
  }

  void finish() {
    if (live) {
      out.print("\r" + " ".repeat(90) + "\r");
      out.flush();
    }
  }
}
