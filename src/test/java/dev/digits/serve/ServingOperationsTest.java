package dev.digits.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.digits.TestData;
import dev.digits.predict.DynamicBatcher;
import dev.digits.predict.ModelVersions;
import dev.digits.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators rely on, with real components: versions in a base path, Prometheus metrics
 * checked by promtool and scraped by a real Prometheus server, and SIGTERM to a real server process.
 * Each uses copies of the bundled model under a temporary base path.
 */
class ServingOperationsTest {
  @TempDir Path tmp;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String url, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String oneImage() {
    return "{\"instances\":[" + ServingCodec.instance(new float[784]) + "]}";
  }

  @Test
  void everyVersionHasItsStatusAndRequestsMayNameOne() throws Exception {
    Path base = tmp.resolve("models");
    TestData.copyBundledModel(base.resolve("1"));
    TestData.copyBundledModel(base.resolve("2"));
    try (ModelVersions versions = ModelVersions.watch(base, new ModelVersions.Policy.All(), 0,
        DynamicBatcher.Parameters.defaults(), null);
        DigitServer server = new DigitServer(versions, new ServerOptions().port(0))) {
      Map<String, Object> status = Json.parseObject(get(server.url() + "v1/models/digits").body());
      List<?> list = (List<?>) status.get("model_version_status");
      assertEquals(List.of("2", "1"), list.stream().map(v -> ((Map<?, ?>) v).get("version")).toList());
      assertTrue(list.stream().allMatch(v -> "AVAILABLE".equals(((Map<?, ?>) v).get("state"))), status.toString());
      assertEquals(200, post(server.url() + "v1/models/digits/versions/1:predict", oneImage()).statusCode());
      assertEquals(200, post(server.url() + "v1/models/digits/versions/2:predict", oneImage()).statusCode());
      HttpResponse<String> missing = post(server.url() + "v1/models/digits/versions/3:predict", oneImage());
      assertEquals(404, missing.statusCode());
      assertTrue(missing.body().contains("Servable not found for request: Specific(digits, 3)"), missing.body());
      Map<?, ?> spec = (Map<?, ?>) Json.parseObject(get(server.url() + "v1/models/digits/metadata").body())
          .get("model_spec");
      assertEquals("2", spec.get("version"), "metadata of the newest");
    }
  }

