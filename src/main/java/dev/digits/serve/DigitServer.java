package dev.digits.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.digits.predict.ImageException;
import dev.digits.predict.NumberReading;
import dev.digits.predict.Prediction;
import dev.digits.predict.Predictor;
import dev.digits.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * An HTTP server for one model, on the JDK's built-in server:
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
 * Every refused request gets a 4xx and {@code {"error": "..."}}; bodies over
 * {@link #MAX_BODY_BYTES} are refused before they are read in full.
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

  private final Predictor predictor;
  private final String modelName;
  private final String version;
  private final HttpServer server;
  private final byte[] page;
  private final boolean cors;

  /**
   * Binds and starts serving ({@code port} 0 picks a free port), without CORS headers.
   *
   * @param predictor the model (not closed by the server)
   */
  public DigitServer(Predictor predictor, String modelName, String host, int port, int threads) throws IOException {
    this(predictor, modelName, host, port, threads, false);
  }

  /**
   * Binds and starts serving ({@link java.net.BindException} when the port is taken); with {@code cors}, every answer carries TF Serving's CORS headers
   * (any origin, GET and POST, a Content-Type header) and preflight OPTIONS requests are answered.
   */
  public DigitServer(Predictor predictor, String modelName, String host, int port, int threads, boolean cors)
      throws IOException {
    this.cors = cors;
    this.predictor = predictor;
    this.modelName = modelName;
    this.version = predictor.modelDir().getFileName().toString().matches("[0-9]+")
        ? predictor.modelDir().getFileName().toString() : "1";
    try (InputStream in = DigitServer.class.getResourceAsStream("/serve/index.html")) {
      if (in == null) {
        throw new IOException("the drawing page is missing from the build (serve/index.html)");
      }
      this.page = in.readAllBytes();
    }
    // Jetty behind the JDK's HttpServer API: it reads requests without holding a thread, so clients
    // that send their headers slowly, or never finish, cannot lock the others out (with the JDK's
    // own server, 50 such connections held every worker). The pool runs the handlers, plus
    // Jetty's selector and acceptor threads.
    QueuedThreadPool workers = new QueuedThreadPool(threads + 8, Math.min(threads, 4), IDLE_TIMEOUT_MS);
    workers.setName("digits-http");
    workers.setDaemon(true);
    Server jetty = new Server(workers);
    jetty.setHandler(new org.eclipse.jetty.server.handler.ContextHandlerCollection());
    jetty.setErrorHandler(new JsonErrors());
    JettyHttpServer http = new JettyHttpServer(jetty, false) {
      @Override
      protected ServerConnector newServerConnector(InetSocketAddress address, int backlog) {
        ServerConnector connector = super.newServerConnector(address, backlog);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        return connector;
      }
    };
    http.bind(new InetSocketAddress(host, port), 128);
    http.createContext("/", this::handle);
    try {
      http.start(); // where Jetty opens the socket
    } catch (RuntimeException e) {
      jetty.destroy(); // its worker threads
      // Jetty's HttpServer wraps the socket's BindException (port taken, address not ours).
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof java.net.BindException bind) {
          throw bind;
        }
      }
      throw e;
    }
    this.server = http;
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
    return server.getAddress().getPort();
  }

  public String url() {
    java.net.InetAddress a = server.getAddress().getAddress();
    String host = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    return "http://" + host + ":" + port() + "/";
  }

  /** Stops accepting, lets running requests finish (up to 2 s), and stops the threads. */
  @Override
  public void close() {
    server.stop(2);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        route(ex);
      } catch (ApiException e) {
        json(ex, e.status, Map.of("error", e.getMessage()));
      } catch (RuntimeException e) {
        json(ex, 500, Map.of("error", "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath(); // names are decoded once matched, as TF Serving does
    String method = ex.getRequestMethod();
    if (cors) {
      ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
      ex.getResponseHeaders().set("Access-Control-Allow-Methods", "POST, GET");
      ex.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
      if (method.equals("OPTIONS")) {
        send(ex, 204, "text/plain", new byte[0]);
        return;
      }
    }
    // This server's own additions: the drawing page and image files.
    if (path.equals("/") || path.equals("/index.html")) {
      requireMethod(ex, "GET");
      send(ex, 200, "text/html; charset=utf-8", page);
      return;
    }
    if (path.equals("/v1/classify")) {
      requireMethod(ex, "POST");
      classify(ex);
      return;
    }
    if (path.equals("/v1/read")) {
      requireMethod(ex, "POST");
      readNumber(ex);
      return;
    }
    if (!path.regionMatches(true, 0, "/v1/", 0, 4)) {
      throw new ApiException(404, "no such endpoint: " + path);
    }
    // TF Serving's API, with its answers and wording.
    Matcher verb = VERB_PATH.matcher(path);
    Matcher status = STATUS_PATH.matcher(path);
    if (method.equals("POST") && verb.matches()) {
      checkModel(verb.group(1), verb.group(2), verb.group(3), false);
      switch (verb.group(4).toLowerCase(java.util.Locale.ROOT)) {
        case "classify" -> throw new ApiException(400, "Expected classification signature method_name to be "
            + "tensorflow/serving/classify. Was: tensorflow/serving/predict");
        case "regress" -> throw new ApiException(400, "Expected regression signature method_name to be "
            + "tensorflow/serving/regress. Was: tensorflow/serving/predict");
        default -> predict(ex);
      }
    } else if (method.equals("GET") && status.matches()) {
      if (status.group(1) == null) {
        throw new ApiException(400, "Missing model name in request.");
      }
      boolean metadata = status.group(4) != null;
      checkModel(status.group(1), status.group(2), status.group(3), !metadata);
      json(ex, 200, metadata ? metadata() : status());
    } else {
      throw new ApiException(400, "Malformed request: " + method + " " + path);
    }
  }

  /**
   * Refuses a request for another model, version or a version label, as TF Serving words it: the
   * status API says "Could not find ...", the others "Servable not found for request: ...".
   */
  private void checkModel(String name, String requestedVersion, String label, boolean statusApi) {
    String decoded = decode(name, "model name");
    if (label != null) {
      throw new ApiException(400, "Unrecognized servable version label: " + decode(label, "model version label"));
    }
    boolean otherModel = !decoded.equals(modelName);
    boolean otherVersion = requestedVersion != null && !stripZeros(requestedVersion).equals(version);
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

  private void predict(HttpExchange ex) throws IOException {
    ServingCodec.Request request = ServingCodec.parse(new String(body(ex), StandardCharsets.UTF_8));
    float[] probabilities = predictor.probabilities(request.images(), request.count());
    json(ex, 200, ServingCodec.response(probabilities, request.count(), request.columnar()));
  }

  private void classify(HttpExchange ex) throws IOException {
    Prediction p;
    try {
      p = predictor.predict(body(ex));
    } catch (ImageException e) {
      throw new ApiException(e.getMessage().startsWith("no digit found") ? 422 : 400, e.getMessage());
    }
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
    json(ex, 200, out);
  }

  private void readNumber(HttpExchange ex) throws IOException {
    NumberReading reading;
    try {
      reading = predictor.readNumber(body(ex));
    } catch (ImageException e) {
      throw new ApiException(e.getMessage().startsWith("no digit") ? 422 : 400, e.getMessage());
    }
    json(ex, 200, reading.toMap(3));
  }

  private Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("version", version);
    status.put("state", "AVAILABLE");
    status.put("status", ordered("error_code", "OK", "error_message", ""));
    return Map.of("model_version_status", List.of(status));
  }

  /** The metadata answer of TF Serving: the model spec and its signature map. */
  private Map<String, Object> metadata() {
    Map<String, Object> signatures = new LinkedHashMap<>();
    predictor.signatures().forEach((key, sig) -> signatures.put(key, signature(sig)));
    Map<String, Object> signatureMap = new LinkedHashMap<>();
    signatureMap.put("signature_def", signatures);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", modelName);
    spec.put("signature_name", "");
    spec.put("version", version);
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
  private static void requireMethod(HttpExchange ex, String allowed) {
    boolean headOfGet = allowed.equals("GET") && ex.getRequestMethod().equals("HEAD");
    if (!ex.getRequestMethod().equals(allowed) && !headOfGet) {
      ex.getResponseHeaders().set("Allow", allowed);
      throw new ApiException(405, "use " + allowed + " here");
    }
  }

  /**
   * The request body, refusing bodies over the limit without keeping them. A refused body of up to
   * four times the limit is read and discarded first: answering while the client is still sending
   * makes TCP reset the connection, and the client would never see the 413.
   */
  private static byte[] body(HttpExchange ex) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    long length = -1;
    if (declared != null) {
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new ApiException(400, "bad Content-Length");
      }
    }
    InputStream in = ex.getRequestBody();
    if (length > MAX_BODY_BYTES) {
      tooLarge(ex, in, length);
    }
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      tooLarge(ex, in, -1);
    }
    if (body.length == 0) {
      throw new ApiException(400, "empty request body");
    }
    return body;
  }

  private static void tooLarge(HttpExchange ex, InputStream in, long length) throws IOException {
    long drainLimit = 4L * MAX_BODY_BYTES;
    if (length <= drainLimit) {
      long skipped = 0;
      byte[] sink = new byte[1 << 16];
      int n;
      while (skipped < drainLimit && (n = in.read(sink)) > 0) {
        skipped += n;
      }
    }
    ex.getResponseHeaders().set("Connection", "close");
    throw new ApiException(413, "request body over the limit of " + MAX_BODY_BYTES + " bytes");
  }

  private static void json(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (ex.getRequestMethod().equals("HEAD")) { // the headers alone, as HTTP wants (and the JDK warns otherwise)
      ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      ex.sendResponseHeaders(status, -1);
      ex.getResponseBody().close();
      return;
    }
    if (status == 204) {
      ex.sendResponseHeaders(status, -1);
      ex.getResponseBody().close();
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

}
