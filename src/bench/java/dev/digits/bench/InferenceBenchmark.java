package dev.digits.bench;

import dev.digits.cli.Args;
import dev.digits.cli.Cli;
import dev.digits.model.ModelContract;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

/**
 * Offline inference of a SavedModel under one runtime configuration (session threads, the bfloat16
 * rewrite; oneDNN is the process's TF_ENABLE_ONEDNN_OPTS, set by tools/benchmark inference per
 * run): images/s at batch sizes 1, 32 and 128, a plain session run each, no Predictor around it.
 */
public final class InferenceBenchmark {
  private InferenceBenchmark() {}

  public static void main(String[] argv) {
    Cli.main("benchmark-inference", InferenceBenchmark::run, argv);
  }

  static int run(String[] argv) {
    Args args = new Args("InferenceBenchmark [OPTIONS]", "Images/s of one session configuration.")
        .option("model", "DIR", "saved-model/1", "SavedModel folder")
        .option("intra", "N", "-1", "intra-op threads (-1: TensorFlow's default, one per core)")
        .option("inter", "N", "-1", "inter-op threads (-1: TensorFlow's default)")
        .option("seconds", "S", "3", "seconds per batch size")
        .flag("bfloat16", "the oneDNN bfloat16 rewrite (auto_mixed_precision_onednn_bfloat16)")
        .parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    int intra = args.getInt("intra", -1, 256);
    int inter = args.getInt("inter", -1, 256);
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (intra >= 0) {
      config.setIntraOpParallelismThreads(intra);
    }
    if (inter >= 0) {
      config.setInterOpParallelismThreads(inter);
    }
    if (args.has("bfloat16")) {
      config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(
          RewriterConfig.newBuilder().setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
    }
    String oneDnn = String.valueOf(System.getenv("TF_ENABLE_ONEDNN_OPTS")).replace("null", "default");
    try (SavedModelBundle b = SavedModelBundle.loader(args.get("model")).withTags(ModelContract.SERVE_TAG)
        .withConfigProto(config.build()).load()) {
      var sig = b.metaGraphDef().getSignatureDefMap().get(ModelContract.SIGNATURE_KEY);
      String in = sig.getInputsOrThrow(ModelContract.IMAGE).getName();
      String out = sig.getOutputsOrThrow(ModelContract.PROBABILITIES).getName();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "oneDNN %-7s threads %2s/%-2s %-8s",
          oneDnn, intra < 0 ? "-" : intra, inter < 0 ? "-" : inter, args.has("bfloat16") ? "bfloat16" : "float32"));
      for (int n : new int[] {1, 32, 128}) {
        float[] x = new float[n * ModelContract.PIXELS];
        Random r = new Random(0);
        for (int i = 0; i < x.length; i++) {
          x[i] = r.nextFloat() < 0.2f ? r.nextFloat() : 0;
        }
        for (int w = 0; w < 5; w++) {
          run(b, in, out, x, n);
        }
        long t = System.nanoTime();
        long images = 0;
        while (System.nanoTime() - t < args.getInt("seconds", 1, 600) * 1_000_000_000L) {
          run(b, in, out, x, n);
          images += n;
        }
        line.append(String.format(Locale.ROOT, "  batch %3d: %,6.0f images/s", n, images / ((System.nanoTime() - t) / 1e9)));
      }
      System.out.println(line);
    }
    return Cli.OK;
  }

  private static void run(SavedModelBundle b, String in, String out, float[] x, int n) {
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(n, ModelContract.SIDE, ModelContract.SIDE, 1))) {
      t.asRawTensor().data().asFloats().write(x);
      try (Result r = b.session().runner().feed(in, t).fetch(out).run()) {
        // only the time counts
      }
    }
  }
}
