package dev.digits.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The batcher with a stand-in model whose "probabilities" are its inputs' first values (so every
 * answer shows which input it came from) and which records each batch's size; and then with the
 * bundled model, whose batched answers must be the unbatched ones.
 */
class DynamicBatcherTest {
  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private final CountDownLatch gate = new CountDownLatch(1);

  /** A model of one "class": the first value of each input; it waits at the gate before its first batch. */
  private float[] echo(float[] inputs, int n) {
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    batchSizes.add(n);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = inputs[i * 2];
    }
    return out;
  }

  private static float[] inputs(int first, int n) {
    float[] x = new float[2 * n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = first + i;
    }
    return x;
  }

  /** Waits until a batch thread has taken everything queued (it then waits at the gate). */
  private static void awaitTaken(DynamicBatcher b) throws InterruptedException {
    long end = System.nanoTime() + 5_000_000_000L;
    while (b.waitingImages() > 0 && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertEquals(0, b.waitingImages());
  }

  @Test
  void requestsWaitingTogetherRunAsOneBatchAndEachGetsItsOwnAnswers() throws Exception {
    try (DynamicBatcher b = new DynamicBatcher(new DynamicBatcher.Parameters(8, 0, 1, 10), this::echo, 2, 1, "t")) {
      CompletableFuture<float[]> first = b.submit(inputs(100, 1), 1); // taken at once; the model waits at the gate
      awaitTaken(b);
      List<CompletableFuture<float[]>> more = new ArrayList<>();
      for (int r = 0; r < 5; r++) {
        more.add(b.submit(inputs(10 * r, 2), 2)); // 10 images wait meanwhile: batches of 8 and 2
      }
      gate.countDown();
      assertArrayEquals(new float[] {100}, first.get(5, TimeUnit.SECONDS));
      for (int r = 0; r < 5; r++) {
        assertArrayEquals(new float[] {10 * r, 10 * r + 1}, more.get(r).get(5, TimeUnit.SECONDS));
      }
      assertEquals(List.of(1, 8, 2), batchSizes);
      assertEquals(11, b.stats().images());
      assertEquals(3, b.stats().batches());
    }
  }

  @Test
  void aRequestLargerThanABatchIsSplitAndReassembled() throws Exception {
    gate.countDown();
    try (DynamicBatcher b = new DynamicBatcher(new DynamicBatcher.Parameters(4, 0, 2, 10), this::echo, 2, 1, "t")) {
      float[] out = b.run(inputs(0, 10), 10);
      assertEquals(10, out.length);
      for (int i = 0; i < 10; i++) {
        assertEquals(i, out[i]);
      }
      assertTrue(batchSizes.stream().allMatch(n -> n <= 4), batchSizes.toString());
      assertEquals(10, batchSizes.stream().mapToInt(Integer::intValue).sum());
    }
  }

  @Test
  void aFullQueueRefusesAtOnce() throws Exception {
    try (DynamicBatcher b = new DynamicBatcher(new DynamicBatcher.Parameters(2, 0, 1, 2), this::echo, 2, 1, "t")) {
      CompletableFuture<float[]> running = b.submit(inputs(0, 2), 2); // in the model, at the gate
      awaitTaken(b);
      CompletableFuture<float[]> queued = b.submit(inputs(0, 4), 4); // two batches' worth: the queue is full
      assertThrows(DynamicBatcher.Overloaded.class, () -> b.submit(inputs(0, 1), 1));
      gate.countDown();
      running.get(5, TimeUnit.SECONDS);
      queued.get(5, TimeUnit.SECONDS);
      b.submit(inputs(0, 1), 1).get(5, TimeUnit.SECONDS); // room again
    }
  }

  @Test
  void aBatchTimeoutWaitsForCompanyUpToItsTime() throws Exception {
    gate.countDown();
    try (DynamicBatcher b = new DynamicBatcher(new DynamicBatcher.Parameters(4, 200_000, 1, 10), this::echo, 2, 1,
        "t")) {
      CompletableFuture<float[]> a = b.submit(inputs(0, 1), 1);
      Thread.sleep(50);
      CompletableFuture<float[]> c = b.submit(inputs(5, 1), 1);
      a.get(5, TimeUnit.SECONDS);
      c.get(5, TimeUnit.SECONDS);
      assertEquals(List.of(2), batchSizes, "the first waited for the second");
    }
  }

  @Test
  void batchedAnswersOfTheBundledModelAreItsUnbatchedOnes() throws Exception {
    try (Predictor plain = Predictor.load(dev.digits.TestData.BUNDLED_MODEL);
        Predictor batched = Predictor.load(dev.digits.TestData.BUNDLED_MODEL)
            .enableBatching(new DynamicBatcher.Parameters(16, 0, 2, 100))) {
      java.util.Random r = new java.util.Random(1);
      List<float[]> inputs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        float[] x = new float[784];
        for (int p = 0; p < 784; p++) {
          x[p] = r.nextFloat() < 0.2f ? r.nextFloat() : 0;
        }
        inputs.add(x);
      }
      List<CompletableFuture<List<Prediction>>> each = new ArrayList<>();
      for (float[] x : inputs) {
        each.add(CompletableFuture.supplyAsync(() -> batched.predictNormalized(List.of(x))));
      }
      for (int i = 0; i < inputs.size(); i++) {
        float[] expected = plain.predictNormalized(inputs.get(i)).probabilities();
        float[] got = each.get(i).get(10, TimeUnit.SECONDS).get(0).probabilities();
        for (int d = 0; d < 10; d++) {
          assertEquals(expected[d], got[d], 1e-5, "input " + i);
        }
      }
      assertEquals(40, batched.batcher().stats().images());
    }
  }
}
