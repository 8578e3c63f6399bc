package dev.digits.serve;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body without holding a thread, within a size limit and a deadline.
 *
 * <ul>
 *   <li>Size: a body over the limit is refused with 413. Up to four times the limit is read and
 *       discarded first: answering while the client is still sending makes TCP reset the
 *       connection, and the client would never see the 413.
 *   <li>Time: after a grace period the body must keep up a minimum data rate, and it must be complete
 *       within a total time; otherwise 408 and the connection is closed. Unlike the idle timeout,
 *       which any byte resets, this stops a client that sends one byte every few seconds.
 * </ul>
 *
 * Waiting for bytes is a Jetty demand callback, not a blocked thread: slow clients cost a
 * connection and their bytes so far, never a worker.
 */
final class BodyReader implements Runnable {
  /** Deadlines for request bodies. */
  record Limits(int maxBytes, long minBytesPerSecond, long graceMillis, long maxMillis) {}

  private final Exchange ex;
  private final Limits limits;
  private final Consumer<byte[]> then;
  private final AtomicBoolean done = new AtomicBoolean();
  private final long start = System.nanoTime();
  private final long declared;
  private byte[] bytes = new byte[1024];
  private volatile long received;
  private boolean discarding;
  /** When set, the body is read only to be discarded, and this answers it instead of a 413. */
  private Runnable refusal;
  private ScheduledFuture<?> watchdog;

  private BodyReader(Exchange ex, Limits limits, long declared, Consumer<byte[]> then) {
    this.ex = ex;
    this.limits = limits;
    this.declared = declared;
    this.then = then;
  }

  /**
   * Reads the body of {@code ex}, then hands it to {@code then} (on whichever thread read its last
   * bytes); answers 400, 408 or 413 itself when the body is refused.
   */
  static void read(Exchange ex, Limits limits, ScheduledExecutorService clock, Consumer<byte[]> then) {
    read(ex, limits, clock, length -> null, then);
  }

  /**
   * {@link #read(Exchange, Limits, ScheduledExecutorService, Consumer)}, asking {@code refuse} first
   * with the declared length: when it returns an answer, the body is read only to be discarded (no
   * memory kept for it) and that answer is given; a server refusing work it has no room for need
   * not hold the body to say so.
   */
  static void read(Exchange ex, Limits limits, ScheduledExecutorService clock,
      java.util.function.LongFunction<Runnable> refuse, Consumer<byte[]> then) {
    String length = ex.header("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw new ApiException(400, "bad Content-Length");
      }
    }
    BodyReader reader = new BodyReader(ex, limits, declared, then);
    if (declared > 4L * limits.maxBytes()) { // not worth reading to say no
      reader.refuseTooLarge();
      return;
    }
    reader.discarding = declared > limits.maxBytes();
    if (!reader.discarding && declared > 0) {
      reader.refusal = refuse.apply(declared);
      reader.discarding = reader.refusal != null;
    }
    if (declared > 0 && !reader.discarding) {
      reader.bytes = new byte[(int) declared]; // the size it says: no copies while it grows
    }
    reader.watchdog = clock.scheduleAtFixedRate(reader::checkDeadline, 250, 250, TimeUnit.MILLISECONDS);
    reader.run();
  }

  /** Reads what has arrived, then asks Jetty to call again when more does. */
  @Override
  public void run() {
    while (!done.get()) {
      Content.Chunk chunk = ex.request.read();
      if (chunk == null) {
        ex.request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        if (finish()) {
          ex.error(400, "the request body could not be read: " + chunk.getFailure().getMessage());
        }
        return;
      }
      try {
        append(chunk.getByteBuffer());
      } finally {
        chunk.release();
      }
      if (discarding && received > 4L * limits.maxBytes()) {
        refuseTooLarge();
        return;
      }
      if (chunk.isLast()) {
        if (!finish()) {
          return;
        }
        if (refusal != null) {
          refusal.run();
        } else if (discarding) {
          ex.setHeader("Connection", "close");
          ex.error(413, "request body over the limit of " + limits.maxBytes() + " bytes");
        } else if (received == 0) {
          ex.error(400, "empty request body");
        } else {
          then.accept(received == bytes.length ? bytes : Arrays.copyOf(bytes, (int) received));
        }
        return;
      }
    }
  }

  private void append(ByteBuffer buffer) {
    int n = buffer.remaining();
    long total = received + n;
    if (!discarding && total > limits.maxBytes()) {
      discarding = true;
      bytes = null;
    }
    if (!discarding) {
      if (total > bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(limits.maxBytes(), Math.max(total, 2L * bytes.length)));
      }
      buffer.get(bytes, (int) received, n);
    }
    received = total;
  }

  private void refuseTooLarge() {
    if (finish()) {
      ex.setHeader("Connection", "close");
      ex.error(413, "request body over the limit of " + limits.maxBytes() + " bytes");
    }
  }

  /** Too slow for the minimum rate after the grace period, or not done within the total time: 408. */
  private void checkDeadline() {
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    long expected = limits.minBytesPerSecond() * Math.max(0, elapsedMillis - limits.graceMillis()) / 1000;
    if (declared >= 0) {
      expected = Math.min(expected, declared);
    }
    boolean tooSlow = received < expected;
    if ((tooSlow || elapsedMillis > limits.maxMillis()) && finish()) {
      ex.setHeader("Connection", "close");
      ex.error(408, String.format(java.util.Locale.ROOT, "request body too slow: %d bytes in %.1f s (at least %d bytes/s "
          + "after the first %.1f s, and all of it within %d s)", received, elapsedMillis / 1000.0,
          limits.minBytesPerSecond(), limits.graceMillis() / 1000.0, limits.maxMillis() / 1000));
    }
  }

  /** Ends reading: true for the one caller that got here first. */
  private boolean finish() {
    if (!done.compareAndSet(false, true)) {
      return false;
    }
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    return true;
  }
}
