package dev.digits.cli;

import dev.digits.predict.DynamicBatcher;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TF Serving's two configuration files that {@code Serve} reads, in protobuf's text format as TF
 * Serving writes them:
 *
 * <pre>
 * # --batching_parameters_file                 # --monitoring_config_file
 * max_batch_size { value: 128 }                prometheus_config {
 * batch_timeout_micros { value: 0 }              enable: true,
 * max_enqueued_batches { value: 16 }             path: "/monitoring/prometheus/metrics"
 * num_batch_threads { value: 1 }               }
 * </pre>
 */
final class TfServingConfig {
  private TfServingConfig() {}

  private static final Pattern WRAPPED = Pattern.compile("([a-z_]+)\\s*\\{\\s*value\\s*:\\s*([^}\\s]+)\\s*}");
  private static final java.util.List<String> KNOWN = java.util.List.of("max_batch_size", "batch_timeout_micros",
      "max_enqueued_batches", "num_batch_threads");

  /** The batching parameters in {@code file} over the defaults; the defaults when {@code file} is null. */
  static DynamicBatcher.Parameters batching(Path file) {
    DynamicBatcher.Parameters d = DynamicBatcher.Parameters.defaults();
    if (file == null) {
      return d;
    }
    String text = withoutComments(ServeCommand.read(file));
    Map<String, Long> values = new TreeMap<>();
    Matcher m = WRAPPED.matcher(text);
    while (m.find()) {
      String name = m.group(1);
      if (!KNOWN.contains(name)) {
        System.err.println("serve: " + file + ": " + name + " is not used here (only " + String.join(", ", KNOWN)
            + ")");
        continue;
      }
      try {
        values.put(name, Long.parseLong(m.group(2)));
      } catch (NumberFormatException e) {
        throw new UsageException(file + ": " + name + " needs a whole number, got " + m.group(2));
      }
    }
    if (values.isEmpty() && !text.isBlank()) {
      throw new UsageException(file + ": no batching parameter found (expected lines like 'max_batch_size { value: 128 }')");
    }
    try {
      return new DynamicBatcher.Parameters(
          (int) Math.min(Integer.MAX_VALUE, values.getOrDefault("max_batch_size", (long) d.maxBatchSize())),
          values.getOrDefault("batch_timeout_micros", d.batchTimeoutMicros()),
          (int) Math.min(1024, values.getOrDefault("num_batch_threads", (long) d.numBatchThreads())),
          (int) Math.min(Integer.MAX_VALUE, values.getOrDefault("max_enqueued_batches", (long) d.maxEnqueuedBatches())));
    } catch (IllegalArgumentException e) {
      throw new UsageException(file + ": " + e.getMessage());
    }
  }

  private static final Pattern PROMETHEUS = Pattern.compile("prometheus_config\\s*\\{([^}]*)}");
  private static final Pattern ENABLE = Pattern.compile("enable\\s*:\\s*(true|false)");
  private static final Pattern PATH = Pattern.compile("path\\s*:\\s*\"([^\"]*)\"");

  /**
   * Where the metrics are served: TF Serving's default path, unless {@code file} disables them
   * ({@code enable: false}, or no prometheus_config; then null) or names another path.
   */
  static String metricsPath(Path file) {
    String standard = "/monitoring/prometheus/metrics";
    if (file == null) {
      return standard;
    }
    Matcher config = PROMETHEUS.matcher(withoutComments(ServeCommand.read(file)));
    if (!config.find()) {
      return null;
    }
    Matcher enable = ENABLE.matcher(config.group(1));
    if (!enable.find() || enable.group(1).equals("false")) {
      return null;
    }
    Matcher path = PATH.matcher(config.group(1));
    String chosen = path.find() ? path.group(1) : standard;
    if (!chosen.startsWith("/") || chosen.startsWith("/v1/") || chosen.equals("/")) {
      throw new UsageException(file + ": the metrics path must start with '/' and not be '/' or under /v1/, got '"
          + chosen + "'");
    }
    return chosen;
  }

  private static String withoutComments(String text) {
    return text.replaceAll("#[^\\n]*", "");
  }
}
