package dev.digits.spark;

import dev.digits.predict.Predictor;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One model per executor JVM, shared by all its tasks: a SavedModel costs about half a second and
 * 100-200 MB of native memory to load, so it is loaded by the first task that needs it and kept
 * until the JVM exits (a shutdown hook closes it). {@link Predictor} is thread-safe, so tasks
 * running side by side share its session.
 */
final class ExecutorModel {
  private static final Map<String, Predictor> LOADED = new ConcurrentHashMap<>();

  private ExecutorModel() {}

  /**
   * The model known as {@code key} (where the driver found it, and when it was written), loaded from
   * {@code dir} (a SavedModel folder on this machine) by the first task that asks, in this JVM.
   */
  static Predictor get(String key, java.util.function.Supplier<Path> dir) {
    return LOADED.computeIfAbsent(key, k -> {
      Predictor p = Predictor.load(dir.get());
      Runtime.getRuntime().addShutdownHook(new Thread(p::close, "digits-spark-model-close"));
      return p;
    });
  }

  /** How many models this JVM has loaded (one per model folder): what the tests check. */
  static int loadedCount() {
    return LOADED.size();
  }
}
