package dev.digits.spark;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.util.LongAccumulator;

/**
 * A console line of files done and images/s while the job runs, besides Spark's own UI: every few
 * seconds, from the accumulator the tasks add to as they finish their batches.
 */
final class ProgressLine implements AutoCloseable {
  private static final long EVERY_MS = 5_000;
  private final Thread thread;

  private ProgressLine(Thread thread) {
    this.thread = thread;
  }

  static ProgressLine start(LongAccumulator done, long total, PrintStream err) {
    long start = System.nanoTime();
    Thread t = new Thread(() -> {
      long last = -1;
      try {
        while (true) {
          Thread.sleep(EVERY_MS);
          long n = done.value();
          if (n != last && n > 0) {
            double seconds = (System.nanoTime() - start) / 1e9;
            err.printf(Locale.ROOT, "spark-predict: %,d of %,d files (%.0f%%), %,.0f images/s%n", n, total,
                100.0 * n / Math.max(1, total), n / seconds);
            last = n;
          }
        }
      } catch (InterruptedException e) {
        // the job ended
      }
    }, "digits-spark-progress");
    t.setDaemon(true);
    t.start();
    return new ProgressLine(t);
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
