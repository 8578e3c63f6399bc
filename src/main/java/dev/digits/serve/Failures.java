package dev.digits.serve;

import dev.digits.imaging.ImageException;
import dev.digits.predict.DynamicBatcher;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * How whatever a request's work throws becomes its answer: an API error its status, an image error
 * the status the endpoint gives it, a full queue or running out of memory 503 with Retry-After
 * (the server is overloaded, not broken: it goes on), anything else a JSON 500. Never an empty
 * answer, whatever was thrown, {@link Error}s included.
 */
final class Failures {
  /** Seconds a client refused with 503 is asked to wait before it tries again. */
  static final int RETRY_AFTER_SECONDS = 1;

  private Failures() {}

  /**
   * Runs a step of a request, turning whatever it throws into an answer: an API error its status,
   * an image error the status {@code imageStatus} gives, running out of memory a 503 (the server
   * is overloaded, not broken: it goes on), anything else a 500.
   */
  static void guarded(Answer ex, ThrowingRunnable step, Function<ImageException, Integer> imageStatus) {
    try {
      step.run();
    } catch (Throwable e) {
      answerFailure(ex, e, imageStatus);
    }
  }

  /** {@link #guarded} for work that may complete later: its failure is answered when it fails. */
  static CompletionStage<?> guardedAsync(Answer ex, java.util.concurrent.Callable<CompletionStage<?>> step,
      Function<ImageException, Integer> imageStatus) {
    CompletionStage<?> pending;
    try {
      pending = step.call();
    } catch (Throwable e) {
      answerFailure(ex, e, imageStatus);
      return null;
    }
    return pending == null ? null : pending.whenComplete((result, failure) -> {
      if (failure != null) {
        answerFailure(ex, failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause() : failure, imageStatus);
      }
    });
  }

  static void answerFailure(Answer ex, Throwable failure, Function<ImageException, Integer> imageStatus) {
    if (failure instanceof DynamicBatcher.Overloaded) {
      busy(ex);
    } else if (failure instanceof ApiException e) {
      ex.error(e.status, e.getMessage());
    } else if (failure instanceof ImageException e) {
      ex.error(imageStatus.apply(e), e.getMessage());
    } else if (failure instanceof OutOfMemoryError) {
      ex.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      ex.error(503, "out of memory: the server is overloaded; try again later");
    } else {
      ex.error(500, "internal error: " + failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** The answer to work that finds no room: 503, and when to try again. */
  static void busy(Answer ex) {
    ex.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    ex.error(503, "the server is busy: too much work in hand; try again in " + RETRY_AFTER_SECONDS + " s");
  }
}
