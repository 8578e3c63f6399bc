package dev.digits.serve;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One budget for all the work the server has in hand: at most {@code workers} requests decode,
 * preprocess or infer at once, and together they hold at most {@code budgetBytes} of memory (the
 * decoded pixels of their images, the parsed inputs of their predict requests). What does not fit
 * waits in a queue of at most {@code maxQueued}, first come first served, for at most
 * {@code maxWaitMillis}; what finds the queue full or waits too long is refused, and the server
 * answers it 503 with Retry-After.
 *
 * <p>Work may finish later than its worker is done with it (it waits for a batch of inference):
 * the worker is then free at once, and the memory stays charged until the work completes.
 *
 * <p>Nothing here blocks a thread: work is started on the worker pool when it fits, waiting work
 * is a queue entry, and the HTTP threads stay free for what needs no budget (model status,
 * metadata, the drawing page), which therefore never waits behind image or inference work.
 */
final class Admission implements AutoCloseable {
  /** Work for a worker; what it returns, unless null, holds the work's memory until it completes. */
  @FunctionalInterface
  interface Work {
    java.util.concurrent.CompletionStage<?> run();
  }

  /** A piece of work and what to do when it is refused instead. */
  private record Waiting(long cost, Work work, Runnable refused) {}

  private final long budgetBytes;
  private final int workers;
  private final int maxQueued;
  private final long maxWaitNanos;
  private final ExecutorService pool;
  private final ScheduledExecutorService clock;
  private final Deque<Waiting> queue = new ArrayDeque<>();
  private long available;
  private int idle;
  private boolean closed;

  Admission(long budgetBytes, int workers, int maxQueued, long maxWaitMillis, ScheduledExecutorService clock) {
    this.budgetBytes = budgetBytes;
    this.workers = workers;
    this.maxQueued = maxQueued;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.available = budgetBytes;
    this.idle = workers;
    this.clock = clock;
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    this.pool = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "digits-work-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code work} on a worker once {@code cost} bytes of the budget are free (a cost over the
   * whole budget waits for all of it: one such piece of work at a time), or runs {@code refused}
   * (on the caller's thread or the clock's) when it cannot within the wait. Exactly one of the two runs.
   */
  void submit(long cost, Runnable work, Runnable refused) {
    submit(cost, () -> {
      work.run();
      return null;
    }, refused);
  }

  /** {@link #submit(long, Runnable, Runnable)} for work that may complete after its worker is done with it. */
  void submit(long cost, Work work, Runnable refused) {
    long charged = Math.max(1, Math.min(cost, budgetBytes));
    Waiting w = new Waiting(charged, work, refused);
    boolean startsNow;
    boolean refuse;
    synchronized (this) {
      startsNow = !closed && queue.isEmpty() && idle > 0 && charged <= available;
      refuse = !startsNow && (closed || queue.size() >= maxQueued);
      if (!refuse) {
        queue.addLast(w);
        startWhatFits();
      }
    }
    if (refuse) {
      refused.run();
    } else if (!startsNow) {
      clock.schedule(() -> expire(w), maxWaitNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Work queued or running, and budget bytes in use: for metrics and tests. */
  synchronized int queued() {
    return queue.size();
  }

  synchronized long bytesInUse() {
    return budgetBytes - available;
  }

  synchronized int running() {
    return workers - idle;
  }

  /** Starts queued work, in order, while the head fits; the head is never overtaken (no starvation of large work). */
  private void startWhatFits() {
    while (!queue.isEmpty() && idle > 0 && queue.peekFirst().cost() <= available) {
      Waiting w = queue.removeFirst();
      available -= w.cost();
      idle--;
      pool.execute(() -> {
        java.util.concurrent.CompletionStage<?> pending = null;
        try {
          pending = w.work().run();
        } finally {
          if (pending == null) {
            release(w.cost(), true);
          } else {
            release(0, true);
            pending.whenComplete((result, failure) -> release(w.cost(), false));
          }
        }
      });
    }
  }

  private synchronized void release(long cost, boolean worker) {
    available += cost;
    if (worker) {
      idle++;
    }
    startWhatFits();
  }

  private void expire(Waiting w) {
    boolean removed;
    synchronized (this) {
      removed = queue.remove(w);
    }
    if (removed) {
      w.refused().run();
    }
  }

  /** Refuses what is queued, lets running work finish (up to {@code millis}), and stops the workers. */
  @Override
  public void close() {
    java.util.List<Waiting> dropped;
    synchronized (this) {
      closed = true;
      dropped = new java.util.ArrayList<>(queue);
      queue.clear();
    }
    dropped.forEach(w -> w.refused().run());
    pool.shutdown();
  }

  boolean awaitIdle(long millis) throws InterruptedException {
    return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }
}
