package dev.digits.serve;

import dev.digits.predict.DynamicBatcher;
import dev.digits.predict.ModelVersions;

/**
 * What the server tells Prometheus: every answer (a histogram of the time to answer per API and
 * HTTP status; per TF Serving status for the model's APIs), and at each scrape the work in hand,
 * the inference queues and batch sizes, and the versions' loads and states.
 */
final class ServerMetrics {
  private final Metrics metrics = new Metrics();
  private final String modelName;
  private final ModelVersions versions;
  private final DigitServer server;

  ServerMetrics(String modelName, ModelVersions versions, DigitServer server) {
    this.modelName = modelName;
    this.versions = versions;
    this.server = server;
    registerGauges();
  }

  /** The scrape. */
  String render() {
    return metrics.render();
  }

  /**
   * Every answer, for the metrics: a histogram of the time to answer per API and HTTP status, and
   * for the model's APIs a count per TF Serving status (what its request_count counts).
   */
  void record(String api, int status, double seconds) {
    metrics.observe("digits_request_duration_seconds", "Requests by API and HTTP status, and their time to answer.",
        Metrics.SECOND_BUCKETS, Metrics.labels("model_name", modelName, "api", api, "code", Integer.toString(status)),
        seconds);
    if (api.equals("predict") || api.equals("classify") || api.equals("read")) {
      metrics.count("digits_requests_total", "Model requests by API and TF Serving status (its request_count).",
          Metrics.labels("model_name", modelName, "api", api, "status", tfServingStatus(status)), 1);
    }
  }

  /** TF Serving's status names for an HTTP status (its error codes, as its REST API maps them). */
  private static String tfServingStatus(int http) {
    return switch (http) {
      case 200 -> "OK";
      case 400, 405, 413, 422 -> "INVALID_ARGUMENT";
      case 404 -> "NOT_FOUND";
      case 408 -> "DEADLINE_EXCEEDED";
      case 503 -> "RESOURCE_EXHAUSTED";
      default -> "INTERNAL";
    };
  }

  /** The gauges computed at scrape time: work in hand, inference queues and batch sizes, versions. */
  private void registerGauges() {
    metrics.gauge(() -> {
      String m = Metrics.labels("model_name", modelName);
      DigitServer.Load load = server.load();
      StringBuilder g = new StringBuilder();
      gauge(g, "digits_work_queued", "Requests waiting for the work budget or a worker.", m, load.queued());
      gauge(g, "digits_work_running", "Requests being decoded, preprocessed or inferred.", m, load.running());
      gauge(g, "digits_work_bytes", "Memory the work in hand holds, as estimated when admitted.", m, load.bytesInUse());
      gauge(g, "digits_requests_in_flight", "Requests received and not yet answered.", m, server.inFlight());
      long[] loads = versions.loads();
      g.append("# HELP digits_model_loads_total Version loads (with warm-up), by result.\n")
          .append("# TYPE digits_model_loads_total counter\n")
          .append("digits_model_loads_total").append(Metrics.labels("model_name", modelName, "result", "ok"))
          .append(' ').append(loads[0]).append('\n')
          .append("digits_model_loads_total").append(Metrics.labels("model_name", modelName, "result", "error"))
          .append(' ').append(loads[1]).append('\n');
      g.append("# HELP digits_model_version_state Each version's state (1 for the state it is in).\n")
          .append("# TYPE digits_model_version_state gauge\n");
      for (ModelVersions.Status v : versions.status()) {
        g.append("digits_model_version_state").append(Metrics.labels("model_name", modelName, "version",
            Long.toString(v.version()), "state", v.state().name())).append(" 1\n");
      }
      StringBuilder queue = new StringBuilder();
      StringBuilder sizes = new StringBuilder();
      versions.forEachAvailable((version, predictor) -> {
        DynamicBatcher b = predictor.batcher();
        if (b == null) {
          return;
        }
        String vl = Metrics.labels("model_name", modelName, "version", Long.toString(version));
        queue.append("digits_inference_queue_images").append(vl).append(' ').append(b.waitingImages()).append('\n');
        long[] counts = b.stats().counts();
        long cumulative = 0;
        String inner = vl.substring(1, vl.length() - 1);
        for (int i = 0; i < DynamicBatcher.BatchStats.BOUNDS.length; i++) {
          cumulative += counts[i];
          sizes.append("digits_batch_size_bucket{").append(inner).append(",le=\"")
              .append(DynamicBatcher.BatchStats.BOUNDS[i]).append("\"} ").append(cumulative).append('\n');
        }
        sizes.append("digits_batch_size_bucket{").append(inner).append(",le=\"+Inf\"} ").append(b.stats().batches())
            .append('\n');
        sizes.append("digits_batch_size_sum").append(vl).append(' ').append(b.stats().images()).append('\n');
        sizes.append("digits_batch_size_count").append(vl).append(' ').append(b.stats().batches()).append('\n');
      });
      g.append("# HELP digits_inference_queue_images Images waiting to be batched.\n")
          .append("# TYPE digits_inference_queue_images gauge\n").append(queue);
      g.append("# HELP digits_batch_size Images per model run (batch).\n")
          .append("# TYPE digits_batch_size histogram\n").append(sizes);
      return g.toString();
    });
  }

  private static void gauge(StringBuilder g, String name, String help, String labels, long value) {
    g.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(labels).append(' ').append(value).append('\n');
  }
}
