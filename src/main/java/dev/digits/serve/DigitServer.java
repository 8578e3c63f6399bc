package dev.digits.serve;

import dev.digits.imaging.ImageException;
import dev.digits.numbers.NumberReader;
import dev.digits.predict.DynamicBatcher;
import dev.digits.predict.ModelVersions;
import dev.digits.predict.Predictor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

/**
 * An HTTP server for one model, on Jetty's asynchronous API:
 *
 * <ul>
 *   <li>TF Serving's REST API under {@code /v1/models/<name>}: {@code :predict} (also per
 *       version), model status, and metadata;
 *   <li>{@code POST /v1/classify}: an image file's bytes, with the full preprocessing;
 *   <li>{@code POST /v1/read}: an image of a whole number (one line of digits): the number, and
 *       each digit with its probability, top 3 and box, as {@code Predict --number --json};
 *   <li>{@code GET /}: a page to draw a digit on;
 *   <li>{@code GET /monitoring/prometheus/metrics}: Prometheus metrics ({@link ServerMetrics}).
 * </ul>
 *
 * It serves the versions {@link ModelVersions} manages (new ones loaded, warmed and swapped in
 * while serving), their inference batched across requests ({@link DynamicBatcher}).
 *
 * <p>How a request with work in it goes: its body is read without holding a thread, within a size
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

  // TF Serving's own two URL patterns (http_rest_api_util.cc): a POST to a verb, a GET of status or
  // metadata; either may name a version or a version label. Anything else under /v1/ is malformed.
  private static final Pattern VERB_PATH = Pattern.compile(
      "(?i)/v1/models/([^/:]+)(?:/versions/(\\d+)|/labels/([^/:]+))?:(classify|regress|predict)");
  private static final Pattern STATUS_PATH = Pattern.compile(
      "(?i)/v1/models(?:/([^/:]+))?(?:/versions/(\\d+)|/labels/([^/:]+))?(?:/(metadata))?");

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
  private final ServerMetrics metrics;
  private final TfServingApi tfServing;
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
    this(predictor, new ServerOptions().name(modelName).host(host).port(port).workers(threads).cors(cors));
  }

  /**
   * Binds and starts serving ({@link java.net.BindException} when the port is taken).
   *
   * @param predictor the model (not closed by the server)
   */
  public DigitServer(Predictor predictor, ServerOptions options) throws IOException {
    this(fixed(predictor, options), true, options);
  }

  /**
   * Serves the versions {@code versions} manages (a base path it watches), as TF Serving does: the
   * newest AVAILABLE version unless a request names one; the caller closes {@code versions}.
   */
  public DigitServer(ModelVersions versions, ServerOptions options) throws IOException {
    this(versions, false, options);
  }

  private static ModelVersions fixed(Predictor predictor, ServerOptions options) {
    if (options.batching != null && predictor.batcher() == null) {
      predictor.enableBatching(options.batching);
    }
    String dir = predictor.modelDir().getFileName().toString();
    return ModelVersions.fixed(predictor, dir.matches("[0-9]{1,18}") ? Long.parseLong(dir) : 1);
  }

  private DigitServer(ModelVersions versions, boolean ownVersions, ServerOptions options) throws IOException {
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
    this.metrics = new ServerMetrics(modelName, versions, this);
    this.tfServing = new TfServingApi(modelName, versions);
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
    if (options.warmUpRequests > 0) {
      NumberReader.warmUp(); // the one-digit model, shared by every version: /v1/read's first request does not load it
    }
    if (options.warmUpRequests > 0 && versions.ready()) {
      HttpWarmUp.run(URI.create(url()), modelName, options.warmUpRequests);
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
      boolean warmUp = request.getHeaders().contains(HttpWarmUp.HEADER); // not counted in the metrics
      Exchange ex = new Exchange(request, response, callback, (api, status, seconds) -> {
        inFlight.decrementAndGet();
        if (!warmUp) {
          metrics.record(api, status, seconds);
        }
      });
      if (draining) {
        ex.setHeader("Connection", "close");
        ex.setHeader("Retry-After", Integer.toString(Failures.RETRY_AFTER_SECONDS));
        ex.error(503, "the server is shutting down");
        return true;
      }
      Failures.guarded(ex, () -> route(ex), e -> 400);
      return true;
    }
  }

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
    withBody(ex, version, length -> null, cost, imageStatus, work);
  }

  /** {@link #withBody}, refusing from the declared length when {@code refuse} gives an answer for it. */
  private void withBody(Exchange ex, Long version, java.util.function.LongFunction<Runnable> refuse,
      Function<byte[], Long> cost, Function<ImageException, Integer> imageStatus, Work work) {
    BodyReader.read(ex, bodyLimits, clock, refuse, body -> Failures.guarded(ex, () -> {
      long bytes = cost.apply(body);
      admission.submit(bytes, () -> Failures.guardedAsync(ex, () -> {
        ModelVersions.Lease lease = versions.acquire(version);
        if (lease == null) {
          throw tfServing.notServed(version);
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
      }, imageStatus), () -> Failures.busy(ex));
    }, imageStatus));
  }

  /**
   * What a predict body costs: the body, and the pixels it may hold, at most one float (4 bytes)
   * per two characters ("0,").
   */
  private static long jsonCost(byte[] body) {
    return 3L * body.length;
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
      withBody(ex, null, ImageEndpoints::cost, ImageEndpoints::status,
          (predictor, body) -> ImageEndpoints.classify(ex, predictor, body));
      return;
    }
    if (path.equals("/v1/read")) {
      ex.api = "read";
      requireMethod(ex, "POST");
      int length = ImageEndpoints.length(ex.query("digits")); // checked before the body is read
      withBody(ex, null, ImageEndpoints::cost, ImageEndpoints::status,
          (predictor, body) -> ImageEndpoints.readNumber(ex, predictor, body, length));
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
      Long version = tfServing.checkModel(verb.group(1), verb.group(2), verb.group(3), false);
      switch (verb.group(4).toLowerCase(java.util.Locale.ROOT)) {
        case "classify" -> throw new ApiException(400, "Expected classification signature method_name to be "
            + "tensorflow/serving/classify. Was: tensorflow/serving/predict");
        case "regress" -> throw new ApiException(400, "Expected regression signature method_name to be "
            + "tensorflow/serving/regress. Was: tensorflow/serving/predict");
        default -> withBody(ex, version, length -> roomFor(version, length) ? null : () -> Failures.busy(ex),
            DigitServer::jsonCost, e -> 400, (predictor, body) -> predict(ex, predictor, body));
      }
    } else if (method.equals("GET") && status.matches()) {
      if (status.group(1) == null) {
        throw new ApiException(400, "Missing model name in request.");
      }
      boolean metadata = status.group(4) != null;
      ex.api = metadata ? "metadata" : "status";
      Long version = tfServing.checkModel(status.group(1), status.group(2), status.group(3), !metadata);
      ex.json(200, metadata ? tfServing.metadata(version) : tfServing.status(version));
    } else {
      throw new ApiException(400, "Malformed request: " + method + " " + path);
    }
  }

  /**
   * Whether the batcher of the version asked for has room for what a predict body of
   * {@code length} bytes may hold (784 numbers and their commas an image): when it has not, the
   * request is refused before its body is kept or parsed.
   */
  private boolean roomFor(Long version, long length) {
    try (ModelVersions.Lease lease = versions.acquire(version)) {
      DynamicBatcher batcher = lease == null ? null : lease.predictor().batcher();
      return batcher == null || batcher.hasRoom(Math.min(ServingCodec.MAX_INSTANCES, length / 1568 + 1));
    }
  }

  private CompletionStage<?> predict(Exchange ex, Predictor predictor, byte[] body) {
    DynamicBatcher batcher = predictor.batcher();
    if (batcher != null && !batcher.hasRoom(Math.min(ServingCodec.MAX_INSTANCES, body.length / 1568 + 1))) {
      throw new DynamicBatcher.Overloaded("the inference queue is full"); // filled while the body arrived
    }
    ServingCodec.Request request = ServingCodec.parse(body);
    return predictor.probabilitiesAsync(request.images(), request.count()).thenAccept(probabilities ->
        ex.json(200, ServingCodec.response(probabilities, request.count(), request.columnar())));
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