  @Test
  void metricsCountRequestsWithTfServingsStatusesAndPromtoolAcceptsThem() throws Exception {
    Path base = tmp.resolve("models");
    TestData.copyBundledModel(base.resolve("1"));
    try (ModelVersions versions = ModelVersions.watch(base, new ModelVersions.Policy.Latest(1), 0,
        DynamicBatcher.Parameters.defaults(), null);
        DigitServer server = new DigitServer(versions, new ServerOptions().port(0))) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, post(server.url() + "v1/models/digits:predict", oneImage()).statusCode());
      }
      assertEquals(400, post(server.url() + "v1/models/digits:predict", "{}").statusCode());
      HttpResponse<String> scrape = get(server.url() + "monitoring/prometheus/metrics");
      assertEquals(200, scrape.statusCode());
      assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
      String text = scrape.body();
      assertTrue(text.contains("digits_requests_total{model_name=\"digits\",api=\"predict\",status=\"OK\"} 3"), text);
      assertTrue(text.contains(
          "digits_requests_total{model_name=\"digits\",api=\"predict\",status=\"INVALID_ARGUMENT\"} 1"), text);
      assertTrue(text.contains(
          "digits_request_duration_seconds_count{model_name=\"digits\",api=\"predict\",code=\"200\"} 3"), text);
      assertTrue(text.contains("digits_model_loads_total{model_name=\"digits\",result=\"ok\"} 1"), text);
      assertTrue(text.contains("digits_model_version_state{model_name=\"digits\",version=\"1\",state=\"AVAILABLE\"} 1"),
          text);
      assertTrue(text.matches("(?s).*digits_batch_size_count\\{model_name=\"digits\",version=\"1\"} [1-9].*"), text);
      Path promtool = Path.of("/usr/bin/promtool");
      assumeTrue(Files.isExecutable(promtool), "promtool (Debian's prometheus) is not installed");
      Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
      check.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      check.getOutputStream().close();
      String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(check.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, check.exitValue(), said);
    }
  }

  @Test
  void aRealPrometheusServerScrapesTheMetrics() throws Exception {
    Path prometheusBin = Path.of("/usr/bin/prometheus");
    assumeTrue(Files.isExecutable(prometheusBin), "prometheus (Debian's package) is not installed");
    Path base = tmp.resolve("models");
    TestData.copyBundledModel(base.resolve("1"));
    try (ModelVersions versions = ModelVersions.watch(base, new ModelVersions.Policy.Latest(1), 0,
        DynamicBatcher.Parameters.defaults(), null);
        DigitServer server = new DigitServer(versions, new ServerOptions().port(0))) {
      post(server.url() + "v1/models/digits:predict", oneImage());
      int port;
      try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = free.getLocalPort();
      }
      Path config = tmp.resolve("prometheus.yml");
      Files.writeString(config, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: digits\n"
          + "    metrics_path: /monitoring/prometheus/metrics\n    static_configs:\n      - targets: ['127.0.0.1:"
          + server.port() + "']\n");
      Process prometheus = new ProcessBuilder(prometheusBin.toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
      try {
        String query = "http://127.0.0.1:" + port + "/api/v1/query?query=";
        String up = "";
        String loads = "";
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
          try {
            up = get(query + "up%7Bjob%3D%22digits%22%7D").body();
            loads = get(query + "digits_model_loads_total%7Bresult%3D%22ok%22%7D").body();
            if (up.contains("\"1\"]") && loads.contains("\"1\"]")) {
              break;
            }
          } catch (IOException e) {
            // Prometheus is still starting
          }
          Thread.sleep(500);
        }
        assertTrue(up.contains("\"1\"]"), "up{job=digits}: " + up + "\n" + Files.readString(tmp.resolve("prometheus.log")));
        assertTrue(loads.contains("\"1\"]"), "digits_model_loads_total: " + loads);
      } finally {
        prometheus.destroy();
        prometheus.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void sigtermAnswersTheRequestsInFlightThenExitsZero() throws Exception {
    Path base = tmp.resolve("models");
    TestData.copyBundledModel(base.resolve("1"));
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        classpath, "Serve", "--port", "0", "--model", base.toString())
        .redirectError(tmp.resolve("serve.err").toFile()).start();
    try {
      java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(serve.getInputStream(),
          StandardCharsets.UTF_8));
      String first = out.readLine();
      assertTrue(first != null && first.startsWith("serving "), first + "\n" + Files.readString(tmp.resolve("serve.err")));
      String url = first.substring(first.indexOf("http://")).trim();
      // A request of 1,000 images takes a while; SIGTERM comes while it is in flight.
      StringBuilder many = new StringBuilder("{\"instances\":[");
      for (int i = 0; i < 1000; i++) {
        many.append(i == 0 ? "" : ",").append(ServingCodec.instance(new float[784]));
      }
      CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
          URI.create(url + "v1/models/digits:predict")).POST(HttpRequest.BodyPublishers.ofString(many.append("]}")
          .toString())).build(), HttpResponse.BodyHandlers.ofString());
      long end = System.nanoTime() + 10_000_000_000L; // until the server holds it (the scrape itself is one more)
      while (System.nanoTime() < end && !get(url + "monitoring/prometheus/metrics").body()
          .matches("(?s).*digits_requests_in_flight\\{[^}]*} [2-9].*")) {
        Thread.sleep(10);
      }
      serve.destroy(); // SIGTERM
      HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals(1000, ((List<?>) Json.parseObject(answer.body()).get("predictions")).size());
      assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "the server stopped");
      assertEquals(0, serve.exitValue(), Files.readString(tmp.resolve("serve.err")));
      assertTrue(Files.readString(tmp.resolve("serve.err")).contains("serve: stopping"));
    } finally {
      serve.destroyForcibly();
    }
  }

  @Test
  void sigtermWhileStartingUpStopsAsAnyStopDoesAndExitsZero() throws Exception {
    Path base = tmp.resolve("models");
    TestData.copyBundledModel(base.resolve("1"));
    Path err = tmp.resolve("serve.err");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        classpath, "Serve", "--port", "0", "--model", base.toString())
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      // The model is loaded; the server is still being set up (its number reader warmed up, its port opened).
      long end = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < end && serve.isAlive() && !Files.readString(err).contains("loaded and warmed up")) {
        Thread.sleep(5);
      }
      assertTrue(Files.readString(err).contains("loaded and warmed up"), Files.readString(err));
      serve.destroy(); // SIGTERM
      assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "the server stopped");
      String said = Files.readString(err);
      assertEquals(0, serve.exitValue(), said);
      assertTrue(said.contains("serve: stopping") && said.contains("serve: version 1 unloaded"), said);
    } finally {
      serve.destroyForcibly();
    }
  }
}
