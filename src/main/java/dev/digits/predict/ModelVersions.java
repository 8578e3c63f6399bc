package dev.digits.predict;

import dev.digits.export.WarmupRequests;
import dev.digits.model.ModelContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The versions of one model that are served, as TF Serving manages them: a base path of
 * integer-named version folders is polled; a version the policy wants is loaded in the
 * background, warmed up (its {@code assets.extra/tf_serving_warmup_requests} replayed), and only
 * then made AVAILABLE; a version the policy no longer wants is taken out of service at once, and
 * closed when the last request that holds it ends. A request holds the version it runs on with a
 * {@link Lease}, so none fails because a version went away under it.
 *
 * <p>A folder is loaded once it looks whole (a saved_model.pb and a variables index) and has not
 * changed between two polls: a version still being copied in is not loaded half-written. A
 * version that fails to load is reported (END, with the error), passed over by the policy (the
 * latest version that loads is served), and tried again when its files change.
 */
public final class ModelVersions implements AutoCloseable {
  /** TF Serving's version states. */
  public enum State {
    START,
    LOADING,
    AVAILABLE,
    UNLOADING,
    END
  }

  /** One version's state, and its error when it failed to load ("" otherwise). */
  public record Status(long version, State state, String error) {}

  /** Which versions to serve: TF Serving's model_version_policy. */
  public sealed interface Policy {
    /** The {@code n} highest versions (TF Serving's default: 1). */
    record Latest(int n) implements Policy {}

    /** Every version in the base path. */
    record All() implements Policy {}

    /** Exactly these versions. */
    record Specific(Set<Long> versions) implements Policy {}

    /** The versions of {@code present} (ascending) that this policy serves. */
    default Set<Long> choose(Set<Long> present) {
      if (this instanceof Specific s) {
        Set<Long> out = new TreeSet<>(present);
        out.retainAll(s.versions());
        return out;
      }
      if (this instanceof Latest l) {
        List<Long> all = new ArrayList<>(present);
        return new TreeSet<>(all.subList(Math.max(0, all.size() - l.n()), all.size()));
      }
      return new TreeSet<>(present);
    }
  }

  /** What happens to versions, for metrics and logs. */
  public interface Listener {
    void loaded(long version, boolean ok, double seconds, String error);

    void unloaded(long version);
  }

  /** A request's hold on a version: it stays loaded until every lease on it is closed. */
  public static final class Lease implements AutoCloseable {
    private final Servable servable;
    private boolean closed;

    private Lease(Servable servable) {
      this.servable = servable;
    }

    public Predictor predictor() {
      return servable.predictor;
    }

