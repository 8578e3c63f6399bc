package dev.digits.serve;

import dev.digits.predict.DigitPreprocessor;
import dev.digits.predict.DynamicBatcher;
import dev.digits.predict.ImageDecoder;
import dev.digits.predict.ImageException;
import dev.digits.predict.ModelVersions;
import dev.digits.predict.NumberReading;
import dev.digits.predict.Prediction;
import dev.digits.predict.Predictor;
import dev.digits.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * An HTTP server for one model, on Jetty's asynchronous API:
 *
 * <ul>
 *   <li>TF Serving's REST API under {@code /v1/models/<name>}: {@code :predict} (also per
 *       version), model status, and metadata;
 *   <li>{@code POST /v1/classify}: an image file's bytes, with the full preprocessing;
 *   <li>{@code POST /v1/read}: an image of a whole number (one line of digits): the number, and
 *       each digit with its probability, top 3 and box, as {@code Predict --number --json};
 *   <li>{@code GET /}: a page to draw a digit on.
 * </ul>
 *
 * How a request with work in it goes: its body is read without holding a thread, within a size
 * limit and a deadline ({@link BodyReader}); the memory its work will take is estimated from the
 * body (an image's headers, a JSON body's length); then {@link Admission} runs it on a worker when
 * it fits the one budget that all requests share, or answers 503 with Retry-After when it cannot
 * within a short wait. Status, metadata and the page need no budget and are answered on the spot,
 * so they never wait behind image or inference work.
 *
 * <p>Every refused request gets a 4xx or 5xx and {@code {"error": "..."}}, an {@link Error} (out of
 * memory included) too: never an empty answer.
 */
public final class DigitServer implements AutoCloseable {
  /** Largest request body accepted (a JSON request of ~1,000 images, or an image file). */
  public static final int MAX_BODY_BYTES = 8 << 20;

  /**
   * Jetty logs through SLF4J into java.util.logging: its warnings only, not a line per start. Held
   * here because java.util.logging keeps loggers weakly: one set up and let go can be collected,
   * and its level with it.
   */
  private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");

