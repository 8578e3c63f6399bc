package dev.digits.predict;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Dynamic batching as TF Serving does it: inference requests from any number of threads are
 * queued, and each of {@code num_batch_threads} threads takes what is waiting, up to
 * {@code max_batch_size} images, and runs it as one batch. Under load, one model run serves many
 * requests; alone, a request runs at once (with {@code batch_timeout_micros} 0, nothing waits for
 * company). A request larger than a batch is split across batches (TF Serving's large-batch
 * splitting), so no model run, and no request, holds more than {@code max_batch_size} images'
 * activations. At most {@code max_enqueued_batches} batches' worth of images wait; more are
 * refused at once with {@link Overloaded} (a server answers 503), never queued without bound.
 *
 * <p>What each parameter costs here, on a 2-core machine with the width-2 model, is measured by
 * {@code tools/benchmark serve} and written up in docs/SERVING.md.
 */
public final class DynamicBatcher implements AutoCloseable {
  /** TF Serving's batching parameters, with its names (see its batching_parameters.txt). */
  public record Parameters(int maxBatchSize, long batchTimeoutMicros, int numBatchThreads, int maxEnqueuedBatches) {
    public Parameters {
      if (maxBatchSize < 1 || batchTimeoutMicros < 0 || numBatchThreads < 1 || maxEnqueuedBatches < 1) {
        throw new IllegalArgumentException("batching parameters must be positive (max_batch_size, num_batch_threads,"
            + " max_enqueued_batches) and batch_timeout_micros not negative");
      }
    }

    /**
     * The defaults: batches of up to 128 images, no waiting for company, a batch thread per core
     * (TF Serving's default too; on 2 cores, 64 connections: p99 37 ms against 56 ms with one), and
     * 16 batches' worth waiting at most (about half a second of work on 2 cores).
     */
    public static Parameters defaults() {
      return new Parameters(128, 0, Math.max(1, Runtime.getRuntime().availableProcessors()), 16);
    }

    /** Images that may wait at most. */
    long maxEnqueuedImages() {
      return (long) maxBatchSize * maxEnqueuedBatches;
    }
  }

  /** Runs one batch: {@code n} model inputs laid end to end in, their probabilities out. */
  @FunctionalInterface
  public interface Model {
    float[] run(float[] inputs, int n);
  }

  /** The queue is full: try again later (a server answers 503 with Retry-After). */
  public static final class Overloaded extends RejectedExecutionException {
    public Overloaded(String message) {
      super(message);
    }
  }

  /** One request: its inputs, how many of them are taken into batches so far, and its answer. */
  private static final class Task {
    final float[] inputs;
    final int n;
    final int perInput;
    final float[] out;
    final CompletableFuture<float[]> done = new CompletableFuture<>();
    int taken;
    int finished;

    Task(float[] inputs, int n, int perInput, int classes) {
      this.inputs = inputs;
      this.n = n;
      this.perInput = perInput;
      this.out = new float[n * classes];
    }
  }

  /** A slice of a task in a batch. */
  private record Slice(Task task, int from, int count) {}

  private final Parameters parameters;
  private final Model model;
  private final int perInput;
  private final int classes;
  private final Deque<Task> queue = new ArrayDeque<>();
  private final List<Thread> threads = new ArrayList<>();
  private long waitingImages;
  private boolean closed;
  private final BatchStats stats = new BatchStats();

