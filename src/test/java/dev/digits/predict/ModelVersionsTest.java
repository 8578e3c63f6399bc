package dev.digits.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.model.ModelContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions that come and go under a base path, with copies of the bundled model as the versions. */
class ModelVersionsTest {
  @TempDir Path base;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ModelVersions.Listener listener = new ModelVersions.Listener() {
    @Override
    public void loaded(long version, boolean ok, double seconds, String error) {
      events.add((ok ? "loaded " : "failed ") + version);
    }

    @Override
    public void unloaded(long version) {
      events.add("unloaded " + version);
    }
  };

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "waited 20 s for: " + what);
      Thread.sleep(20);
    }
  }

  private static ModelVersions.State state(ModelVersions v, long version) {
    return v.status().stream().filter(s -> s.version() == version).map(ModelVersions.Status::state).findFirst()
        .orElse(null);
  }

  @Test
  void aNewVersionIsLoadedWarmedAndSwappedInWhileRequestsOnTheOldOneFinish() throws Exception {
    TestData.copyBundledModel(base.resolve("1"));
    try (ModelVersions versions = ModelVersions.watch(base, new ModelVersions.Policy.Latest(1), 100,
        DynamicBatcher.Parameters.defaults(), listener)) {
      assertEquals(List.of(new ModelVersions.Status(1, ModelVersions.State.AVAILABLE, "")), versions.status());
      ModelVersions.Lease onOne = versions.acquire(null);
      assertEquals(1, onOne.version());

      TestData.copyBundledModel(base.resolve("2"));
      await(() -> state(versions, 2) == ModelVersions.State.AVAILABLE, "version 2 AVAILABLE");
      try (ModelVersions.Lease latest = versions.acquire(null)) {
        assertEquals(2, latest.version(), "new requests go to the new version");
      }
      // Version 2 is published before version 1 is retired (availability first, as TF Serving's
      // policy): for a moment both take requests.
      await(() -> state(versions, 1) == ModelVersions.State.UNLOADING, "version 1 retired, held by a request");
      assertNull(versions.acquire(1L), "the old one takes no new requests");
      float[] input = new float[ModelContract.PIXELS];
      assertEquals(10, onOne.predictor().predictNormalized(input).probabilities().length, "and still answers");
      onOne.close();
      await(() -> state(versions, 1) == ModelVersions.State.END, "version 1 END once its last request ended");
      assertEquals(List.of("loaded 1", "loaded 2", "unloaded 1"), events);
    }
  }

  @Test
  void aFolderStillBeingCopiedInIsNotLoadedUntilItStopsChanging() throws Exception {
    TestData.copyBundledModel(base.resolve("1"));
    try (ModelVersions versions = ModelVersions.watch(base, new ModelVersions.Policy.Latest(1), 300, null, listener)) {
      Path two = base.resolve("2");
      Files.createDirectories(two.resolve("variables"));
      Files.copy(TestData.BUNDLED_MODEL.resolve(ModelContract.SAVED_MODEL_FILE), two.resolve(ModelContract.SAVED_MODEL_FILE));
      Files.copy(TestData.BUNDLED_MODEL.resolve("variables/variables.index"), two.resolve("variables/variables.index"));
      // The weights arrive in pieces, each a little later than a poll.
      byte[] data = Files.readAllBytes(TestData.BUNDLED_MODEL.resolve("variables/variables.data-00000-of-00001"));
      Path weights = two.resolve("variables/variables.data-00000-of-00001");
      int pieces = 4;
      for (int i = 0; i < pieces; i++) {
        Files.write(weights, java.util.Arrays.copyOfRange(data, i * data.length / pieces, (i + 1) * data.length / pieces),
            i == 0 ? new java.nio.file.OpenOption[0] : new java.nio.file.OpenOption[] {java.nio.file.StandardOpenOption.APPEND});
        Thread.sleep(200);
        assertTrue(state(versions, 2) == null, "not loaded while its files change");
      }
      await(() -> state(versions, 2) == ModelVersions.State.AVAILABLE, "version 2 once whole");
      await(() -> state(versions, 1) == ModelVersions.State.END, "version 1 unloaded");
      assertEquals(List.of("loaded 1", "loaded 2", "unloaded 1"), events, "never a failed load of a half copy");
    }
  }

  @Test
  void aVersionThatFailsToLoadIsReportedAndTriedAgainWhenItChanges() throws Exception {
    TestData.copyBundledModel(base.resolve("1"));
    Path two = base.resolve("2");
    TestData.copyBundledModel(two);
    Files.write(two.resolve(ModelContract.SAVED_MODEL_FILE), new byte[] {1, 2, 3});
    try (ModelVersions versions = ModelVersions.watch(base, new ModelVersions.Policy.Latest(1), 100, null, listener)) {
      ModelVersions.Status failed = versions.status().stream().filter(s -> s.version() == 2).findFirst().orElseThrow();
      assertEquals(ModelVersions.State.END, failed.state());
      assertTrue(!failed.error().isEmpty(), "the error is reported");
      try (ModelVersions.Lease lease = versions.acquire(null)) {
        assertNotNull(lease, "the good version serves meanwhile");
        assertEquals(1, lease.version());
      }
      Thread.sleep(400);
      assertEquals(List.of("failed 2", "loaded 1"), events.stream().sorted().toList(), "not retried while unchanged");
      Files.copy(TestData.BUNDLED_MODEL.resolve(ModelContract.SAVED_MODEL_FILE), two.resolve(ModelContract.SAVED_MODEL_FILE),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      await(() -> state(versions, 2) == ModelVersions.State.AVAILABLE, "version 2 once mended");
    }
  }

  @Test
  void policiesChooseAsTfServingsDo() {
    Set<Long> present = new TreeSet<>(List.of(1L, 3L, 7L));
    assertEquals(Set.of(7L), new ModelVersions.Policy.Latest(1).choose(present));
    assertEquals(Set.of(3L, 7L), new ModelVersions.Policy.Latest(2).choose(present));
    assertEquals(present, new ModelVersions.Policy.All().choose(present));
    assertEquals(Set.of(3L), new ModelVersions.Policy.Specific(Set.of(3L, 4L)).choose(present));
  }

  @Test
  void warmUpReplaysTheVersionsWarmupRequests() throws Exception {
    TestData.copyBundledModel(base.resolve("1"));
    dev.digits.export.WarmupRequests.write(base.resolve("1"), "digits", List.of(new float[ModelContract.PIXELS]), 1, 5);
    try (ModelVersions versions = ModelVersions.watch(base, new ModelVersions.Policy.Latest(1), 0,
        new DynamicBatcher.Parameters(16, 0, 1, 10), listener)) {
      try (ModelVersions.Lease lease = versions.acquire(null)) {
        DynamicBatcher.BatchStats stats = lease.predictor().batcher().stats();
        // 1 and 5 from the file, a full batch of 16, and the first reading of one image with its refits.
        assertTrue(stats.images() >= 1 + 5 + 16 + 1, "images run in warm-up: " + stats.images());
      }
    }
  }
}
