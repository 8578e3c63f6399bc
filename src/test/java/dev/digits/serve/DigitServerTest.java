package dev.digits.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.data.Batcher;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.model.ModelContract;
import dev.digits.predict.Predictor;
import dev.digits.util.Json;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API on a free loopback port, with the bundled model. */
class DigitServerTest {
  static Predictor predictor;
  static DigitServer server;
  static MnistDataset test;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    predictor = Predictor.load(dev.digits.TestData.BUNDLED_MODEL);
    server = new DigitServer(predictor, "digits", "127.0.0.1", 0, 8);
    test = Mnist.load(Path.of("data"), System.err::println).test().head(20);
  }

  @AfterAll
  static void stop() {
    server.close();
    predictor.close();
  }

  record Reply(int status, String body) {
    Map<String, Object> json() {
      return Json.parseObject(body);
    }
  }

  static Reply get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  static Reply post(String path, byte[] body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  static Reply post(String path, String body) throws Exception {
    return post(path, body.getBytes());
  }

  /** MNIST test image {@code i} as a TF Serving instance. */
  static String instance(int i) {
    float[] x = new float[ModelContract.PIXELS];
    Batcher.toFloats(test.pixels(), i * ModelContract.PIXELS, x, 0, ModelContract.PIXELS);
    return ServingCodec.instance(x);
  }

  static int expected(int i) {
    float[] x = new float[ModelContract.PIXELS];
    Batcher.toFloats(test.pixels(), i * ModelContract.PIXELS, x, 0, ModelContract.PIXELS);
    return predictor.predictNormalized(x).digit();
  }

  @Test
  void predictRowFormatMatchesThePredictor() throws Exception {
    Reply r = post("/v1/models/digits:predict", "{\"instances\": [" + instance(0) + "," + instance(1) + "]}");
    assertEquals(200, r.status(), r.body());
    List<?> predictions = (List<?>) r.json().get("predictions");
    assertEquals(2, predictions.size());
    for (int i = 0; i < 2; i++) {
      Map<?, ?> p = (Map<?, ?>) predictions.get(i);
      assertEquals(expected(i), ((Number) p.get("digit")).intValue());
      assertEquals(10, ((List<?>) p.get("probabilities")).size());
    }
  }

  @Test
  void predictColumnarFormatAndVersionPath() throws Exception {
    Reply r = post("/v1/models/digits/versions/1:predict",
        "{\"signature_name\": \"serving_default\", \"inputs\": {\"image\": [" + instance(2) + "]}}");
    assertEquals(200, r.status(), r.body());
    Map<?, ?> outputs = (Map<?, ?>) r.json().get("outputs");
    assertEquals(expected(2), ((Number) ((List<?>) outputs.get("digit")).get(0)).intValue());
    assertEquals(404, post("/v1/models/digits/versions/7:predict", "{}").status());
    assertEquals(404, post("/v1/models/other:predict", "{}").status());
  }

  @Test
  void statusAndMetadataAnswerLikeTfServing() throws Exception {
    Reply status = get("/v1/models/digits");
    assertEquals(200, status.status());
    assertTrue(status.body().contains("\"state\":\"AVAILABLE\""), status.body());
    Reply meta = get("/v1/models/digits/metadata");
    assertEquals(200, meta.status());
    Map<?, ?> sig = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) meta.json().get("metadata")).get("signature_def"))
        .get("signature_def")).get("serving_default");
    assertEquals("tensorflow/serving/predict", sig.get("method_name"));
    assertTrue(((Map<?, ?>) sig.get("inputs")).containsKey("image"));
    assertEquals(200, get("/v1/models/digits/versions/1").status());
  }

  @Test
  void classifyAnImageFile() throws Exception {
    Reply r = post("/v1/classify", Files.readAllBytes(Path.of("src/test/resources/digits/3-photo-0.jpg")));
    assertEquals(200, r.status(), r.body());
    assertEquals(3, ((Number) r.json().get("digit")).intValue());
    assertEquals(28, ((List<?>) r.json().get("image")).size());
  }

  @Test
  void readAWholeNumber() throws Exception {
    BufferedImage img = new BufferedImage(360, 140, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, 360, 140);
    g.setColor(java.awt.Color.BLACK);
    g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 80));
    g.drawString("4", 40, 105);
    g.drawString("0", 140, 105);
    g.drawString("7", 240, 105);
    g.dispose();
    Reply r = post("/v1/read", png(img));
    assertEquals(200, r.status(), r.body());
    assertEquals("407", r.json().get("number"));
    List<?> digits = (List<?>) r.json().get("digits");
    assertEquals(3, digits.size());
    List<?> box = (List<?>) ((Map<?, ?>) digits.get(1)).get("box");
    int x = ((Number) box.get(0)).intValue();
    assertTrue(x > 120 && x < 200, "the 0's box starts near x = 140: " + box);
    assertError(post("/v1/read", png(blank())), 422, "no digit");
    assertError(post("/v1/read", "hello"), 400, "not an image");
    assertError(get("/v1/read"), 405, "");
    assertEquals("407", post("/v1/read?digits=3", png(img)).json().get("number"), "the length hint");
    assertError(post("/v1/read?digits=three", png(img)), 400, "digits must be a whole number from 1 to 64");

    // A sheet of two lines answers each line, top to bottom.
    BufferedImage sheet = new BufferedImage(360, 330, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D s = sheet.createGraphics();
    s.setColor(java.awt.Color.WHITE);
    s.fillRect(0, 0, 360, 330);
    s.drawImage(img, 0, 10, null);
    s.setColor(java.awt.Color.BLACK);
    s.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 80));
    s.drawString("3", 40, 280);
    s.drawString("5", 140, 280);
    s.dispose();
    Reply page = post("/v1/read", png(sheet));
    assertEquals(200, page.status(), page.body());
    List<?> lines = (List<?>) page.json().get("lines");
    assertEquals(2, lines.size(), page.body());
    assertEquals("407", ((Map<?, ?>) lines.get(0)).get("number"));
    assertEquals("35", ((Map<?, ?>) lines.get(1)).get("number"));
  }

  @Test
  void badRequestsGetA4xxAndTheServerStaysUp() throws Exception {
    assertError(post("/v1/models/digits:predict", "{oops"), 400, "malformed JSON");
    assertError(post("/v1/models/digits:predict", ""), 400, "empty");
    assertError(post("/v1/models/digits:predict", "{\"instances\": [[[1]]]}"), 400,
        "instances[0][0][0]: expected a list of 1 (each image has shape [28, 28, 1]), got 1");
    assertError(post("/v1/classify", "hello"), 400, "not an image");
    assertError(post("/v1/classify", bomb()), 400, "over the limit");
    assertError(post("/v1/classify", png(blank())), 422, "no digit found");
    assertError(post("/v1/classify", new byte[DigitServer.MAX_BODY_BYTES + 1]), 413, "over the limit");
    assertError(get("/v1/models/digits:predict"), 400, "Malformed request: GET /v1/models/digits:predict");
    assertError(get("/nowhere"), 404, "no such endpoint");
    assertEquals(200, get("/v1/models/digits").status(), "still serving");
  }

  @Test
  void theDrawingPageIsServed() throws Exception {
    Reply page = get("/");
    assertEquals(200, page.status());
    assertTrue(page.body().contains("<canvas id=\"pad\"") && page.body().contains("/v1/classify")
        && page.body().contains("/v1/read"));
    assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "no external resources");
  }

  @Test
  void concurrentRequestsAreAnsweredCorrectly() throws Exception {
    int n = test.count();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int k = 0; k < 120; k++) {
        int i = k % n;
        futures.add(pool.submit(() -> {
          Reply r = post("/v1/models/digits:predict", "{\"instances\": [" + instance(i) + "]}");
          assertEquals(200, r.status(), r.body());
          return ((Number) ((Map<?, ?>) ((List<?>) r.json().get("predictions")).get(0)).get("digit")).intValue();
        }));
      }
      for (int k = 0; k < futures.size(); k++) {
        assertEquals(expected(k % n), futures.get(k).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void answersAsTfServingDoes() throws Exception {
    // An empty signature name is the default signature; a non-string one is refused.
    assertEquals(200, post("/v1/models/digits:predict",
        "{\"signature_name\": \"\", \"instances\": [" + instance(0) + "]}").status());
    assertError(post("/v1/models/digits:predict", "{\"signature_name\": 100, \"instances\": []}"), 400,
        "'signature_name' key must be a string value.");
    // The other verbs are parsed, and refused for this predict-only signature.
    assertError(post("/v1/models/digits:classify", "{\"examples\": []}"), 400,
        "Expected classification signature method_name to be tensorflow/serving/classify. Was: tensorflow/serving/predict");
    assertError(post("/v1/models/digits/versions/1:regress", "{}"), 400,
        "Expected regression signature method_name to be tensorflow/serving/regress");
    assertError(post("/v1/models/digits/labels/stable:predict", "{}"), 400, "Unrecognized servable version label: stable");
    assertError(get("/v1/models/digits/labels/canary"), 400, "Unrecognized servable version label: canary");
    // A wrong method on TF Serving's paths is a malformed request (400), not a 405.
    assertError(post("/v1/models/digits", "{}"), 400, "Malformed request: POST /v1/models/digits");
    assertError(get("/v1/models"), 400, "Missing model name in request.");
    // Status wording for a missing model or version; predict wording for the others.
    assertEquals("Could not find any versions of model other", get("/v1/models/other").json().get("error"));
    assertEquals(404, get("/v1/models/other").status());
    assertEquals("Could not find version 7 of model digits", get("/v1/models/digits/versions/7").json().get("error"));
    assertError(get("/v1/models/other/metadata"), 404, "Servable not found for request: Latest(other)");
    assertError(post("/v1/models/digits/versions/7:predict", "{}"), 404, "Specific(digits, 7)");
    // The URL's words are matched case-insensitively, the model name exactly.
    assertEquals(200, get("/V1/Models/digits/Versions/1").status());
    assertEquals(404, get("/v1/models/Digits").status());
    assertEquals(200, get("/v1/models/%64igits").status(), "an escaped name is decoded");
    // An escaped slash is refused before routing (an ambiguous path), in JSON like every error here.
    Reply slash = get("/v1/models/a%2Fb");
    assertEquals(400, slash.status(), slash.body());
    assertTrue(slash.json().get("error") instanceof String, slash.body());
    // Metadata as TF Serving prints it: the signature map without a type URL, each signature with defaults.
    Reply meta = get("/v1/models/digits/metadata");
    assertTrue(!meta.body().contains("@type") && meta.body().contains("\"defaults\":{}"), meta.body());
    // This server's own endpoints answer a wrong method with 405 and say which one is allowed.
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "v1/classify")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, r.statusCode());
    assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
    assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no CORS unless asked for");
    // HEAD: the headers of a GET, no body.
    HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(server.url()))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
  }

  @Test
  void slowClientsDoNotLockOthersOut() throws Exception {
    // 50 connections that start a request and never finish it, and 8 that send a byte now and then:
    // with a worker thread held per connection, the probe below would wait for a minute.
    List<java.net.Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 58; i++) {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port());
        socket.getOutputStream().write((i < 50 ? "GET / HTTP/1.1\r\n" : "POST /v1/models/digits:predict HTTP/1.1\r\nHost: x\r\n"
            + "Content-Length: 100000\r\n\r\n{").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        slow.add(socket);
      }
      for (int round = 0; round < 3; round++) {
        for (java.net.Socket socket : slow.subList(50, 58)) {
          socket.getOutputStream().write('[');
        }
        HttpResponse<String> probe = http.send(HttpRequest.newBuilder(URI.create(server.url() + "v1/models/digits"))
            .timeout(java.time.Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, probe.statusCode(), "round " + round);
      }
    } finally {
      for (java.net.Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void corsWhenAskedFor() throws Exception {
    try (DigitServer withCors = new DigitServer(predictor, "digits", "127.0.0.1", 0, 2, true)) {
      HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(withCors.url() + "v1/models/digits:predict"))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(204, preflight.statusCode());
      assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
      assertEquals("POST, GET", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
      assertEquals("Content-Type", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""));
      HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(withCors.url() + "v1/models/digits")).GET()
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode());
      assertEquals("*", status.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    }
  }

  private static void assertError(Reply r, int status, String text) {
    assertEquals(status, r.status(), r.body());
    String error = (String) r.json().get("error");
    assertTrue(error != null && error.contains(text), r.body());
  }

  private static BufferedImage blank() {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 64, 64);
    g.dispose();
    return img;
  }

  private static byte[] png(BufferedImage img) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** A small PNG whose header claims 60000x60000 pixels. */
  private static byte[] bomb() throws Exception {
    byte[] png = png(blank());
    ByteBuffer b = ByteBuffer.wrap(png);
    b.putInt(16, 60_000).putInt(20, 60_000);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    b.putInt(29, (int) crc.getValue());
    return png;
  }
}
