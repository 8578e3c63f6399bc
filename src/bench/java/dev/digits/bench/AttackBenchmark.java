package dev.digits.bench;

import dev.digits.bench.HostileImages;
import dev.digits.bench.ProcessMemory;
import dev.digits.cli.Args;
import dev.digits.cli.Cli;
import dev.digits.predict.Predictor;
import dev.digits.serve.DigitServer;
import dev.digits.serve.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Hostile clients against the REST server, on loopback only, each attack bounded in time: per
 * attack, the answers it got (status counts; -1 is a connection closed without an answer), the
 * slowest answer, and the slowest answer a probe (a status request every 100 ms) got meanwhile;
 * at the end, the server's peak RSS. The server is started in this process, or is one already
 * running ({@code --url}, with {@code --server-pid} for its memory): then its figures are its own.
 */
public final class AttackBenchmark {
  private AttackBenchmark() {}

  public static void main(String[] argv) {
    Cli.main("benchmark-attack", AttackBenchmark::run, argv);
  }

  /** One attack: a name, and the request a client sends (given the client's index), returning the status. */
  private record Attack(String what, int clients, IntFunction<Integer> request) {}

  static int run(String[] argv) throws Exception {
    Args args = new Args("AttackBenchmark [OPTIONS]", "Attacks the REST server on loopback and measures that it holds.")
        .option("clients", "N", "8", "concurrent attackers per attack (the floods use their own counts: 32 and 16)")
        .option("seconds", "S", "10", "how long each attack lasts (1-60)")
        .option("model", "DIR", "saved-model/1", "model folder, for a server started here")
        .option("url", "URL", "", "attack this running server (http://127.0.0.1:PORT/) instead of starting one")
        .option("server-pid", "PID", "0", "with --url: the server's process, for its peak RSS")
        .option("only", "WORDS", "", "run only the attacks whose description holds one of these comma-separated words")
        .option("mixed", "S", "0", "instead, all attacks at once for S seconds (each client cycles through them), with 50"
            + " slow connections open and 4 honest clients beside them")
        .parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    int clients = args.getInt("clients", 1, 64);
    int seconds = args.getInt("seconds", 1, 60);
    int mixed = args.getInt("mixed", 0, 600);
    String url = args.get("url");
    if (!url.isEmpty()) {
      URI base = URI.create(url.endsWith("/") ? url : url + "/");
      check(base.getHost());
      attackAll(base, Integer.parseInt(args.get("server-pid")), clients, seconds, mixed, args.get("only"));
      return Cli.OK;
    }
    try (Predictor predictor = Predictor.load(Path.of(args.get("model")));
        DigitServer server = new DigitServer(predictor, new ServerOptions().port(0))) {
      attackAll(URI.create(server.url()), 0, clients, seconds, mixed, args.get("only"));
    }
    return Cli.OK;
  }

  /** Loopback only: this benchmark never sends to another machine. */
  private static void check(String host) throws java.net.UnknownHostException {
    if (host == null || !java.net.InetAddress.getByName(host).isLoopbackAddress()) {
      throw new IllegalArgumentException("--url must name a loopback address (127.0.0.1, localhost, [::1])");
    }
  }

