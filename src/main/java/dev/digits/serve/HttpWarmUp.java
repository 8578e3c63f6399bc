package dev.digits.serve;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;

/**
 * A just-started server's requests to itself. TF Serving's warm-up file readies TensorFlow, but
 * in a JVM the first requests also pay for loading and compiling the request path itself (HTTP,
 * JSON, decoding, preprocessing): about 120 ms for the first predict against 5 ms later. A few
 * hundred requests over loopback before the server reports that it serves make the first
 * client's request cost what later ones do. They carry {@link #HEADER} and are left out of the
 * metrics; one that fails is simply not repeated (the server serves regardless).
 */
final class HttpWarmUp {
  static final String HEADER = "X-Digits-Warm-Up";

  private HttpWarmUp() {}

  static void run(URI base, String modelName, int requests) {
    String host = base.getHost().equals("0.0.0.0") || base.getHost().equals("[::]") ? "127.0.0.1" : base.getHost();
    URI local = URI.create("http://" + host + ":" + base.getPort() + "/");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
        .build();
    byte[] one = ("{\"instances\":[" + ServingCodec.instance(stroke()) + "]}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] image = png();
    for (int i = 0; i < requests; i++) {
      boolean picture = i % 20 == 19;
      String path = picture ? (i % 40 == 39 ? "v1/read" : "v1/classify") : "v1/models/" + modelName + ":predict";
      if (!send(http, local.resolve(path), picture ? image : one)) {
        return;
      }
    }
  }

  private static boolean send(HttpClient http, URI uri, byte[] body) {
    try {
      http.send(HttpRequest.newBuilder(uri).header(HEADER, "1").timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A "1": one vertical stroke, white on black, as a model input. */
  private static float[] stroke() {
    float[] x = new float[28 * 28];
    for (int y = 5; y < 23; y++) {
      x[y * 28 + 13] = 1f;
      x[y * 28 + 14] = 0.6f;
    }
    return x;
  }

  /** A small photo-like PNG of a "7", for the image endpoints. */
  private static byte[] png() {
    BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 96, 96);
    g.setColor(Color.DARK_GRAY);
    g.setStroke(new BasicStroke(8));
    g.drawLine(24, 20, 72, 20);
    g.drawLine(72, 20, 40, 80);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
