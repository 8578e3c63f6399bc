package dev.digits.train;

import java.io.PrintStream;

/** One line per epoch: loss, accuracies, learning rate, time and speed. */
final class ConsoleLog implements TrainingListener {
  private final PrintStream out;

  ConsoleLog(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onEpochEnd(TrainingRun run, EpochStats e) {
    out.printf("epoch %2d/%d  loss %.4f  train %6.2f%%  test %6.2f%%%s  lr %.2e  %5.1fs  %,.0f img/s%s%n",
        e.epoch(), run.config().epochs(), e.loss(), 100 * e.trainAccuracy(), 100 * e.testAccuracy(),
        Double.isNaN(e.averageTestAccuracy()) ? "" : String.format("  averaged %6.2f%%", 100 * e.averageTestAccuracy()),
        e.learningRate(), e.seconds(), e.imagesPerSecond(),
        run.stopReason() != null ? "  (" + run.stopReason() + ")" : run.epochComplete() ? "" : "  (stopped early)");
  }
}
