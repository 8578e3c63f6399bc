package dev.digits.cli;

import dev.digits.predict.DynamicBatcher;
import dev.digits.predict.ModelVersions;
import dev.digits.predict.Predictor;
import dev.digits.serve.DigitServer;
import dev.digits.serve.ServerOptions;
import dev.digits.util.TensorFlowRuntime;
import dev.digits.util.Text;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * {@code Serve}: the model over HTTP (TF Serving's REST API) plus a drawing page. It takes TF
 * Serving's own flags too ({@code --rest_api_port}, {@code --model_name}, {@code --model_base_path},
 * {@code --enable_batching}, {@code --batching_parameters_file}, {@code --file_system_poll_wait_seconds},
 * {@code --monitoring_config_file}), so a deployment script written for {@code tensorflow_model_server}
 * starts this server unchanged.
 */
public final class ServeCommand {
  private ServeCommand() {}

  static Args spec() {
    return new Args(Digits.usage("serve", "Serve", "[OPTIONS]"),
        "Serves a model over HTTP until stopped (Ctrl-C or SIGTERM: requests in flight are answered first):\n"
            + "TF Serving's REST API under /v1/models/<name>, POST /v1/classify for image files, POST /v1/read for\n"
            + "numbers, Prometheus metrics, and a page to draw digits on at /. New versions in the model folder are\n"
            + "loaded, warmed up and served while serving.")
        .option("model", "DIR", "saved-model", "a folder of versions (TF Serving's model base path), or one SavedModel")
        .alias("model_base_path", "model")
        .option("host", "ADDRESS", "127.0.0.1", "address to listen on (0.0.0.0 for every interface)")
        .option("port", "N", "8501", "port to listen on (TF Serving's REST port)")
        .option("rest_api_port", "N", null, "TF Serving's name for the REST port; when given, --port (TF Serving's"
            + " gRPC port) is ignored")
        .option("name", "NAME", "digits", "the model name in /v1/models/<name>")
        .alias("model_name", "name")
        .option("version_policy", "POLICY", "latest", "versions to serve: latest, latest:N, all, or specific:1,2")
        .option("file_system_poll_wait_seconds", "S", "1", "how often to look for new versions (0: only at start)")
        .flag("enable_batching", "batch inference across requests (on unless =false)")
        .option("batching_parameters_file", "FILE", null, "TF Serving's batching parameters (max_batch_size,"
            + " batch_timeout_micros, num_batch_threads, max_enqueued_batches); defaults: 128, 0, cores, 16")
        .option("monitoring_config_file", "FILE", null, "TF Serving's monitoring config (prometheus_config { enable,"
            + " path }); the metrics are at /monitoring/prometheus/metrics unless it says otherwise")
        .option("threads", "N", "8", "requests decoded, preprocessed or inferred at once")
        .option("budget-mb", "MB", "384", "memory the work in hand may hold together (decoded images, parsed inputs);"
            + " what does not fit waits")
        .option("max-queued", "N", "256", "requests that may wait for the budget or a thread; more get 503 at once")
        .option("max-wait-ms", "MS", "1000", "how long a request may wait before it gets 503 with Retry-After")
        .option("body-min-rate", "BYTES", "16384", "bytes/s a request body must keep up after its first second;"
            + " slower gets 408")
        .option("body-timeout", "S", "60", "seconds a request body may take in all")
        .option("warm-up-requests", "N", "300", "requests the server sends itself before it reports that it serves,"
            + " so that the first client's costs what later ones do (0: none)")
        .option("drain-seconds", "S", "10", "on SIGTERM, how long requests in flight may take to be answered")
        .flag("cors", "answer browsers from any origin: TF Serving's CORS headers on every reply, and preflight requests");
  }

