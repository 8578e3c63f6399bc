package dev.digits.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.bench.HostileImages;
import dev.digits.predict.Predictor;
import dev.digits.util.Json;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server's limits against hostile clients, with the bundled model on a free loopback port. */
class ServerLimitsTest {
  static Predictor predictor;
  static DigitServer server;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    predictor = Predictor.load(dev.digits.TestData.BUNDLED_MODEL);
    server = new DigitServer(predictor, new ServerOptions().port(0).bodyGraceMillis(500)
        .bodyMinBytesPerSecond(16 << 10));
  }

  @AfterAll
  static void stop() {
    server.close();
    predictor.close();
  }

  static HttpResponse<String> post(DigitServer to, String path, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(to.url() + path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> status(DigitServer of) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(of.url() + "v1/models/digits")).timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static String error(HttpResponse<String> r) {
    return (String) Json.parseObject(r.body()).get("error");
  }

  @Test
  void slowBodiesAreAnswered408WhileOthersAreServed() throws Exception {
    // Twelve bodies that promise a megabyte and send a byte every 300 ms: the idle timeout never fires.
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 12; i++) {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        slow.add(s);
      }
      long t0 = System.nanoTime();
      CompletableFuture<HttpResponse<String>> honest = CompletableFuture.supplyAsync(() -> {
        try {
          return post(server, "v1/classify", png(seven(64)));
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      for (int round = 0; round < 5; round++) {
        for (Socket s : slow) {
          try {
            s.getOutputStream().write('x');
          } catch (java.io.IOException e) {
            // already answered and closed
          }
        }
        Thread.sleep(300);
      }
      assertEquals(200, honest.get().statusCode(), honest.get().body());
      for (Socket s : slow) {
        String answer = firstLine(s.getInputStream());
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      }
      assertTrue(System.nanoTime() - t0 < 10e9, "each was cut off by its deadline, not by the idle timeout");
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void imageBombsAreRefusedFromTheirHeaders() throws Exception {
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      HttpResponse<String> gif = post(server, "v1/classify", HostileImages.gifFrameBomb(64, 46_000));
      assertEquals(400, gif.statusCode());
      assertTrue(error(gif).startsWith("GIF frame 0 is 46000x46000 pixels, over the limit"), gif.body());
      HttpResponse<String> jpeg = post(server, "v1/read", HostileImages.jpegScanBomb(3000, 3000));
      assertEquals(400, jpeg.statusCode());
      assertTrue(error(jpeg).startsWith("JPEG of 3000 scans, over the limit"), jpeg.body());
    });
  }

  @Test
  void workThatFindsNoRoomIsAnswered503WithRetryAfterAndStatusNeverWaits() throws Exception {
    // One worker and no queue: whatever arrives while an image is being read is turned away at once.
    try (DigitServer tight = new DigitServer(predictor, new ServerOptions().port(0).workers(1).maxQueued(0))) {
      byte[] large = png(seven(2000));
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create(tight.url() + "v1/classify"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(large)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      assertEquals(200, status(tight).statusCode());
      Map<Integer, Integer> statuses = new LinkedHashMap<>();
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        HttpResponse<String> r = f.get();
        statuses.merge(r.statusCode(), 1, Integer::sum);
        if (r.statusCode() == 503) {
          assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
          assertTrue(error(r).startsWith("the server is busy"), r.body());
        } else {
          assertEquals(200, r.statusCode(), r.body());
          assertEquals(7, ((Number) Json.parseObject(r.body()).get("digit")).intValue());
        }
      }
      assertTrue(statuses.getOrDefault(503, 0) > 0 && statuses.getOrDefault(200, 0) > 0, statuses.toString());
      // The budget comes back once each piece of work completes, which may be just after its answer went out.
      long end = System.nanoTime() + 5_000_000_000L;
      while ((tight.load().bytesInUse() > 0 || tight.load().queued() > 0) && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertEquals(0, tight.load().queued());
      assertEquals(0, tight.load().bytesInUse(), "all the budget given back");
    }
  }

  @Test
  void anErrorIsAJson5xxNeverAnEmptyAnswer() {
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    Answer answer = new Answer() {
      @Override
      public void setHeader(String name, String value) {
        headers.put(name, value);
      }

      @Override
      public void error(int status, String message) {
        errors.add(status + " " + message);
      }
    };
    Failures.guarded(answer, () -> {
      throw new OutOfMemoryError("Java heap space");
    }, e -> 400);
    Failures.guarded(answer, () -> {
      throw new StackOverflowError();
    }, e -> 400);
    Failures.guarded(answer, () -> {
      throw new dev.digits.imaging.ImageException("no digit found");
    }, e -> 422);
    assertEquals(List.of("503 out of memory: the server is overloaded; try again later",
        "500 internal error: StackOverflowError: null", "422 no digit found"), errors);
    assertEquals("1", headers.get("Retry-After"));
  }

  private static String firstLine(InputStream in) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\r' && c != '\n') {
      line.append((char) c);
    }
    return line.toString();
  }

  private static BufferedImage seven(int side) {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, side, side);
    g.setColor(Color.BLACK);
    g.setStroke(new java.awt.BasicStroke(side / 10f));
    g.drawLine(side / 4, side / 5, side * 3 / 4, side / 5);
    g.drawLine(side * 3 / 4, side / 5, side * 2 / 5, side * 4 / 5);
    g.dispose();
    return img;
  }

  private static byte[] png(BufferedImage img) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
