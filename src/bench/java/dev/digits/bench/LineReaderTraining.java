package dev.digits.bench;

import dev.digits.data.Mnist;
import dev.digits.model.LineNetwork;
import dev.digits.model.ModelContract;
import dev.digits.numbers.LineDecoder;
import dev.digits.numbers.LineInput;
import dev.digits.predict.ModelFiles;
import dev.digits.train.Optimizer;
import dev.digits.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * {@code tools/train-line-reader}: trains the line reader ({@link LineNetwork}) with CTC on
 * synthetic lines of MNIST training digits ({@link LineSynth}), checks it on lines of MNIST test
 * digits (exact lines, greedy decoding), and exports it as a SavedModel.
 *
 * <p>Options: {@code --steps N} (default 12000), {@code --batch N} (32), {@code --lr X} (0.001,
 * decayed to a tenth along a cosine), {@code --seed N} (1; the bundled model's), {@code --out DIR}
 * (target/line-reader/model), {@code --data DIR} (data), {@code --every N} (steps between checks, 1000),
 * {@code --fonts DIR} (data/train-fonts: handwriting faces no benchmark reads; a fifth of the lines
 * are typed in one of them), {@code --distort X} (0, the bundled model's: the share of MNIST
 * digits distorted as the digit classifier's training distorts them to read real people's digits;
 * docs/NUMBERS.md has what 0.5 changed).
 */
public final class LineReaderTraining {
  private record Batch(float[] pixels, int width, int[] columns, long[] indices, int[] values, int count) {}

  private LineReaderTraining() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> opt = new LinkedHashMap<>(Map.of("steps", "12000", "batch", "32", "lr", "0.001",
        "seed", "1", "out", "target/line-reader/model", "data", "data", "every", "1000",
        "fonts", "data/train-fonts", "distort", "0"));
    for (int i = 0; i < argv.length; i += 2) {
      if (i + 1 >= argv.length || !argv[i].startsWith("--") || !opt.containsKey(argv[i].substring(2))) {
        System.err.println("train-line-reader: unknown option " + argv[i] + "; options: " + String.join(" ",
            opt.keySet().stream().map(k -> "--" + k + " " + opt.get(k)).toList()));
        System.exit(2);
      }
      opt.put(argv[i].substring(2), argv[i + 1]);
    }
    int steps;
    int batchSize;
    float lr;
    long seed;
    int every;
    double distort;
    try {
      steps = Integer.parseInt(opt.get("steps"));
      batchSize = Integer.parseInt(opt.get("batch"));
      lr = Float.parseFloat(opt.get("lr"));
      seed = Long.parseLong(opt.get("seed"));
      every = Integer.parseInt(opt.get("every"));
      distort = Double.parseDouble(opt.get("distort"));
    } catch (NumberFormatException e) {
      System.err.println("train-line-reader: --steps, --batch, --seed and --every take whole numbers, --lr and --distort a number ("
          + e.getMessage() + ")");
      System.exit(2);
      return;
    }
    if (!(distort >= 0 && distort <= 1)) {
      System.err.println("train-line-reader: --distort is a share from 0 to 1, got " + opt.get("distort"));
      System.exit(2);
    }
    if (steps < 1 || batchSize < 1 || every < 1 || !(lr > 0)) {
      System.err.println("train-line-reader: --steps, --batch, --every and --lr must be positive");
      System.exit(2);
    }
    Path out = Path.of(opt.get("out")).toAbsolutePath();
    if (Files.exists(out)) {
      System.err.println("train-line-reader: " + out + " exists; choose another --out (nothing is overwritten)");
      System.exit(2);
    }
    Mnist mnist = Mnist.load(Path.of(opt.get("data")), s -> { });
    List<java.awt.Font> fonts = new ArrayList<>();
    Path fontDir = Path.of(opt.get("fonts"));
    if (Files.isDirectory(fontDir)) {
      try (var files = Files.list(fontDir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".ttf")).sorted().toList()) {
          fonts.add(java.awt.Font.createFont(java.awt.Font.TRUETYPE_FONT, f.toFile()).deriveFont(96f));
        }
      }
    }
    System.out.println("training on MNIST training digits" + (fonts.isEmpty() ? "" : " and " + fonts.size()
        + " faces of " + fontDir));
    LineSynth train = new LineSynth(mnist.train(), fonts, distort);
    LineSynth test = new LineSynth(mnist.test());
    List<LineSynth.Line> checks = new ArrayList<>();
    SplittableRandom checkRng = new SplittableRandom(777);
    for (int i = 0; i < 600; i++) {
      checks.add(test.line(checkRng));
    }

    BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(16);
    Thread maker = new Thread(() -> {
      SplittableRandom rng = new SplittableRandom(seed);
      try {
        for (int s = 0; s < steps; s++) {
          List<LineSynth.Line> lines = new ArrayList<>();
          for (int i = 0; i < batchSize; i++) {
            lines.add(train.line(rng));
          }
          queue.put(batch(lines));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // Without lines the training would wait for ever: say what broke and stop.
        System.err.println("train-line-reader: making training lines failed: " + e + " at " + e.getStackTrace()[0]);
        System.exit(1);
      }
    }, "line-maker");
    maker.setDaemon(true);
    maker.start();

    Files.createDirectories(out.getParent());
    Path checkpoint = Files.createTempDirectory(out.getParent(), "checkpoint-");
    double lastCheck = 0; // the exact share of the test lines at the last check, for the metadata
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      LineNetwork.Endpoints net = LineNetwork.training(tf, seed);
      Op step = Optimizer.minimize(tf, Optimizer.Kind.ADAM, net.trainingLoss(), net.variables());
      try (Session session = new Session(graph)) {
        session.initialize();
        long start = System.nanoTime();
        double lossSum = 0;
        int lossN = 0;
        for (int s = 1; s <= steps; s++) {
          Batch b = queue.take();
          float rate = (float) (lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * (s - 1) / steps))));
          try (TFloat32 x = TFloat32.tensorOf(Shape.of(b.count, LineNetwork.HEIGHT, b.width, 1));
              TInt64 idx = TInt64.tensorOf(Shape.of(b.values.length, 2));
              TInt32 val = TInt32.tensorOf(Shape.of(b.values.length));
              TInt32 cols = TInt32.tensorOf(Shape.of(b.count));
              TFloat32 lrT = TFloat32.scalarOf(rate)) {
            x.asRawTensor().data().asFloats().write(b.pixels);
            idx.asRawTensor().data().asLongs().write(b.indices);
            val.asRawTensor().data().asInts().write(b.values);
            cols.asRawTensor().data().asInts().write(b.columns);
            try (Result r = session.runner().feed(net.line(), x).feed(net.labelIndices(), idx)
                .feed(net.labelValues(), val).feed(net.columns(), cols).feed(Optimizer.LEARNING_RATE, lrT)
                .addTarget(step).fetch(net.loss()).run()) {
              lossSum += ((TFloat32) r.get(0)).getFloat();
              lossN++;
            }
          }
          if (s % every == 0 || s == steps) {
            double secs = (System.nanoTime() - start) / 1e9;
            double exact = check(session, net, checks);
            lastCheck = exact;
            System.out.printf(Locale.ROOT, "step %d: loss %.3f, test lines exact %.1f%%, %.0f lines/s, %.0f s%n",
                s, lossSum / lossN, 100 * exact, s * batchSize / secs, secs);
            lossSum = 0;
            lossN = 0;
          }
        }
        session.save(checkpoint.resolve("weights").toString());
      }
    }
    export(checkpoint.resolve("weights").toString(), out);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("model", "line reader (dev.digits.model.LineNetwork), CTC over columns of 4 pixels");
    metadata.put("trained_on", "synthetic lines of MNIST training digits" + (fonts.isEmpty() ? "" : " and of "
        + fonts.size() + " handwriting faces no benchmark reads") + " (tools/train-line-reader)");
    metadata.put("distorted", distort + " of the MNIST digits, as the digit classifier's \"real\" augmentation distorts them");
    metadata.put("steps", steps);
    metadata.put("batch", batchSize);
    metadata.put("learning_rate", lr);
    metadata.put("seed", seed);
    metadata.put("test_lines_exact", lastCheck);
    metadata.put("test_lines", "600 synthetic lines of MNIST test digits, 1-8 digits, apart/touching/overlapping");
    metadata.put("tensorflow_version", org.tensorflow.TensorFlow.version());
    Files.writeString(out.resolve(ModelContract.METADATA_FILE), Json.pretty(metadata) + "\n");
    ModelFiles.deleteTree(checkpoint);
    System.out.println("exported " + out);
  }

  private static Batch batch(List<LineSynth.Line> lines) {
    List<LineInput> inputs = new ArrayList<>();
    int width = 0;
    for (LineSynth.Line l : lines) {
      LineInput in = LineInput.of(l.ink());
      inputs.add(in);
      width = Math.max(width, in.width());
    }
    int n = lines.size();
    float[] pixels = new float[n * LineNetwork.HEIGHT * width];
    int[] columns = new int[n];
    List<long[]> idx = new ArrayList<>();
    List<Integer> vals = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LineInput in = inputs.get(i);
      for (int y = 0; y < LineNetwork.HEIGHT; y++) {
        System.arraycopy(in.pixels(), y * in.width(), pixels, (i * LineNetwork.HEIGHT + y) * width, in.width());
      }
      columns[i] = in.width() / LineNetwork.COLUMN;
      String number = lines.get(i).number();
      for (int k = 0; k < number.length(); k++) {
        idx.add(new long[] {i, k});
        vals.add(number.charAt(k) - '0');
      }
    }
    long[] indices = new long[idx.size() * 2];
    int[] values = new int[vals.size()];
    for (int k = 0; k < values.length; k++) {
      indices[2 * k] = idx.get(k)[0];
      indices[2 * k + 1] = idx.get(k)[1];
      values[k] = vals.get(k);
    }
    return new Batch(pixels, width, columns, indices, values, n);
  }

  /** The share of lines read exactly by greedy decoding. */
  private static double check(Session session, LineNetwork.Endpoints net, List<LineSynth.Line> lines) {
    int right = 0;
    for (int from = 0; from < lines.size(); from += 50) {
      List<LineSynth.Line> part = lines.subList(from, Math.min(lines.size(), from + 50));
      Batch b = batch(part);
      int t = b.width / LineNetwork.COLUMN;
      float[] probs = new float[b.count * t * LineNetwork.CLASSES];
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(b.count, LineNetwork.HEIGHT, b.width, 1))) {
        x.asRawTensor().data().asFloats().write(b.pixels);
        try (Result r = session.runner().feed(net.line(), x).fetch(net.columnProbabilities()).run()) {
          ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(probs);
        }
      }
      for (int i = 0; i < b.count; i++) {
        float[] mine = new float[b.columns[i] * LineNetwork.CLASSES];
        System.arraycopy(probs, i * t * LineNetwork.CLASSES, mine, 0, mine.length);
        if (LineDecoder.greedy(mine).equals(part.get(i).number())) {
          right++;
        }
      }
    }
    return (double) right / lines.size();
  }

  /** A SavedModel of the inference graph, its variables restored from the training checkpoint. */
  static void export(String checkpointPrefix, Path out) throws IOException {
    if (Files.exists(out)) {
      throw new IOException(out + " exists; choose another --out");
    }
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      LineNetwork.Endpoints net = LineNetwork.inference(tf);
      Signature signature = Signature.builder()
          .key(ModelContract.SIGNATURE_KEY)
          .methodName(ModelContract.PREDICT_METHOD)
          .input(LineNetwork.LINE, net.line())
          .output(LineNetwork.COLUMN_PROBABILITIES, net.columnProbabilities())
          .build();
      try (Session session = new Session(graph)) {
        session.restore(checkpointPrefix);
        SavedModelBundle.exporter(out.toString()).withSession(session).withSignature(signature).export();
      }
    }
  }
}
