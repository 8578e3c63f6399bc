package dev.digits.train;

import dev.digits.data.Batcher;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Assembles training batches (shuffle, augmentation) on a thread of its own, one step ahead of the
 * session, so that {@code session.run} never waits for Java. Two buffers take turns: while the
 * session reads one, the thread fills the other. The batches are exactly those {@link Batcher}
 * gives for each step, whatever the timing, so runs stay reproducible and resumable.
 */
final class BatchPrefetcher implements AutoCloseable {
  /** One step's batch; hand it back with {@link #release} once the session has consumed it. */
  record Batch(long step, float[] images, int[] labels) {}

  private static final Batch END = new Batch(-1, null, null);

  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(2);
  private final BlockingQueue<Batch> ready = new ArrayBlockingQueue<>(3);
  private final Thread worker;
  private volatile Throwable failure;

  /** Prepares the batches of steps {@code firstStep} to {@code stopStep - 1}. */
  BatchPrefetcher(Batcher batcher, int pixelsPerImage, long firstStep, long stopStep) {
    for (int i = 0; i < 2; i++) {
      free.add(new Batch(0, new float[batcher.batchSize() * pixelsPerImage], new int[batcher.batchSize()]));
    }
    worker = new Thread(() -> {
      try {
        int perEpoch = batcher.batchesPerEpoch();
        int epoch = -1;
        int[] order = null;
        for (long step = firstStep; step < stopStep; step++) {
          if (step / perEpoch != epoch) {
            epoch = (int) (step / perEpoch);
            order = batcher.order(epoch);
          }
          Batch buffer = free.take();
          batcher.fill(order, (int) (step % perEpoch), step, buffer.images(), buffer.labels());
          ready.put(new Batch(step, buffer.images(), buffer.labels()));
        }
      } catch (InterruptedException e) {
        return; // closed
      } catch (Throwable t) {
        failure = t;
      }
      ready.offer(END);
    }, "batch-prefetch");
    worker.setDaemon(true);
    worker.start();
  }

  /** The next step's batch, waiting for it if it is not ready yet. */
  Batch take() {
    try {
      Batch b = ready.take();
      if (b == END) {
        throw new IllegalStateException("batch preparation failed: " + failure, failure);
      }
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a batch", e);
    }
  }

  /** Gives a batch's buffers back for the step after next. */
  void release(Batch batch) {
    free.add(new Batch(0, batch.images(), batch.labels()));
  }

  @Override
  public void close() {
    worker.interrupt();
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
