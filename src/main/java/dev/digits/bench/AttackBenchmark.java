package dev.digits.bench;

import dev.digits.cli.Args;
import dev.digits.cli.Cli;
import dev.digits.predict.Predictor;
import dev.digits.serve.DigitServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Hostile clients against the REST server, on loopback only, each attack bounded in time: per
 * attack, the answers it got (status counts, slowest answer) and the slowest answer a probe
 * (a status request every 100 ms) got meanwhile; at the end, the peak RSS of the process.
 */
public final class AttackBenchmark {
  private AttackBenchmark() {}

  public static void main(String[] argv) {
    Cli.main("benchmark-attack", AttackBenchmark::run, argv);
  }

  static int run(String[] argv) throws Exception {
    Args args = new Args("AttackBenchmark [OPTIONS]", "Attacks the REST server on loopback and measures that it holds.")
        .option("clients", "N", "8", "concurrent attackers per attack")
        .option("seconds", "S", "10", "how long each attack lasts (1-60)")
        .option("model", "DIR", "saved-model/1", "model folder")
        .option("mixed", "S", "0", "instead, all attacks at once for S seconds (each client cycles through them), with 50"
            + " slow connections open")
        .parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    int clients = args.getInt("clients", 1, 64);
    int seconds = args.getInt("seconds", 1, 60);
    byte[] zeros = ("{\"instances\":[" + "0,".repeat(2_700_000) + "0]}").getBytes(StandardCharsets.US_ASCII);
    byte[] emptyLists = ("{\"inputs\":[" + "[],".repeat(1_000_000) + "[]]}").getBytes(StandardCharsets.US_ASCII);
    byte[] lenient = "{'instances': [/* a comment */ 1]}".getBytes(StandardCharsets.US_ASCII);
    byte[] iccpBomb = pngWithIccp(new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
        1L << 30);
    try (Predictor predictor = Predictor.load(Path.of(args.get("model")));
        DigitServer server = new DigitServer(predictor, "digits", "127.0.0.1", 0, 8)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      URI predict = URI.create(server.url() + "v1/models/digits:predict");
      URI classify = URI.create(server.url() + "v1/classify");
      int mixed = args.getInt("mixed", 0, 600);
      if (mixed > 0) {
        List<Supplier<Integer>> all = List.of(() -> post(http, predict, zeros), () -> post(http, predict, emptyLists),
            () -> post(http, predict, lenient), () -> post(http, classify, iccpBomb));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Socket> slow = openSlow(server, 50);
        try {
          attack(server, http, "all of them at once, 50 slow connections open, " + mixed + " s", clients, mixed,
              () -> all.get(Math.floorMod(next.getAndIncrement(), all.size())).get());
        } finally {
          for (Socket socket : slow) {
            socket.close();
          }
        }
        System.out.printf("peak RSS of this process (server, attackers and model): %d MiB%n", ProcessMemory.peakMib());
        return Cli.OK;
      }
      attack(server, http, "2.7 million bare zeros (5.4 MB predict body)", clients, seconds,
          () -> post(http, predict, zeros));
      attack(server, http, "a million empty lists (3 MB columnar body)", clients, seconds,
          () -> post(http, predict, emptyLists));
      attack(server, http, "lenient JSON (comments, single quotes)", clients, seconds, () -> post(http, predict, lenient));
      attack(server, http, "PNG whose ICC profile inflates to 1 GB (" + iccpBomb.length / 1024 + " KB)", clients,
          seconds, () -> post(http, classify, iccpBomb));
      slowClients(server, http, 50, seconds);
    }
    System.out.printf("peak RSS of this process (server, attackers and model): %d MiB%n", ProcessMemory.peakMib());
    return Cli.OK;
  }

  /** {@code clients} attackers repeating a request for {@code seconds}, with a probe beside them. */
  private static void attack(DigitServer server, HttpClient http, String what, int clients, int seconds,
      Supplier<Integer> request) throws Exception {
    Map<Integer, Integer> statuses = new TreeMap<>();
    AtomicLong slowest = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      pool.submit(() -> {
        while (System.nanoTime() < end) {
          long t = System.nanoTime();
          int status = request.get();
          slowest.accumulateAndGet(System.nanoTime() - t, Math::max);
          synchronized (statuses) {
            statuses.merge(status, 1, Integer::sum);
          }
        }
      });
    }
    long probe = probe(server, http, end);
    pool.shutdown();
    pool.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
    System.out.printf(Locale.ROOT, "%-58s answers %s  slowest %.2f s  probe slowest %.3f s%n", what, statuses,
        slowest.get() / 1e9, probe / 1e9);
  }

  private static List<Socket> openSlow(DigitServer server, int connections) throws java.io.IOException {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Socket s = new Socket("127.0.0.1", server.port());
      s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      sockets.add(s);
    }
    return sockets;
  }

  /** Connections that send the start of a request and then a byte every second. */
  private static void slowClients(DigitServer server, HttpClient http, int connections, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Socket> sockets = openSlow(server, connections);
    try {
      Thread dribble = new Thread(() -> {
        while (System.nanoTime() < end) {
          for (Socket s : sockets) {
            try {
              OutputStream out = s.getOutputStream();
              out.write('X');
              out.flush();
            } catch (Exception e) {
              // dropped by the server: fine
            }
          }
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      dribble.start();
      long probe = probe(server, http, end);
      dribble.join();
      System.out.printf(Locale.ROOT, "%-58s probe slowest %.3f s%n", connections + " slow clients (a header byte a second)",
          probe / 1e9);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** A status request every 100 ms until {@code end}; the slowest answer, in nanoseconds (a failure counts 60 s). */
  private static long probe(DigitServer server, HttpClient http, long end) throws InterruptedException {
    URI status = URI.create(server.url() + "v1/models/digits");
    long slowest = 0;
    while (System.nanoTime() < end) {
      long t = System.nanoTime();
      int code;
      try {
        code = http.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(60)).GET().build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (Exception e) {
        code = -1;
      }
      slowest = Math.max(slowest, code == 200 ? System.nanoTime() - t : 60_000_000_000L);
      Thread.sleep(100);
    }
    return slowest;
  }

  private static int post(HttpClient http, URI uri, byte[] body) {
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  /** {@code img} as a PNG with an iCCP chunk (after IHDR) whose zlib stream inflates to {@code inflated} zeros. */
  public static byte[] pngWithIccp(java.awt.image.BufferedImage img, long inflated) throws java.io.IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", png);
    byte[] plain = png.toByteArray();
    Deflater deflater = new Deflater(9);
    byte[] zeros = new byte[1 << 20];
    byte[] buf = new byte[1 << 16];
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    z.write("icc\0\0".getBytes(StandardCharsets.US_ASCII));
    for (long done = 0; done < inflated; done += zeros.length) {
      deflater.setInput(zeros);
      while (!deflater.needsInput()) {
        z.write(buf, 0, deflater.deflate(buf));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      z.write(buf, 0, deflater.deflate(buf));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 33); // signature and IHDR
    out.write(pngChunk("iCCP", z.toByteArray()));
    out.write(plain, 33, plain.length - 33);
    return out.toByteArray();
  }

  /** One PNG chunk: length, type, data, CRC. */
  public static byte[] pngChunk(String type, byte[] data) {
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
    chunk.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(chunk.array(), 4, 4 + data.length);
    chunk.putInt((int) crc.getValue());
    return chunk.array();
  }
}
