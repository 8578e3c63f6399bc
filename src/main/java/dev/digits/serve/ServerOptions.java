package dev.digits.serve;

import dev.digits.predict.DynamicBatcher;

/**
 * How the server runs: where it listens, and the limits of its work. Defaults suit a 2-core
 * machine with the JVM's default heap; every field has a flag in {@code Serve}.
 */
public final class ServerOptions {
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
  int warmUpRequests;
  DynamicBatcher.Parameters batching = DynamicBatcher.Parameters.defaults();

  /** The model name in {@code /v1/models/<name>}. */
  public ServerOptions name(String v) {
    name = v;
    return this;
  }

  public ServerOptions host(String v) {
    host = v;
    return this;
  }

  /** The port; 0 picks a free one. */
  public ServerOptions port(int v) {
    port = v;
    return this;
  }

  /** Requests decoded, preprocessed or inferred at once. */
  public ServerOptions workers(int v) {
    workers = v;
    return this;
  }

  /** TF Serving's CORS headers on every answer, and preflight requests answered. */
  public ServerOptions cors(boolean v) {
    cors = v;
    return this;
  }

  /** Memory that the work in hand may hold together: decoded images, parsed inputs. */
  public ServerOptions budgetBytes(long v) {
    budgetBytes = v;
    return this;
  }

  /** Requests that may wait for the budget or a worker; more are answered 503 at once. */
  public ServerOptions maxQueued(int v) {
    maxQueued = v;
    return this;
  }

  /** How long a request may wait for the budget or a worker before it is answered 503. */
  public ServerOptions maxWaitMillis(long v) {
    maxWaitMillis = v;
    return this;
  }

  /** The slowest a request body may arrive after the first {@link #bodyGraceMillis}; slower is answered 408. */
  public ServerOptions bodyMinBytesPerSecond(long v) {
    bodyMinBytesPerSecond = v;
    return this;
  }

  public ServerOptions bodyGraceMillis(long v) {
    bodyGraceMillis = v;
    return this;
  }

  /** The longest a request body may take in all. */
  public ServerOptions bodyMaxMillis(long v) {
    bodyMaxMillis = v;
    return this;
  }

  /**
   * Inference batching (TF Serving's parameters), or null to run each request's inference on its
   * own. The server turns it on in the predictor it is given, unless that batches already.
   */
  public ServerOptions batching(DynamicBatcher.Parameters v) {
    batching = v;
    return this;
  }

  /**
   * Requests the server sends itself over loopback once it listens, before its constructor returns:
   * the Java side of a request (HTTP, JSON, preprocessing) compiled before the first client's, as
   * the model's warm-up requests do for TensorFlow. None by default; {@code Serve} sends 300.
   */
  public ServerOptions warmUpRequests(int v) {
    warmUpRequests = v;
    return this;
  }

  /** Where Prometheus scrapes the metrics (TF Serving's path), or null for none. */
  public ServerOptions metricsPath(String v) {
    metricsPath = v;
    return this;
  }

  /** How long {@link DigitServer#close} waits for requests in flight to be answered. */
  public ServerOptions drainMillis(long v) {
    drainMillis = v;
    return this;
  }

  /** Open connections at most; past it, new ones wait in the socket's backlog. */
  public ServerOptions maxConnections(int v) {
    maxConnections = v;
    return this;
  }
}
