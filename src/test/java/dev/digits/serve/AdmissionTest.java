package dev.digits.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared work budget: what fits runs, what does not waits briefly, in order, then is refused. */
class AdmissionTest {
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    clock.shutdownNow();
  }

  /** Work that records its start and then holds its budget until {@code release} opens. */
  private Runnable holding(String name, CountDownLatch started, CountDownLatch release) {
    return () -> {
      events.add("start " + name);
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  private Runnable refused(String name, CountDownLatch done) {
    return () -> {
      events.add("refused " + name);
      done.countDown();
    };
  }

  @Test
  void workThatDoesNotFitTheBudgetWaitsUntilItDoesAndIsNotOvertaken() throws Exception {
    try (Admission admission = new Admission(100, 4, 10, 10_000, clock)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch aStarted = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(2);
      admission.submit(70, holding("a", aStarted, release), refused("a", aStarted));
      assertTrue(aStarted.await(5, TimeUnit.SECONDS));
      admission.submit(50, holding("b", started, release), refused("b", started)); // waits: 70 + 50 > 100
      admission.submit(10, holding("c", started, release), refused("c", started)); // fits, but never overtakes b
      Thread.sleep(200);
      assertEquals(List.of("start a"), events, "c fits and a worker is free, yet it waits behind b");
      assertEquals(2, admission.queued());
      assertEquals(70, admission.bytesInUse());
      release.countDown();
      assertTrue(started.await(5, TimeUnit.SECONDS));
      assertEquals(java.util.Set.of("start a", "start b", "start c"), java.util.Set.copyOf(events));
    }
  }

  @Test
  void workOverTheWholeBudgetRunsAloneInsteadOfNever() throws Exception {
    try (Admission admission = new Admission(100, 4, 10, 10_000, clock)) {
      CountDownLatch done = new CountDownLatch(1);
      admission.submit(5_000, () -> {
        events.add("ran with " + admission.bytesInUse());
        done.countDown();
      }, refused("big", done));
      assertTrue(done.await(5, TimeUnit.SECONDS));
      assertEquals(List.of("ran with 100"), events);
    }
  }

  @Test
  void aFullQueueRefusesAtOnceAndAWaitTooLongIsRefusedAtItsDeadline() throws Exception {
    try (Admission admission = new Admission(100, 1, 1, 300, clock)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      admission.submit(1, holding("running", started, release), refused("running", started));
      assertTrue(started.await(5, TimeUnit.SECONDS));
      CountDownLatch waited = new CountDownLatch(1);
      long t0 = System.nanoTime();
      admission.submit(1, holding("queued", new CountDownLatch(1), release), refused("queued", waited));
      CountDownLatch full = new CountDownLatch(1);
      admission.submit(1, holding("third", new CountDownLatch(1), release), refused("third", full));
      assertTrue(full.await(1, TimeUnit.SECONDS));
      assertEquals("refused third", events.get(1), "the queue of one was full: refused without waiting");
      assertTrue(waited.await(5, TimeUnit.SECONDS));
      assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300), "refused only at its deadline");
      assertEquals(List.of("start running", "refused third", "refused queued"), events);
      release.countDown();
    }
  }

  @Test
  void workersAreBoundedWhateverTheBudget() throws Exception {
    try (Admission admission = new Admission(1_000_000, 2, 10, 10_000, clock)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(3);
      for (String name : List.of("a", "b", "c")) {
        admission.submit(1, holding(name, started, release), refused(name, started));
      }
      Thread.sleep(200);
      assertEquals(2, admission.running());
      assertEquals(1, admission.queued());
      release.countDown();
      assertTrue(started.await(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void closingRefusesWhatIsQueued() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch refusedOne = new CountDownLatch(1);
    Admission admission = new Admission(100, 1, 10, 10_000, clock);
    CountDownLatch started = new CountDownLatch(1);
    admission.submit(1, holding("running", started, release), refused("running", started));
    assertTrue(started.await(5, TimeUnit.SECONDS));
    admission.submit(1, holding("queued", new CountDownLatch(1), release), refused("queued", refusedOne));
    admission.close();
    assertTrue(refusedOne.await(1, TimeUnit.SECONDS));
    release.countDown();
    assertTrue(admission.awaitIdle(5000));
    CountDownLatch after = new CountDownLatch(1);
    admission.submit(1, () -> events.add("ran after close"), refused("after", after));
    assertTrue(after.await(1, TimeUnit.SECONDS));
    assertEquals(List.of("start running", "refused queued", "refused after"), events);
  }
}