  /**
   * @param perInput floats per input (784)
   * @param classes probabilities per input
   */
  public DynamicBatcher(Parameters parameters, Model model, int perInput, int classes, String name) {
    this.parameters = parameters;
    this.model = model;
    this.perInput = perInput;
    this.classes = classes;
    for (int i = 0; i < parameters.numBatchThreads(); i++) {
      Thread t = new Thread(this::batchLoop, name + "-batch-" + (i + 1));
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  public Parameters parameters() {
    return parameters;
  }

  /** Batch sizes run so far, and what waits now: for metrics. */
  public BatchStats stats() {
    return stats;
  }

  /**
   * Whether {@code n} more images would be queued now rather than refused: a caller with an
   * expensive step before {@link #submit} (parsing a large request) can refuse early instead.
   */
  public synchronized boolean hasRoom(long n) {
    return !closed && (waitingImages == 0 || waitingImages + n <= parameters.maxEnqueuedImages());
  }

  /** Images waiting to be batched now. */
  public synchronized long waitingImages() {
    return waitingImages;
  }

  /**
   * Queues {@code n} inputs for batching; the future completes with their probabilities.
   *
   * @throws Overloaded when the queue holds {@code max_enqueued_batches} batches' worth already
   */
  public CompletableFuture<float[]> submit(float[] inputs, int n) {
    if (inputs.length != n * perInput) {
      throw new IllegalArgumentException("expected " + n + " x " + perInput + " values, got " + inputs.length);
    }
    if (n == 0) {
      return CompletableFuture.completedFuture(new float[0]);
    }
    Task task = new Task(inputs, n, perInput, classes);
    synchronized (this) {
      if (closed) {
        throw new Overloaded("the model is closed");
      }
      if (waitingImages + n > parameters.maxEnqueuedImages() && waitingImages > 0) {
        throw new Overloaded("the inference queue is full (" + waitingImages + " images waiting, at most "
            + parameters.maxEnqueuedImages() + ")");
      }
      queue.addLast(task);
      waitingImages += n;
      notifyAll();
    }
    return task.done;
  }

  /** {@link #submit}, waiting for the answer. */
  public float[] run(float[] inputs, int n) {
    try {
      return submit(inputs, n).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for inference", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new CompletionException(cause);
    }
  }

  private void batchLoop() {
    while (true) {
      List<Slice> batch = nextBatch();
      if (batch == null) {
        return;
      }
      runBatch(batch);
    }
  }

  /** Waits for work, then takes up to max_batch_size images (waiting up to batch_timeout_micros to fill it). */
  private synchronized List<Slice> nextBatch() {
    while (queue.isEmpty() && !closed) {
      waitQuietly(0);
    }
    if (queue.isEmpty()) {
      return null;
    }
    long timeout = parameters.batchTimeoutMicros();
    if (timeout > 0) {
      long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(timeout);
      while (!closed && waitingImages < parameters.maxBatchSize()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        waitQuietly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
      if (queue.isEmpty()) {
        return List.of(); // another batch thread took it meanwhile
      }
    }
    List<Slice> batch = new ArrayList<>();
    int room = parameters.maxBatchSize();
    while (room > 0 && !queue.isEmpty()) {
      Task task = queue.peekFirst();
      int count = Math.min(room, task.n - task.taken);
      batch.add(new Slice(task, task.taken, count));
      task.taken += count;
      room -= count;
      waitingImages -= count;
      if (task.taken == task.n) {
        queue.removeFirst();
      }
    }
    return batch;
  }

  private void waitQuietly(long millis) {
    try {
      wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  private void runBatch(List<Slice> batch) {
    if (batch.isEmpty()) {
      return;
    }
    int n = batch.stream().mapToInt(Slice::count).sum();
    float[] inputs;
    if (batch.size() == 1 && batch.get(0).count() == batch.get(0).task().n) {
      inputs = batch.get(0).task().inputs; // one whole request: no copy
    } else {
      inputs = new float[n * perInput];
      int at = 0;
      for (Slice s : batch) {
        System.arraycopy(s.task().inputs, s.from() * perInput, inputs, at, s.count() * perInput);
        at += s.count() * perInput;
      }
    }
    float[] out;
    try {
      out = model.run(inputs, n);
    } catch (RuntimeException | Error e) {
      for (Slice s : batch) {
        s.task().done.completeExceptionally(e);
      }
      if (e instanceof Error && !(e instanceof OutOfMemoryError)) {
        throw (Error) e;
      }
      return;
    }
    stats.record(n);
    int at = 0;
    for (Slice s : batch) {
      Task t = s.task();
      System.arraycopy(out, at, t.out, s.from() * classes, s.count() * classes);
      at += s.count() * classes;
      boolean complete;
      synchronized (t) {
        t.finished += s.count();
        complete = t.finished == t.n;
      }
      if (complete) {
        t.done.complete(t.out);
      }
    }
  }

  /** Stops taking work; what is queued is refused; running batches finish. */
  @Override
  public void close() {
    List<Task> dropped;
    synchronized (this) {
      closed = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
      waitingImages = 0;
      notifyAll();
    }
    dropped.forEach(t -> t.done.completeExceptionally(new Overloaded("the model was closed")));
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** How many batches of each size ran: TF Serving's batch-size histogram. */
  public static final class BatchStats {
    /** Upper bounds of the histogram's buckets, as TF Serving's batching metrics use powers of two. */
    public static final int[] BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
    private final long[] counts = new long[BOUNDS.length + 1];
    private long batches;
    private long images;

    synchronized void record(int size) {
      int b = 0;
      while (b < BOUNDS.length && size > BOUNDS[b]) {
        b++;
      }
      counts[b]++;
      batches++;
      images += size;
    }

    /** Batches per bucket (the last is over the largest bound), not cumulative. */
    public synchronized long[] counts() {
      return counts.clone();
    }

    public synchronized long batches() {
      return batches;
    }

    public synchronized long images() {
      return images;
    }
  }
}
