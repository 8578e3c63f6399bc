package dev.digits.serve;

import dev.digits.util.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its answer, on Jetty's asynchronous API: the answer may be given from any thread
 * (an HTTP thread, a worker, the clock of a deadline), and only the first one given is sent; the
 * others are dropped. That makes "a deadline and the work race to answer" safe by construction.
 */
final class Exchange implements Answer {
  /** Told of every answer: which API it was, its status, and the seconds since the request came. */
  @FunctionalInterface
  interface Recorder {
    void answered(String api, int status, double seconds);
  }

  final Request request;
  private final Response response;
  private final Callback callback;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final long startNanos = System.nanoTime();
  private final Recorder recorder;
  /** The API the request was routed to, for metrics ("other" until routed). */
  volatile String api = "other";

  Exchange(Request request, Response response, Callback callback, Recorder recorder) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.recorder = recorder;
  }

  String method() {
    return request.getMethod();
  }

  /** The raw (still %-encoded) path. */
  String path() {
    String path = request.getHttpURI().getPath();
    return path == null ? "/" : path;
  }

  /** A query parameter's value, or null. */
  String query(String name) {
    String q = request.getHttpURI().getQuery();
    if (q == null) {
      return null;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  String header(String name) {
    return request.getHeaders().get(name);
  }

  @Override
  public void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** Seconds since the request arrived. */
  double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  void json(int status, Object body) {
    send(status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void error(int status, String message) {
    json(status, Map.of("error", message));
  }

  /** Answers with the body (the headers alone for HEAD), unless an answer was given already. */
  void send(int status, String type, byte[] bytes) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    recorder.answered(api, status, seconds());
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (status == 204) {
      response.write(true, null, callback);
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    boolean head = request.getMethod().equals("HEAD");
    response.write(true, head ? null : ByteBuffer.wrap(bytes), callback);
  }
}
