package dev.digits.cli;

import dev.digits.predict.Predictor;
import dev.digits.serve.DigitServer;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code Serve}: the model over HTTP (TF Serving's REST API) plus a drawing page. */
public final class ServeCommand {
  private ServeCommand() {}

  static Args spec() {
    return new Args(Digits.usage("serve", "Serve", "[OPTIONS]"),
        "Serves a SavedModel over HTTP until stopped with Ctrl-C: TF Serving's REST API under /v1/models/<name>,\n"
            + "POST /v1/classify for image files, and a page to draw digits on at /.")
        .option("model", "DIR", "saved-model", "a SavedModel folder, or a folder of versions (the highest is used)")
        .option("host", "ADDRESS", "127.0.0.1", "address to listen on (0.0.0.0 for every interface)")
        .option("port", "N", "8501", "port to listen on (TF Serving's REST port)")
        .option("name", "NAME", "digits", "the model name in /v1/models/<name>")
        .option("threads", "N", "8", "requests decoded, preprocessed or inferred at once")
        .option("budget-mb", "MB", "384", "memory the work in hand may hold together (decoded images, parsed inputs);"
            + " what does not fit waits")
        .option("max-queued", "N", "256", "requests that may wait for the budget or a thread; more get 503 at once")
        .option("max-wait-ms", "MS", "1000", "how long a request may wait before it gets 503 with Retry-After")
        .option("body-min-rate", "BYTES", "16384", "bytes/s a request body must keep up after its first second;"
            + " slower gets 408")
        .option("body-timeout", "S", "60", "seconds a request body may take in all")
        .flag("cors", "answer browsers from any origin: TF Serving's CORS headers on every reply, and preflight requests");
  }

  public static int main(String[] argv) throws Exception {
    Args args = spec().parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    int port = args.getInt("port", 0, 65535);
    DigitServer.Options options = new DigitServer.Options()
        .host(args.get("host"))
        .port(port)
        .workers(args.getInt("threads", 1, 256))
        .budgetBytes((long) args.getInt("budget-mb", 16, 1 << 20) << 20)
        .maxQueued(args.getInt("max-queued", 0, 1 << 20))
        .maxWaitMillis(args.getInt("max-wait-ms", 0, 600_000))
        .bodyMinBytesPerSecond(args.getInt("body-min-rate", 0, Integer.MAX_VALUE))
        .bodyMaxMillis(args.getInt("body-timeout", 1, 86_400) * 1000L)
        .cors(args.has("cors"));
    String name = args.get("name");
    if (name.isEmpty() || name.contains("/") || name.contains(":")) {
      throw new UsageException("--name may not be empty or hold '/' or ':' (they end the name in a URL)");
    }
    Predictor predictor = Predictor.load(Path.of(args.get("model")));
    DigitServer server;
    try {
      server = new DigitServer(predictor, options.name(name));
    } catch (BindException e) {
      predictor.close();
      throw new IllegalStateException("cannot listen on " + args.get("host") + ":" + port + " (" + e.getMessage()
          + "); is another server running there? Try --port");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("serve: stopping");
      server.close();      // first stop taking requests and let running ones finish,
      predictor.close();   // then free the model
      stopped.countDown();
    }));
    System.out.println("serving " + dev.digits.util.Text.oneLine(predictor.modelDir()) + " as '" + name + "' on " + server.url());
    System.out.println("  draw:     " + server.url());
    System.out.println("  predict:  POST " + server.url() + "v1/models/" + name + ":predict");
    System.out.println("  classify: POST " + server.url() + "v1/classify (an image file)");
    System.out.println("  read:     POST " + server.url() + "v1/read (an image of a number)");
    System.out.flush();
    stopped.await();
    return Cli.OK;
  }
}