    public long version() {
      return servable.version;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        servable.release();
      }
    }
  }

  /** One loaded version and the leases on it; closed by the last one out once it is retired. */
  private static final class Servable {
    final long version;
    final Predictor predictor;
    final boolean owned;
    final AtomicInteger leases = new AtomicInteger(1); // the manager's own, given up when retired
    volatile Runnable onClosed = () -> {};

    Servable(long version, Predictor predictor, boolean owned) {
      this.version = version;
      this.predictor = predictor;
      this.owned = owned;
    }

    boolean tryAcquire() {
      while (true) {
        int n = leases.get();
        if (n == 0) {
          return false;
        }
        if (leases.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (leases.decrementAndGet() == 0) {
        if (owned) {
          predictor.close();
        }
        onClosed.run();
      }
    }
  }

  private final Path basePath;
  private final Policy policy;
  private final DynamicBatcher.Parameters batching;
  private final Listener listener;
  private final long pollMillis;
  /** AVAILABLE versions, replaced whole on every change (readers never lock). */
  private volatile TreeMap<Long, Servable> available = new TreeMap<>();
  private final Map<Long, Status> statuses = Collections.synchronizedMap(new TreeMap<>());
  /** Each folder's fingerprint when last seen, and when it last failed to load. */
  private final Map<Long, String> seen = new TreeMap<>();
  private final Map<Long, String> failed = new TreeMap<>();
  private final Thread poller;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong loadsOk = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong loadsFailed = new java.util.concurrent.atomic.AtomicLong();

  private ModelVersions(Path basePath, Policy policy, long pollMillis, DynamicBatcher.Parameters batching,
      Listener listener) {
    this.basePath = basePath;
    this.policy = policy;
    this.pollMillis = pollMillis;
    this.batching = batching;
    this.listener = listener;
    this.poller = pollMillis > 0 ? new Thread(this::pollLoop, "digits-versions") : null;
  }

  /**
   * Serves the versions under {@code basePath} that {@code policy} wants: polls once now (loading,
   * warming, then returning), then every {@code pollMillis} in the background (0: never again).
   *
   * @param batching each version's batching, or null for none
   */
  public static ModelVersions watch(Path basePath, Policy policy, long pollMillis, DynamicBatcher.Parameters batching,
      Listener listener) {
    ModelVersions versions = new ModelVersions(basePath, policy, pollMillis, batching, listener);
    versions.poll();
    if (versions.poller != null) {
      versions.poller.setDaemon(true);
      versions.poller.start();
    }
    return versions;
  }

  /** One predictor as one version, never polled; the caller keeps it (closing this does not close it). */
  public static ModelVersions fixed(Predictor predictor, long version) {
    return fixed(predictor, version, false);
  }

  /** One predictor as one version, never polled; with {@code owned}, closed when the version is closed. */
  public static ModelVersions fixed(Predictor predictor, long version, boolean owned) {
    ModelVersions versions = new ModelVersions(predictor.modelDir(), new Policy.Specific(Set.of(version)), 0, null,
        null);
    TreeMap<Long, Servable> one = new TreeMap<>();
    one.put(version, new Servable(version, predictor, owned));
    versions.available = one;
    versions.statuses.put(version, new Status(version, State.AVAILABLE, ""));
    return versions;
  }

  /** A lease on the highest AVAILABLE version ({@code version} null) or on that version; null when there is none. */
  public Lease acquire(Long version) {
    while (true) {
      TreeMap<Long, Servable> now = available;
      Servable s = version == null ? (now.isEmpty() ? null : now.lastEntry().getValue()) : now.get(version);
      if (s == null) {
        return null;
      }
      if (s.tryAcquire()) {
        return new Lease(s);
      }
      // retired between the look-up and the lease: look again
    }
  }

  /** Every version seen, with its state, lowest first. */
  public List<Status> status() {
    synchronized (statuses) {
      return List.copyOf(statuses.values());
    }
  }

  /** Loads that succeeded and that failed since the start: for metrics. */
  public long[] loads() {
    return new long[] {loadsOk.get(), loadsFailed.get()};
  }

  /** Calls {@code each} with every AVAILABLE version and its predictor (for metrics: their batchers). */
  public void forEachAvailable(java.util.function.BiConsumer<Long, Predictor> each) {
    available.forEach((v, s) -> each.accept(v, s.predictor));
  }

  /** Whether some version is AVAILABLE: the model is ready. */
  public boolean ready() {
    return !available.isEmpty();
  }

  private void pollLoop() {
    while (!closed) {
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        return;
      }
      if (!closed) {
        poll();
      }
    }
  }

  /** One look at the base path: load what is wanted and whole, retire what is no longer wanted. */
  synchronized void poll() {
    Map<Long, String> whole = wholeVersions();
    Set<Long> stable = new TreeSet<>();
    for (Map.Entry<Long, String> e : whole.entrySet()) {
      if (e.getValue().equals(seen.get(e.getKey()))) {
        stable.add(e.getKey()); // unchanged since the last look: not being copied in
      }
    }
    seen.clear();
    seen.putAll(whole);
    if (available.isEmpty() && statuses.isEmpty()) {
      stable.addAll(whole.keySet()); // at start, what is there is taken as it is (TF Serving does the same)
    }
    // A version that failed to load, and has not changed since, is passed over: the policy chooses
    // among the others, so a broken new export leaves the one before it serving.
    Set<Long> candidates = new TreeSet<>(whole.keySet());
    candidates.removeIf(v -> whole.get(v).equals(failed.get(v)));
    Set<Long> wanted = policy.choose(candidates);
    for (long v : wanted) {
      if (!available.containsKey(v) && stable.contains(v) && !closed) {
        load(v, whole.get(v));
      }
    }
    if (!wanted.isEmpty() && wanted.stream().anyMatch(v -> whole.get(v).equals(failed.get(v)))) {
      poll(); // what was wanted failed just now: choose again among the rest
      return;
    }
    // Retire what is no longer wanted, but never the last AVAILABLE version before a wanted one is up.
    Set<Long> wantedUp = new TreeSet<>(available.keySet());
    wantedUp.retainAll(wanted);
    if (!wantedUp.isEmpty()) {
      for (long v : new ArrayList<>(available.keySet())) {
        if (!wanted.contains(v)) {
          retire(v);
        }
      }
    }
  }

  /** Loads, warms and publishes a version. */
  private void load(long version, String fingerprint) {
    statuses.put(version, new Status(version, State.LOADING, ""));
    long t0 = System.nanoTime();
    Predictor predictor = null;
    try {
      Path dir = basePath.resolve(Long.toString(version));
      predictor = Predictor.load(dir);
      if (batching != null) {
        predictor.enableBatching(batching);
      }
      warmUp(predictor, dir);
      TreeMap<Long, Servable> next = new TreeMap<>(available);
      next.put(version, new Servable(version, predictor, true));
      available = next;
      statuses.put(version, new Status(version, State.AVAILABLE, ""));
      failed.remove(version);
      loadsOk.incrementAndGet();
      if (listener != null) {
        listener.loaded(version, true, (System.nanoTime() - t0) / 1e9, "");
      }
    } catch (RuntimeException | IOException | Error e) {
      if (predictor != null) {
        predictor.close();
      }
      if (e instanceof Error && !(e instanceof OutOfMemoryError)) {
        throw (Error) e;
      }
      String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      failed.put(version, fingerprint);
      loadsFailed.incrementAndGet();
      statuses.put(version, new Status(version, State.END, error));
      if (listener != null) {
        listener.loaded(version, false, (System.nanoTime() - t0) / 1e9, error);
      }
    }
  }

  /**
   * Replays the version's warm-up requests, then one full batch, then loads the number reader's
   * one-digit model: the first requests after AVAILABLE cost what later ones do.
   */
  static void warmUp(Predictor predictor, Path dir) throws IOException {
    List<WarmupRequests.Request> requests = WarmupRequests.read(dir);
    List<float[]> images = new ArrayList<>();
    for (WarmupRequests.Request r : requests) {
      predictor.probabilities(r.images(), r.count());
      for (int i = 0; i < r.count() && images.size() < 1024; i++) {
        float[] one = new float[ModelContract.PIXELS];
        System.arraycopy(r.images(), i * ModelContract.PIXELS, one, 0, ModelContract.PIXELS);
        images.add(one);
      }
    }
    if (images.isEmpty()) {
      images.add(new float[ModelContract.PIXELS]);
    }
    DynamicBatcher b = predictor.batcher();
    int full = b == null ? 1 : b.parameters().maxBatchSize();
    float[] batch = new float[full * ModelContract.PIXELS];
    for (int i = 0; i < full; i++) {
      System.arraycopy(images.get(i % images.size()), 0, batch, i * ModelContract.PIXELS, ModelContract.PIXELS);
    }
    predictor.probabilities(batch, full);
    predictor.predictEach(List.of(List.of(images.get(0), images.get(0), images.get(0))));
  }

  /** Takes a version out of service now; it closes when its last lease does. */
  private void retire(long version) {
    TreeMap<Long, Servable> next = new TreeMap<>(available);
    Servable s = next.remove(version);
    if (s == null) {
      return;
    }
    available = next;
    statuses.put(version, new Status(version, State.UNLOADING, ""));
    s.onClosed = () -> {
      statuses.put(version, new Status(version, State.END, ""));
      if (listener != null) {
        listener.unloaded(version);
      }
    };
    s.release(); // the manager's own lease
  }

  /** The whole version folders under the base path, each with a fingerprint of its files (names, sizes, times). */
  private Map<Long, String> wholeVersions() {
    Map<Long, String> out = new TreeMap<>();
    if (!Files.isDirectory(basePath)) {
      return out;
    }
    try (Stream<Path> entries = Files.list(basePath)) {
      for (Path dir : entries.toList()) {
        String name = dir.getFileName().toString();
        if (!name.matches("[0-9]{1,18}") || !Files.isRegularFile(dir.resolve(ModelContract.SAVED_MODEL_FILE))
            || !Files.isRegularFile(dir.resolve("variables/variables.index"))) {
          continue;
        }
        out.put(Long.parseLong(name), fingerprint(dir));
      }
    } catch (IOException e) {
      // the base path went away or cannot be read now: nothing changes until it can
      return Map.copyOf(seen);
    }
    return out;
  }

  private static String fingerprint(Path dir) throws IOException {
    StringBuilder f = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted().toList()) {
        if (Files.isRegularFile(p)) {
          f.append(dir.relativize(p)).append(':').append(Files.size(p)).append(':')
              .append(Files.getLastModifiedTime(p).toMillis()).append(';');
        }
      }
    }
    return f.toString();
  }

  /** Stops polling, takes every version out of service, and closes each when its last request ends. */
  @Override
  public void close() {
    closed = true;
    if (poller != null) {
      poller.interrupt();
      try {
        poller.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      for (long v : new ArrayList<>(available.keySet())) {
        retire(v);
      }
    }
  }
}