  public static int main(String[] argv) throws Exception {
    TensorFlowRuntime.prefer(TensorFlowRuntime.Workload.INFERENCE); // before TensorFlow loads
    Args args = spec().parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    int port = args.get("rest_api_port") != null ? args.getInt("rest_api_port", 0, 65535) : args.getInt("port", 0, 65535);
    if (args.get("rest_api_port") != null && args.has("port")) {
      System.err.println("serve: --port " + args.get("port") + " is TF Serving's gRPC port; this server has REST only,"
          + " on --rest_api_port " + port);
    }
    String name = args.get("name");
    if (name.isEmpty() || name.contains("/") || name.contains(":")) {
      throw new UsageException("--name may not be empty or hold '/' or ':' (they end the name in a URL)");
    }
    DynamicBatcher.Parameters batching = args.switchValue("enable_batching", true)
        ? TfServingConfig.batching(path(args, "batching_parameters_file")) : null;
    String metricsPath = TfServingConfig.metricsPath(path(args, "monitoring_config_file"));
    ModelVersions.Policy policy = policy(args.get("version_policy"));
    int pollSeconds = args.getInt("file_system_poll_wait_seconds", 0, 86_400);
    ServerOptions options = new ServerOptions()
        .name(name)
        .host(args.get("host"))
        .port(port)
        .workers(args.getInt("threads", 1, 256))
        .budgetBytes((long) args.getInt("budget-mb", 16, 1 << 20) << 20)
        .maxQueued(args.getInt("max-queued", 0, 1 << 20))
        .maxWaitMillis(args.getInt("max-wait-ms", 0, 600_000))
        .bodyMinBytesPerSecond(args.getInt("body-min-rate", 0, Integer.MAX_VALUE))
        .bodyMaxMillis(args.getInt("body-timeout", 1, 86_400) * 1000L)
        .drainMillis(args.getInt("drain-seconds", 0, 3600) * 1000L)
        .warmUpRequests(args.getInt("warm-up-requests", 0, 100_000))
        .metricsPath(metricsPath)
        .batching(batching)
        .cors(args.has("cors"));

    // Signals are taken from here on: a TERM while the models load and warm up (a rollout that
    // changes its mind) then stops the server as any other stop does, once it is up, with its lines.
    CountDownLatch stop = new CountDownLatch(1);
    boolean signals = onSignals(stop);
    Path model = Path.of(args.get("model"));
    ModelVersions versions = versions(model, policy, pollSeconds, batching);
    DigitServer server;
    try {
      server = new DigitServer(versions, options);
    } catch (BindException e) {
      versions.close();
      throw new IllegalStateException("cannot listen on " + args.get("host") + ":" + port + " (" + e.getMessage()
          + "); is another server running there? Try --port");
    }
    if (!signals) { // where the JVM will not let us handle SIGTERM: stop in a shutdown hook instead
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, versions)));
    }
    String served = versions.status().stream().filter(v -> v.state() == ModelVersions.State.AVAILABLE)
        .map(v -> Long.toString(v.version())).reduce((a, b) -> a + ", " + b).map(v -> " (version " + v + ")").orElse("");
    System.out.println("serving " + Text.oneLine(model) + served + " as '" + name + "' on " + server.url());
    System.out.println("  draw:     " + server.url());
    System.out.println("  predict:  POST " + server.url() + "v1/models/" + name + ":predict");
    System.out.println("  classify: POST " + server.url() + "v1/classify (an image file)");
    System.out.println("  read:     POST " + server.url() + "v1/read (an image of a number)");
    if (metricsPath != null) {
      System.out.println("  metrics:  GET " + server.url() + metricsPath.substring(1));
    }
    System.out.flush();
    if (versions.status().isEmpty()) {
      System.err.println("serve: no version in " + Text.oneLine(model) + " yet; waiting for one (a numbered folder"
          + " with a SavedModel)");
    }
    if (signals) {
      stop.await();
      System.err.println("serve: stopping: answering the requests in flight");
      stop(server, versions);
    } else {
      stop.await();
    }
    return Cli.OK;
  }

  private static void stop(DigitServer server, ModelVersions versions) {
    server.close();     // first stop taking requests and answer those in flight,
    versions.close();   // then free the models
  }

  /** SIGTERM and SIGINT end the wait of {@code stop} instead of the JVM; false where that cannot be arranged. */
  private static boolean onSignals(CountDownLatch stop) {
    try {
      for (String signal : new String[] {"TERM", "INT"}) {
        sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
      }
      return true;
    } catch (IllegalArgumentException | LinkageError e) {
      return false;
    }
  }

  /** One SavedModel folder is one fixed version; a folder of versions is watched. */
  private static ModelVersions versions(Path model, ModelVersions.Policy policy, int pollSeconds,
      DynamicBatcher.Parameters batching) {
    if (Files.isRegularFile(model.resolve(dev.digits.model.ModelContract.SAVED_MODEL_FILE))) {
      Predictor predictor = Predictor.load(model);
      if (batching != null) {
        predictor.enableBatching(batching);
      }
      String dir = model.toAbsolutePath().normalize().getFileName().toString();
      return ModelVersions.fixed(predictor, dir.matches("[0-9]{1,18}") ? Long.parseLong(dir) : 1, true);
    }
    if (!Files.isDirectory(model)) {
      throw new IllegalArgumentException("no model folder " + model.toAbsolutePath()
          + "; train one with Train, or pass --model DIR (a folder of numbered versions, or one SavedModel)");
    }
    ModelVersions versions = ModelVersions.watch(model, policy, pollSeconds * 1000L, batching, new ModelVersions.Listener() {
      @Override
      public void loaded(long version, boolean ok, double seconds, String error) {
        System.err.printf(java.util.Locale.ROOT, "serve: version %d %s%n", version, ok
            ? String.format(java.util.Locale.ROOT, "loaded and warmed up in %.2f s: AVAILABLE", seconds)
            : "failed to load: " + Text.oneLine(error) + " (tried again when its files change)");
      }

      @Override
      public void unloaded(long version) {
        System.err.println("serve: version " + version + " unloaded");
      }
    });
    for (ModelVersions.Status s : versions.status()) {
      if (s.state() == ModelVersions.State.END && !s.error().isEmpty() && !versions.ready()) {
        versions.close();
        throw new IllegalArgumentException("cannot load version " + s.version() + " in " + model + ": " + s.error());
      }
    }
    return versions;
  }

  static ModelVersions.Policy policy(String spec) {
    if (spec.equals("latest") || spec.equals("all")) {
      return spec.equals("all") ? new ModelVersions.Policy.All() : new ModelVersions.Policy.Latest(1);
    }
    try {
      if (spec.startsWith("latest:")) {
        int n = Integer.parseInt(spec.substring(7));
        if (n >= 1) {
          return new ModelVersions.Policy.Latest(n);
        }
      } else if (spec.startsWith("specific:")) {
        Set<Long> chosen = new TreeSet<>();
        for (String v : spec.substring(9).split(",")) {
          chosen.add(Long.parseLong(v.trim()));
        }
        return new ModelVersions.Policy.Specific(chosen);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--version_policy must be latest, latest:N (N >= 1), all or specific:V1,V2,..., got '"
        + spec + "'");
  }

  private static Path path(Args args, String option) {
    String value = args.get(option);
    if (value == null) {
      return null;
    }
    Path p = Path.of(value);
    if (!Files.isRegularFile(p)) {
      throw new UsageException("--" + option + " " + value + " is not a file");
    }
    return p;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