  static {
    JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /** A client that sends nothing for this long is dropped (its connection, never a worker thread). */
  static final int IDLE_TIMEOUT_MS = 20_000;

  /** Seconds a client refused with 503 is asked to wait before it tries again. */
  static final int RETRY_AFTER_SECONDS = 1;

  // TF Serving's own two URL patterns (http_rest_api_util.cc): a POST to a verb, a GET of status or
  // metadata; either may name a version or a version label. Anything else under /v1/ is malformed.
  private static final Pattern VERB_PATH = Pattern.compile(
      "(?i)/v1/models/([^/:]+)(?:/versions/(\\d+)|/labels/([^/:]+))?:(classify|regress|predict)");
  private static final Pattern STATUS_PATH = Pattern.compile(
      "(?i)/v1/models(?:/([^/:]+))?(?:/versions/(\\d+)|/labels/([^/:]+))?(?:/(metadata))?");

  /**
   * How the server runs: where it listens, and the limits of its work. Defaults suit a 2-core
   * machine with the JVM's default heap; every field has a flag in {@code Serve}.
   */
  public static final class Options {
    String name = "digits";
    String host = "127.0.0.1";
    int port = 8501;
    int workers = 8;
    boolean cors;
    long budgetBytes = 384L << 20;
    int maxQueued = 256;
    long maxWaitMillis = 1000;
    long bodyMinBytesPerSecond = 16 << 10;
    long bodyGraceMillis = 1000;
    long bodyMaxMillis = 60_000;
    int maxConnections = 1024;
    String metricsPath = "/monitoring/prometheus/metrics";
    long drainMillis = 10_000;
    DynamicBatcher.Parameters batching = DynamicBatcher.Parameters.defaults();

    /** The model name in {@code /v1/models/<name>}. */
    public Options name(String v) {
      name = v;
      return this;
    }

    public Options host(String v) {
      host = v;
      return this;
    }

    /** The port; 0 picks a free one. */
    public Options port(int v) {
      port = v;
      return this;
    }

    /** Requests decoded, preprocessed or inferred at once. */
    public Options workers(int v) {
      workers = v;
      return this;
    }

    /** TF Serving's CORS headers on every answer, and preflight requests answered. */
    public Options cors(boolean v) {
      cors = v;
      return this;
    }

    /** Memory that the work in hand may hold together: decoded images, parsed inputs. */
    public Options budgetBytes(long v) {
      budgetBytes = v;
      return this;
    }

    /** Requests that may wait for the budget or a worker; more are answered 503 at once. */
    public Options maxQueued(int v) {
      maxQueued = v;
      return this;
    }

    /** How long a request may wait for the budget or a worker before it is answered 503. */
    public Options maxWaitMillis(long v) {
      maxWaitMillis = v;
      return this;
    }

    /** The slowest a request body may arrive after the first {@link #bodyGraceMillis}; slower is answered 408. */
    public Options bodyMinBytesPerSecond(long v) {
      bodyMinBytesPerSecond = v;
      return this;
    }

    public Options bodyGraceMillis(long v) {
      bodyGraceMillis = v;
      return this;
    }

    /** The longest a request body may take in all. */
    public Options bodyMaxMillis(long v) {
      bodyMaxMillis = v;
      return this;
    }

    /**
     * Inference batching (TF Serving's parameters), or null to run each request's inference on its
     * own. The server turns it on in the predictor it is given, unless that batches already.
     */
    public Options batching(DynamicBatcher.Parameters v) {
      batching = v;
      return this;
    }

    /** Where Prometheus scrapes the metrics (TF Serving's path), or null for none. */
    public Options metricsPath(String v) {
      metricsPath = v;
      return this;
    }

    /** How long {@link DigitServer#close} waits for requests in flight to be answered. */
    public Options drainMillis(long v) {
      drainMillis = v;
      return this;
    }

    /** Open connections at most; past it, new ones wait in the socket's backlog. */
    public Options maxConnections(int v) {
      maxConnections = v;
      return this;
    }
  }

  private final ModelVersions versions;
  /** The versions given by the caller (a fixed predictor) are closed with the server; watched ones are the caller's. */
  private final boolean ownVersions;
  private final String modelName;
  private final byte[] page;
  private final boolean cors;
  private final Server jetty;
  private final ServerConnector connector;
  private final ScheduledExecutorService clock;
  private final Admission admission;
  private final BodyReader.Limits bodyLimits;
  private final Metrics metrics = new Metrics();
  private final String metricsPath;
  private final long drainMillis;
  /** Requests received and not yet answered: what a graceful stop waits for. */
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean draining;

  /**
   * Binds and starts serving ({@code port} 0 picks a free port), without CORS headers.
   *
   * @param predictor the model (not closed by the server)
   * @param threads requests worked on at once
   */
  public DigitServer(Predictor predictor, String modelName, String host, int port, int threads) throws IOException {
    this(predictor, modelName, host, port, threads, false);
  }

  /** As above; with {@code cors}, TF Serving's CORS headers. */
  public DigitServer(Predictor predictor, String modelName, String host, int port, int threads, boolean cors)
      throws IOException {
    this(predictor, new Options().name(modelName).host(host).port(port).workers(threads).cors(cors));
  }

  /**
   * Binds and starts serving ({@link java.net.BindException} when the port is taken).
   *
   * @param predictor the model (not closed by the server)
   */
  public DigitServer(Predictor predictor, Options options) throws IOException {
    this(fixed(predictor, options), true, options);
  }

  /**
   * Serves the versions {@code versions} manages (a base path it watches), as TF Serving does: the
   * newest AVAILABLE version unless a request names one; the caller closes {@code versions}.
   */
  public DigitServer(ModelVersions versions, Options options) throws IOException {
    this(versions, false, options);
  }

  private static ModelVersions fixed(Predictor predictor, Options options) {
    if (options.batching != null && predictor.batcher() == null) {
      predictor.enableBatching(options.batching);
    }
    String dir = predictor.modelDir().getFileName().toString();
    return ModelVersions.fixed(predictor, dir.matches("[0-9]{1,18}") ? Long.parseLong(dir) : 1);
  }

  private DigitServer(ModelVersions versions, boolean ownVersions, Options options) throws IOException {
    this.cors = options.cors;
    this.versions = versions;
    this.ownVersions = ownVersions;
    this.modelName = options.name;
    this.metricsPath = options.metricsPath;
    this.drainMillis = options.drainMillis;
    try (InputStream in = DigitServer.class.getResourceAsStream("/serve/index.html")) {
      if (in == null) {
        throw new IOException("the drawing page is missing from the build (serve/index.html)");
      }
      this.page = in.readAllBytes();
    }
    this.bodyLimits = new BodyReader.Limits(MAX_BODY_BYTES, options.bodyMinBytesPerSecond, options.bodyGraceMillis,
        options.bodyMaxMillis);
    this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "digits-clock");
      t.setDaemon(true);
      return t;
    });
    this.admission = new Admission(options.budgetBytes, options.workers, options.maxQueued, options.maxWaitMillis,
        clock);
    registerGauges();
    // Jetty's threads only read requests and write answers (the work runs on the admission's
    // workers), so a few suffice; none is ever held by a slow client.
    QueuedThreadPool threads = new QueuedThreadPool(64, 4, IDLE_TIMEOUT_MS);
    threads.setName("digits-http");
    threads.setDaemon(true);
    this.jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    this.connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(options.host);
    connector.setPort(options.port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    connector.setAcceptQueueSize(128);
    jetty.addConnector(connector);
    jetty.addBean(new ConnectionLimit(options.maxConnections, jetty));
    jetty.setHandler(new Routes());
    jetty.setErrorHandler(new JsonErrors());
    jetty.setStopTimeout(2000);
    try {
      jetty.start(); // where Jetty opens the socket
    } catch (Exception e) {
      stopQuietly();
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof java.net.BindException bind) {
          throw bind;
        }
      }
      throw e instanceof IOException io ? io : new IOException("the server did not start: " + e.getMessage(), e);
    }
  }

  /**
   * What Jetty itself refuses before a request reaches this server's code (a malformed request
   * line, headers over the limit, an ambiguous path) is answered as every other error here:
   * {@code {"error": "..."}}, not an HTML page.
   */
  private static final class JsonErrors extends org.eclipse.jetty.server.handler.ErrorHandler {
    @Override
    protected void generateResponse(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
        int code, String message, Throwable cause, org.eclipse.jetty.util.Callback callback) {
      response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, java.nio.ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public java.nio.ByteBuffer badMessageError(int status, String reason, org.eclipse.jetty.http.HttpFields.Mutable fields) {
      fields.put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
      return java.nio.ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int code, String message) {
      String text = message == null || message.isBlank() ? org.eclipse.jetty.http.HttpStatus.getMessage(code) : message;
      return Json.write(Map.of("error", text)).getBytes(StandardCharsets.UTF_8);
    }
  }

  public int port() {
    return connector.getLocalPort();
  }

  public String url() {
    java.net.InetAddress a;
    try {
      a = ((InetSocketAddress) ((java.nio.channels.ServerSocketChannel) connector.getTransport()).getLocalAddress())
          .getAddress();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String host = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    return "http://" + host + ":" + port() + "/";
  }

  /** Work waiting for the budget or a worker, work running, and budget bytes in use (for metrics and tests). */
  public record Load(int queued, int running, long bytesInUse) {}

  public Load load() {
    return new Load(admission.queued(), admission.running(), admission.bytesInUse());
  }

  /**
   * Stops gracefully: new requests are answered 503 (with {@code Connection: close}), requests in
   * flight are answered (up to the drain time), then the connections close and the threads stop.
   */
  @Override
  public void close() {
    draining = true;
    long deadline = System.nanoTime() + drainMillis * 1_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    admission.close();
    try {
      admission.awaitIdle(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopQuietly();
  }

  /** Requests received and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Every answer, for the metrics: a histogram of the time to answer per API and HTTP status, and
   * for the model's APIs a count per TF Serving status (what its request_count counts).
   */
  private void record(String api, int status, double seconds) {
    inFlight.decrementAndGet();
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
      Load load = load();
      StringBuilder g = new StringBuilder();
      gauge(g, "digits_work_queued", "Requests waiting for the work budget or a worker.", m, load.queued());
      gauge(g, "digits_work_running", "Requests being decoded, preprocessed or inferred.", m, load.running());
      gauge(g, "digits_work_bytes", "Memory the work in hand holds, as estimated when admitted.", m, load.bytesInUse());
      gauge(g, "digits_requests_in_flight", "Requests received and not yet answered.", m, inFlight.get());
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

  private void stopQuietly() {
    try {
      jetty.stop();
    } catch (Exception e) {
      // stopping: nothing left to answer
    }
    admission.close();
    clock.shutdownNow();
    if (ownVersions) {
      versions.close();
    }
  }

  /** Every request: answered on the spot, or handed to the body reader and the admission. */
  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      inFlight.incrementAndGet();
      Exchange ex = new Exchange(request, response, callback, DigitServer.this::record);
      if (draining) {
        ex.setHeader("Connection", "close");
        ex.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        ex.error(503, "the server is shutting down");
        return true;
      }
      guarded(ex, () -> route(ex), e -> 400);
      return true;
    }
  }

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
  private static CompletionStage<?> guardedAsync(Answer ex, java.util.concurrent.Callable<CompletionStage<?>> step,
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

  /**
   * Reads the body, then runs {@code work} on it when {@code cost} of it fits the budget; 503
   * when it does not within the wait.
   */
  /** The work of a request on a body, given the version it runs on. */
  @FunctionalInterface
  private interface Work {
    CompletionStage<?> run(Predictor predictor, byte[] body) throws Exception;
  }

  /**
   * Reads the body, then runs {@code work} on it, on the version {@code version} names (null: the
   * newest), when {@code cost} of it fits the budget; 503 when it does not within the wait. The
   * version is held until the answer is given, so it is not closed under the request.
   */
  private void withBody(Exchange ex, Long version, Function<byte[], Long> cost,
      Function<ImageException, Integer> imageStatus, Work work) {
    BodyReader.read(ex, bodyLimits, clock, body -> guarded(ex, () -> {
      long bytes = cost.apply(body);
      admission.submit(bytes, () -> guardedAsync(ex, () -> {
        ModelVersions.Lease lease = versions.acquire(version);
        if (lease == null) {
          throw notServed(version);
        }
        CompletionStage<?> pending;
        try {
          pending = work.run(lease.predictor(), body);
        } catch (Exception | Error e) {
          lease.close();
          throw e;
        }
        if (pending == null) {
          lease.close();
          return null;
        }
        return pending.whenComplete((result, failure) -> lease.close());
      }, imageStatus), () -> busy(ex));
    }, imageStatus));
  }

  /** TF Serving's answer for a version that is not AVAILABLE (none yet, or not that one). */
  private ApiException notServed(Long version) {
    return new ApiException(404, "Servable not found for request: " + (version == null
        ? "Latest(" + modelName + ")" : "Specific(" + modelName + ", " + version + ")"));
  }

  private static void busy(Answer ex) {
    ex.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    ex.error(503, "the server is busy: too much work in hand; try again in " + RETRY_AFTER_SECONDS + " s");
  }

  /** What decoding an image body costs, from its headers (a header the decoder refuses is answered at once). */
  private static long imageCost(byte[] body) {
    return ImageDecoder.decodingBytes(body);
  }

  /**
   * What a predict body costs: the body, and the pixels it may hold, at most one float (4 bytes)
   * per two characters ("0,").
   */
  private static long jsonCost(byte[] body) {
    return 3L * body.length;
  }

  private static int imageStatus(ImageException e, String noDigitPrefix) {
    return e.getMessage().startsWith(noDigitPrefix) ? 422 : 400;
  }

  private void route(Exchange ex) {
    String path = ex.path(); // names are decoded once matched, as TF Serving does
    String method = ex.method();
    if (cors) {
      ex.setHeader("Access-Control-Allow-Origin", "*");
      ex.setHeader("Access-Control-Allow-Methods", "POST, GET");
      ex.setHeader("Access-Control-Allow-Headers", "Content-Type");
      if (method.equals("OPTIONS")) {
        ex.send(204, "text/plain", new byte[0]);
        return;
      }
    }
    // This server's own additions: the drawing page and image files.
    if (metricsPath != null && path.equals(metricsPath)) {
      ex.api = "metrics";
      requireMethod(ex, "GET");
      ex.send(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (path.equals("/") || path.equals("/index.html")) {
      ex.api = "page";
      requireMethod(ex, "GET");
      ex.send(200, "text/html; charset=utf-8", page);
      return;
    }
    if (path.equals("/v1/classify")) {
      ex.api = "classify";
      requireMethod(ex, "POST");
      withBody(ex, null, DigitServer::imageCost, e -> imageStatus(e, "no digit found"),
          (predictor, body) -> classify(ex, predictor, body));
      return;
    }
    if (path.equals("/v1/read")) {
      ex.api = "read";
      requireMethod(ex, "POST");
      withBody(ex, null, DigitServer::imageCost, e -> imageStatus(e, "no digit"),
          (predictor, body) -> readNumber(ex, predictor, body));
      return;
    }
    if (!path.regionMatches(true, 0, "/v1/", 0, 4)) {
      throw new ApiException(404, "no such endpoint: " + path);
    }
    // TF Serving's API, with its answers and wording.
    Matcher verb = VERB_PATH.matcher(path);
    Matcher status = STATUS_PATH.matcher(path);
    if (method.equals("POST") && verb.matches()) {
      ex.api = "predict";
      Long version = checkModel(verb.group(1), verb.group(2), verb.group(3), false);
      switch (verb.group(4).toLowerCase(java.util.Locale.ROOT)) {
        case "classify" -> throw new ApiException(400, "Expected classification signature method_name to be "
            + "tensorflow/serving/classify. Was: tensorflow/serving/predict");
        case "regress" -> throw new ApiException(400, "Expected regression signature method_name to be "
            + "tensorflow/serving/regress. Was: tensorflow/serving/predict");
        default -> withBody(ex, version, DigitServer::jsonCost, e -> 400,
            (predictor, body) -> predict(ex, predictor, body));
      }
    } else if (method.equals("GET") && status.matches()) {
      if (status.group(1) == null) {
        throw new ApiException(400, "Missing model name in request.");
      }
      boolean metadata = status.group(4) != null;
      ex.api = metadata ? "metadata" : "status";
      Long version = checkModel(status.group(1), status.group(2), status.group(3), !metadata);
      ex.json(200, metadata ? metadata(version) : status(version));
    } else {
      throw new ApiException(400, "Malformed request: " + method + " " + path);
    }
  }

  /**
   * Refuses a request for another model, version or a version label, as TF Serving words it: the
   * status API says "Could not find ...", the others "Servable not found for request: ...".
   */
  private Long checkModel(String name, String requestedVersion, String label, boolean statusApi) {
    String decoded = decode(name, "model name");
    if (label != null) {
      throw new ApiException(400, "Unrecognized servable version label: " + decode(label, "model version label"));
    }
    boolean otherModel = !decoded.equals(modelName);
    Long version = requestedVersion == null ? null : parseVersion(stripZeros(requestedVersion));
    boolean otherVersion = version != null && versions.status().stream().noneMatch(v -> v.version() == version);
    if (statusApi && otherModel) {
      throw new ApiException(404, "Could not find any versions of model " + decoded);
    }
    if (statusApi && otherVersion) {
      throw new ApiException(404, "Could not find version " + stripZeros(requestedVersion) + " of model " + decoded);
    }
    if (otherModel || otherVersion) {
      throw new ApiException(404, "Servable not found for request: " + (requestedVersion == null
          ? "Latest(" + decoded + ")" : "Specific(" + decoded + ", " + stripZeros(requestedVersion) + ")"));
    }
    return version;
  }

  /** A version number from a URL: digits only (the pattern says so); too many of them is no version here. */
  private static Long parseVersion(String digits) {
    return digits.length() > 18 ? Long.valueOf(-1) : Long.valueOf(digits);
  }

  /** A URL path segment with its %-escapes decoded ('+' stays a plus, as in a path). */
  private static String decode(String segment, String what) {
    try {
      return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "Failed to decode " + what + ":" + segment);
    }
  }

  private static String stripZeros(String digits) {
    return digits.replaceFirst("^0+(?=.)", "");
  }

  private CompletionStage<?> predict(Exchange ex, Predictor predictor, byte[] body) {
    // A body of this length holds at most this many images (784 numbers and their commas each):
    // when the batcher has no room for them, say so before spending a core on parsing.
    DynamicBatcher batcher = predictor.batcher();
    if (batcher != null && !batcher.hasRoom(Math.min(ServingCodec.MAX_INSTANCES, body.length / 1568 + 1))) {
      throw new DynamicBatcher.Overloaded("the inference queue is full");
    }
    ServingCodec.Request request = ServingCodec.parse(body);
    return predictor.probabilitiesAsync(request.images(), request.count()).thenAccept(probabilities ->
        ex.json(200, ServingCodec.response(probabilities, request.count(), request.columnar())));
  }

  private CompletionStage<?> classify(Exchange ex, Predictor predictor, byte[] body) {
    List<float[]> inputs = DigitPreprocessor.variants(ImageDecoder.decode(body), java.util.Set.of());
    return predictor.predictEachAsync(List.of(inputs)).thenAccept(p -> classified(ex, predictor, p.get(0)));
  }

  private void classified(Exchange ex, Predictor predictor, Prediction p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("digit", p.digit());
    if (predictor.namedClasses()) { // a model trained on other data: its own names for the classes
      out.put("class", predictor.classNames().get(p.digit()));
      out.put("classes", predictor.classNames());
    }
    out.put("probability", p.probability());
    out.put("probabilities", p.probabilities());
    List<float[]> rows = new ArrayList<>(28);
    for (int y = 0; y < 28; y++) {
      float[] row = new float[28];
      System.arraycopy(p.input(), y * 28, row, 0, 28);
      rows.add(row);
    }
    out.put("image", rows);
    ex.json(200, out);
  }

  private CompletionStage<?> readNumber(Exchange ex, Predictor predictor, byte[] body) {
    NumberReading reading = predictor.readNumber(body);
    ex.json(200, reading.toMap(3));
    return null;
  }

  /**
   * TF Serving's status answer: every version (newest first) or the one asked for, with its state
   * (START, LOADING, AVAILABLE, UNLOADING, END) and, for a failed load, its error. A model is ready
   * when a version is AVAILABLE, which it is only once warmed up.
   */
  private Map<String, Object> status(Long version) {
    List<Map<String, Object>> list = new ArrayList<>();
    List<ModelVersions.Status> all = new ArrayList<>(versions.status());
    java.util.Collections.reverse(all);
    for (ModelVersions.Status v : all) {
      if (version != null && v.version() != version) {
        continue;
      }
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("version", Long.toString(v.version()));
      status.put("state", v.state().name());
      status.put("status", v.error().isEmpty() ? ordered("error_code", "OK", "error_message", "")
          : ordered("error_code", "UNKNOWN", "error_message", v.error()));
      list.add(status);
    }
    return Map.of("model_version_status", list);
  }

  /** The metadata answer of TF Serving: the model spec and its signature map. */
  private Map<String, Object> metadata(Long requested) {
    ModelVersions.Lease lease = versions.acquire(requested);
    if (lease == null) {
      throw notServed(requested);
    }
    Map<String, Object> signatures = new LinkedHashMap<>();
    long version;
    try (lease) {
      lease.predictor().signatures().forEach((key, sig) -> signatures.put(key, signature(sig)));
      version = lease.version();
    }
    Map<String, Object> signatureMap = new LinkedHashMap<>();
    signatureMap.put("signature_def", signatures);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", modelName);
    spec.put("signature_name", "");
    spec.put("version", Long.toString(version));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model_spec", spec);
    out.put("metadata", Map.of("signature_def", signatureMap));
    return out;
  }

  private static Map<String, Object> signature(SignatureDef sig) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    sig.getInputsMap().forEach((k, v) -> inputs.put(k, tensorInfo(v)));
    Map<String, Object> outputs = new LinkedHashMap<>();
    sig.getOutputsMap().forEach((k, v) -> outputs.put(k, tensorInfo(v)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("inputs", inputs);
    out.put("outputs", outputs);
    out.put("method_name", sig.getMethodName());
    out.put("defaults", Map.of());
    return out;
  }

  private static Map<String, Object> tensorInfo(TensorInfo t) {
    List<Map<String, Object>> dims = new ArrayList<>();
    for (TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
      dims.add(ordered("size", Long.toString(d.getSize()), "name", d.getName()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dtype", t.getDtype().name());
    out.put("tensor_shape", ordered("dim", dims, "unknown_rank", t.getTensorShape().getUnknownRank()));
    out.put("name", t.getName());
    return out;
  }

  /** A map that keeps its keys in the order given, so responses read the same every time. */
  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  /** This server's own endpoints answer another method with 405 and the one allowed. */
  private static void requireMethod(Exchange ex, String allowed) {
    boolean headOfGet = allowed.equals("GET") && ex.method().equals("HEAD");
    if (!ex.method().equals(allowed) && !headOfGet) {
      ex.setHeader("Allow", allowed);
      throw new ApiException(405, "use " + allowed + " here");
    }
  }
}
