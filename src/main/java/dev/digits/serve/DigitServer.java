package dev.digits.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.digits.predict.ImageException;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 *   <li>{@code GET /}: a page to draw a digit on.
 * </ul>
 *
 * Every refused request gets a 4xx and {@code {"error": "..."}}; bodies over
 * {@link #MAX_BODY_BYTES} are refused before they are read in full.
 */
public final class DigitServer implements AutoCloseable {
  /** Largest request body accepted (a JSON request of ~1,000 images, or an image file). */
  public static final int MAX_BODY_BYTES = 8 << 20;

  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK, and every response waits ~40 ms. The property is read once, when the JDK's
    // server classes load, so it is set here, before any server exists.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    // A client that never finishes sending its request is dropped after a minute instead of
    // holding a worker thread forever.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", "60");
    }
  }

  private static final Pattern MODEL_PATH = Pattern.compile("/v1/models/([A-Za-z0-9_.-]+)(?:/versions/([0-9]+))?(:predict|/metadata)?");

  private final Predictor predictor;
  private final String modelName;
  private final String version;
  private final HttpServer server;
  private final ExecutorService pool;
  private final byte[] page;

  /**
   * Binds and starts serving ({@code port} 0 picks a free port).
   *
   * @param predictor the model (not closed by the server)
   */
  public DigitServer(Predictor predictor, String modelName, String host, int port, int threads) throws IOException {
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
    this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
    this.pool = Executors.newFixedThreadPool(threads);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
  }

  /** Stops accepting, lets running requests finish (up to 2 s), and stops the worker threads. */
  @Override
  public void close() {
    server.stop(2);
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals("/") || path.equals("/index.html")) {
      requireMethod(method, "GET");
      send(ex, 200, "text/html; charset=utf-8", page);
      return;
    }
    if (path.equals("/v1/classify")) {
      requireMethod(method, "POST");
      classify(ex);
      return;
    }
    Matcher m = MODEL_PATH.matcher(path);
    if (!m.matches()) {
      throw new ApiException(404, "no such endpoint: " + path);
    }
    if (!m.group(1).equals(modelName)) {
      throw new ApiException(404, "Servable not found for request: Latest(" + m.group(1) + ")");
    }
    if (m.group(2) != null && !m.group(2).equals(version)) {
      throw new ApiException(404, "Servable not found for request: Specific(" + modelName + ", " + m.group(2) + ")");
    }
    String action = m.group(3);
    if (":predict".equals(action)) {
      requireMethod(method, "POST");
      predict(ex);
    } else if ("/metadata".equals(action)) {
      requireMethod(method, "GET");
      json(ex, 200, metadata());
    } else {
      requireMethod(method, "GET");
      json(ex, 200, status());
    }
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
    signatureMap.put("@type", "type.googleapis.com/tensorflow.serving.SignatureDefMap");
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

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
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
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

}