  private static void attackAll(URI base, int serverPid, int clients, int seconds, int mixed, String only)
      throws Exception {
    List<String> words = only.isBlank() ? List.of() : List.of(only.split(","));
    java.util.function.Predicate<String> chosen = what -> words.isEmpty() || words.stream().anyMatch(what::contains);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
    URI predict = base.resolve("v1/models/digits:predict");
    URI classify = base.resolve("v1/classify");
    URI read = base.resolve("v1/read");
    byte[] zeros = ("{\"instances\":[" + "0,".repeat(2_700_000) + "0]}").getBytes(StandardCharsets.US_ASCII);
    byte[] emptyLists = ("{\"inputs\":[" + "[],".repeat(1_000_000) + "[]]}").getBytes(StandardCharsets.US_ASCII);
    byte[] lenient = "{'instances': [/* a comment */ 1]}".getBytes(StandardCharsets.US_ASCII);
    byte[] iccpBomb = pngWithIccp(new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
        1L << 30);
    byte[] scanBomb = HostileImages.jpegScanBomb(6000, 3000);
    byte[] frameBomb = HostileImages.gifFrameBomb(64, 46_000);
    byte[] largest = HostileImages.largestPng();
    byte[] thousand = thousandImages();
    List<Attack> attacks = List.of(
        new Attack("2.7 million bare zeros (5.4 MB predict body)", clients, c -> post(http, predict, zeros)),
        new Attack("a million empty lists (3 MB columnar body)", clients, c -> post(http, predict, emptyLists)),
        new Attack("lenient JSON (comments, single quotes)", clients, c -> post(http, predict, lenient)),
        new Attack("PNG whose ICC profile inflates to 1 GB (" + iccpBomb.length / 1024 + " KB)", clients,
            c -> post(http, classify, iccpBomb)),
        new Attack("progressive JPEG of 3,000 scans, 6000x6000 (" + scanBomb.length / 1024 + " KB)", clients,
            c -> post(http, c % 2 == 0 ? classify : read, scanBomb)),
        new Attack("GIF: a 46000x46000 frame on a 64x64 screen (" + frameBomb.length + " bytes)", clients,
            c -> post(http, c % 2 == 0 ? classify : read, frameBomb)),
        new Attack("32 at once: 6320x6320 16-bit RGBA PNGs (" + largest.length / 1024 + " KB), read and classify", 32,
            c -> post(http, c % 2 == 0 ? read : classify, largest)),
        new Attack("16 at once: legal 1,000-image predicts (" + thousand.length / 1024 + " KB)", 16,
            c -> post(http, predict, thousand)));
    if (mixed > 0) {
      mixed(base, http, attacks, clients, mixed, predict, classify);
    } else {
      for (Attack a : attacks) {
        if (chosen.test(a.what())) {
          attack(base, http, a, seconds);
        }
      }
      if (chosen.test("slow headers")) {
        slowHeaders(base, http, 50, seconds);
      }
      if (chosen.test("slow bodies")) {
        slowBodies(base, http, 12, seconds);
      }
    }
    long peak = serverPid > 0 ? ProcessMemory.peakMib(serverPid) : ProcessMemory.peakMib();
    System.out.printf("peak RSS of the %s: %d MiB%n", serverPid > 0 ? "server (process " + serverPid + ")"
        : "process (server, attackers and model)", peak);
  }

  /** Every attack at once, 50 slow connections open, and honest clients beside them whose every request must be answered. */
  private static void mixed(URI base, HttpClient http, List<Attack> attacks, int clients, int seconds, URI predict,
      URI classify) throws Exception {
    byte[] photo = Files.readAllBytes(Path.of("src/test/resources/digits/3-photo-0.jpg"));
    byte[] one = ("{\"instances\":[" + "[".repeat(0) + zerosImage() + "]}").getBytes(StandardCharsets.US_ASCII);
    AtomicInteger next = new AtomicInteger();
    Map<Integer, Integer> honest = new TreeMap<>();
    AtomicLong honestSlowest = new AtomicLong();
    List<Socket> slow = openSlow(base, 50);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int c = 0; c < 4; c++) {
      int client = c;
      pool.submit(() -> {
        for (int k = 0; System.nanoTime() < end; k++) {
          long t = System.nanoTime();
          int status = (k + client) % 2 == 0 ? post(http, classify, photo) : post(http, predict, one);
          honestSlowest.accumulateAndGet(System.nanoTime() - t, Math::max);
          synchronized (honest) {
            honest.merge(status, 1, Integer::sum);
          }
        }
      });
    }
    try {
      attack(base, http, new Attack("all of them at once, 50 slow connections open, " + seconds + " s", clients,
          c -> {
            Attack a = attacks.get(Math.floorMod(next.getAndIncrement(), attacks.size()));
            return a.request().apply(c);
          }), seconds);
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
    pool.shutdown();
    pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
    System.out.printf(Locale.ROOT, "%-75s answers %s  slowest %.2f s  (-1: dropped without an answer)%n",
        "honest clients beside them (a photo to classify, a one-image predict)", honest, honestSlowest.get() / 1e9);
  }

