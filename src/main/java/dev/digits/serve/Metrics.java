package dev.digits.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The server's metrics in Prometheus' text format (version 0.0.4), at TF Serving's path
 * {@code /monitoring/prometheus/metrics}, named in Prometheus' conventions ({@code digits_...},
 * seconds, {@code _total}) so that {@code promtool check metrics} passes them. TF Serving's own
 * names ({@code :tensorflow:serving:request_count}) hold colons, which promtool reserves for
 * recording rules; what each of them counts is here under a {@code digits_} name, with TF
 * Serving's labels and status names (docs/SERVING.md maps one to the other).
 */
final class Metrics {
  /** Seconds, for the per-status request histogram: 1 ms to 30 s. */
  static final double[] SECOND_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

  /** A histogram of one label set. */
  static final class Histogram {
    private final double[] bounds;
    private final LongAdder[] counts;
    private final LongAdder count = new LongAdder();
    private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

    Histogram(double[] bounds) {
      this.bounds = bounds;
      this.counts = new LongAdder[bounds.length];
      for (int i = 0; i < bounds.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double value) {
      for (int i = 0; i < bounds.length; i++) {
        if (value <= bounds[i]) {
          counts[i].increment();
          break;
        }
      }
      count.increment();
      sum.add(value);
    }
  }

  /** One metric family: its help, type, and a value per label set. */
  private record Family(String name, String help, String type, Map<String, Object> series) {}

  private final Map<String, Family> families = new ConcurrentHashMap<>();
  private final List<Supplier<String>> gauges = new ArrayList<>();

  private Family family(String name, String help, String type) {
    return families.computeIfAbsent(name, n -> new Family(n, help, type, new ConcurrentHashMap<>()));
  }

  void count(String name, String help, String labels, long by) {
    ((LongAdder) family(name, help, "counter").series().computeIfAbsent(labels, l -> new LongAdder())).add(by);
  }

  void observe(String name, String help, double[] buckets, String labels, double value) {
    ((Histogram) family(name, help, "histogram").series().computeIfAbsent(labels, l -> new Histogram(buckets)))
        .observe(value);
  }

  /** A gauge whose lines are computed at scrape time (its HELP and TYPE lines included). */
  synchronized void gauge(Supplier<String> lines) {
    gauges.add(lines);
  }

  /** {@code name{k="v",...}} with Prometheus' escaping of label values. */
  static String labels(String... keysAndValues) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      String v = keysAndValues[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
      b.append(keysAndValues[i]).append("=\"").append(v).append('"');
    }
    return b.append('}').toString();
  }

  /** Every metric, as a Prometheus scrape reads it. */
  String render() {
    StringBuilder out = new StringBuilder();
    for (Family f : new TreeMap<>(families).values()) {
      out.append("# HELP ").append(f.name()).append(' ').append(f.help()).append('\n');
      out.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
      for (Map.Entry<String, Object> e : new TreeMap<>(f.series()).entrySet()) {
        if (e.getValue() instanceof LongAdder c) {
          out.append(f.name()).append(e.getKey()).append(' ').append(c.sum()).append('\n');
        } else {
          histogram(out, f.name(), e.getKey(), (Histogram) e.getValue());
        }
      }
    }
    List<Supplier<String>> now;
    synchronized (this) {
      now = List.copyOf(gauges);
    }
    now.forEach(g -> out.append(g.get()));
    return out.toString();
  }

  private static void histogram(StringBuilder out, String name, String labels, Histogram h) {
    String inner = labels.substring(1, labels.length() - 1);
    String prefix = inner.isEmpty() ? "{" : "{" + inner + ",";
    long cumulative = 0;
    for (int i = 0; i < h.bounds.length; i++) {
      cumulative += h.counts[i].sum();
      out.append(name).append("_bucket").append(prefix).append("le=\"").append(number(h.bounds[i])).append("\"} ")
          .append(cumulative).append('\n');
    }
    out.append(name).append("_bucket").append(prefix).append("le=\"+Inf\"} ").append(h.count.sum()).append('\n');
    out.append(name).append("_sum").append(labels).append(' ').append(number(h.sum.sum())).append('\n');
    out.append(name).append("_count").append(labels).append(' ').append(h.count.sum()).append('\n');
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new java.math.BigDecimal(v, new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