  /** The attack's clients repeating their request for {@code seconds}, with a probe beside them. */
  private static void attack(URI base, HttpClient http, Attack a, int seconds) throws Exception {
    Map<Integer, Integer> statuses = new TreeMap<>();
    AtomicLong slowest = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(a.clients());
    for (int c = 0; c < a.clients(); c++) {
      int client = c;
      pool.submit(() -> {
        while (System.nanoTime() < end) {
          long t = System.nanoTime();
          int status = a.request().apply(client);
          slowest.accumulateAndGet(System.nanoTime() - t, Math::max);
          synchronized (statuses) {
            statuses.merge(status, 1, Integer::sum);
          }
        }
      });
    }
    long probe = probe(base, http, end);
    pool.shutdown();
    pool.awaitTermination(seconds + 90L, TimeUnit.SECONDS);
    System.out.printf(Locale.ROOT, "%-75s answers %s  slowest %.2f s  probe slowest %.3f s%n", a.what(), statuses,
        slowest.get() / 1e9, probe / 1e9);
  }

  private static List<Socket> openSlow(URI base, int connections) throws java.io.IOException {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Socket s = new Socket(base.getHost(), base.getPort());
      s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      sockets.add(s);
    }
    return sockets;
  }

  /** Connections that send the start of a request and then a header byte every second. */
  private static void slowHeaders(URI base, HttpClient http, int connections, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Socket> sockets = openSlow(base, connections);
    try {
      Thread dribble = new Thread(() -> dribble(sockets, end, 1000));
      dribble.start();
      long probe = probe(base, http, end);
      dribble.join();
      System.out.printf(Locale.ROOT, "%-75s probe slowest %.3f s%n", connections + " slow headers (a header byte a second)",
          probe / 1e9);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /**
   * Connections that promise a megabyte of body and send a byte every 2 s: what each was answered
   * and after how long (the idle timeout never fires for them).
   */
  private static void slowBodies(URI base, HttpClient http, int connections, int seconds) throws Exception {
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Socket s = new Socket(base.getHost(), base.getPort());
      s.setSoTimeout(seconds * 1000 + 5000);
      s.getOutputStream().write(("POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      sockets.add(s);
    }
    try {
      Thread dribble = new Thread(() -> dribble(sockets, end, 2000));
      dribble.start();
      Map<String, Integer> answers = new TreeMap<>();
      double slowest = 0;
      ExecutorService readers = Executors.newFixedThreadPool(connections);
      List<java.util.concurrent.Future<String>> lines = new ArrayList<>();
      for (Socket s : sockets) {
        lines.add(readers.submit(() -> statusLine(s.getInputStream())));
      }
      long probe = probe(base, http, end);
      for (java.util.concurrent.Future<String> line : lines) {
        String status;
        try {
          status = line.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          status = "no answer";
        }
        answers.merge(status, 1, Integer::sum);
      }
      slowest = (System.nanoTime() - start) / 1e9;
      readers.shutdownNow();
      dribble.join();
      System.out.printf(Locale.ROOT, "%-75s answers %s  probe slowest %.3f s%n", connections
          + " slow bodies (Content-Length 1 MB, a byte every 2 s)", answers, probe / 1e9);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private static String statusLine(InputStream in) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\r' && c != '\n') {
      line.append((char) c);
    }
    return line.length() == 0 ? "closed" : line.toString().replaceFirst("^HTTP/1.1 (\\d+).*", "$1");
  }

  private static void dribble(List<Socket> sockets, long end, long everyMillis) {
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
        Thread.sleep(everyMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** A status request every 100 ms until {@code end}; the slowest answer, in nanoseconds (a failure counts 60 s). */
  private static long probe(URI base, HttpClient http, long end) throws InterruptedException {
    URI status = base.resolve("v1/models/digits");
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

  /** One image of 784 zeros as a TF Serving instance. */
  private static String zerosImage() {
    StringBuilder row = new StringBuilder("[");
    for (int y = 0; y < 28; y++) {
      row.append(y == 0 ? "" : ",").append("[").append("[0],".repeat(27)).append("[0]]");
    }
    return row.append("]").toString();
  }

  /** A legal predict body of 1,000 images with varied values (so nothing compresses or repeats). */
  private static byte[] thousandImages() {
    java.util.Random r = new java.util.Random(0);
    StringBuilder b = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < 1000; i++) {
      b.append(i == 0 ? "[" : ",[");
      for (int y = 0; y < 28; y++) {
        b.append(y == 0 ? "[" : ",[");
        for (int x = 0; x < 28; x++) {
          b.append(x == 0 ? "[" : ",[").append(r.nextInt(10) / 10.0).append("]");
        }
        b.append("]");
      }
      b.append("]");
    }
    return b.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
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
