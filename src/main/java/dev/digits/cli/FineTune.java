package dev.digits.cli;

import dev.digits.data.Batcher;
import dev.digits.data.LabelledSet;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.data.ReplayMix;
import dev.digits.data.TrainingData;
import dev.digits.model.ModelConfig;
import dev.digits.model.ModelContract;
import dev.digits.predict.Predictor;
import dev.digits.report.ModelReport;
import dev.digits.train.TrainConfig;
import dev.digits.util.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code Train --from MODEL}: teach an exported model the user's images without making it forget
 * MNIST. The run starts from the model's weights (its network width from its metadata), trains on
 * the user's training images repeated to fill about {@code epochImages} per epoch together with
 * a replayed share of MNIST's training images, and is judged on the user's held-out images; MNIST
 * test accuracy is printed before and after, and gets its own report.
 */
final class FineTune {
  private final Path source;
  private final ModelConfig model;
  private final Mnist data;
  private final MnistDataset mnistTest;
  private final Map<String, Object> before;

  private FineTune(Path source, ModelConfig model, Mnist data, MnistDataset mnistTest, Map<String, Object> before) {
    this.source = source;
    this.model = model;
    this.data = data;
    this.mnistTest = mnistTest;
    this.before = before;
  }

  static FineTune prepare(Path from, TrainingData.Loaded user, Path mnistDir, float replay, int epochImages, long seed,
      PrintStream out, Consumer<String> log) throws IOException {
    Path source;
    Map<String, Object> before = new LinkedHashMap<>();
    Mnist mnist = null;
    int classes;
    try (Predictor predictor = Predictor.load(from)) {
      source = predictor.modelDir();
      classes = predictor.classCount();
      if (user.data().classCount() > classes) {
        throw new UsageException("--from " + source + " tells " + classes + " classes apart, but the data has labels"
            + " up to " + (user.data().classCount() - 1) + "; fine-tune a model of as many classes, or train anew");
      }
      // Replaying MNIST keeps a digit model from forgetting; a model of other classes has nothing to replay.
      if (predictor.readsDigits()) {
        mnist = user.mnist() ? user.data() : Mnist.load(mnistDir, log);
      } else if (replay > 0) {
        log.accept("fine-tuning: " + source + " does not read digits, so no MNIST is replayed");
      }
      before.put("held_out_accuracy", accuracy(predictor, user.data().test()));
      if (mnist != null) {
        before.put("mnist_test_accuracy", accuracy(predictor, mnist.test()));
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("--from: " + e.getMessage());
    }
    ModelConfig model = modelOf(source).withClasses(classes);
    out.printf("before fine-tuning %s: %s %.2f%% (%d images)%s%n", source, user.testName(),
        100 * (double) before.get("held_out_accuracy"), user.data().test().count(),
        mnist == null ? "" : String.format(", MNIST test %.2f%%", 100 * (double) before.get("mnist_test_accuracy")));
    MnistDataset own = user.data().train();
    float share = mnist == null ? 0f : replay;
    MnistDataset mixed = ReplayMix.mix(own, mnist == null ? own : mnist.train(), share, epochImages, seed);
    int times = ReplayMix.repeats(own.count(), share, epochImages);
    out.printf("fine-tuning on %,d images per epoch: the %,d training images %d times, and %,d of MNIST's (replay %s)%n",
        mixed.count(), own.count(), times, mixed.count() - times * own.count(), share);
    return new FineTune(source, model, new Mnist(mixed, user.data().test(), user.data().sha256()),
        mnist == null ? null : mnist.test(), before);
  }

  /** The exported model's network, from the metadata.json that Train writes beside it. */
  private static ModelConfig modelOf(Path modelDir) throws IOException {
    Path file = modelDir.resolve(ModelContract.METADATA_FILE);
    if (!Files.isRegularFile(file)) {
      throw new UsageException("--from " + modelDir + " has no metadata.json, so its network width is unknown;"
          + " fine-tune a model exported by Train");
    }
    Object config = Json.parseObject(Files.readString(file)).get("config");
    if (!(config instanceof Map<?, ?> c) || !(c.get("width") instanceof Number w)) {
      throw new UsageException("--from " + file + " does not say the network's width (config.width)");
    }
    double dropout = c.get("dropout") instanceof Number d ? d.doubleValue() : 0.25;
    double scale = c.get("input_scale") instanceof Number s ? s.doubleValue() : 1.0;
    return new ModelConfig(w.intValue(), (float) dropout, (float) scale);
  }

  /** The requested recipe with the source model's network and fine-tuning's epochs and rate. */
  TrainConfig config(TrainConfig c, int epochs, float lr) {
    return c.with(model, epochs, lr);
  }

  Path source() {
    return source;
  }

  /** The source model's number of classes, which the fine-tuned one keeps. */
  int classes() {
    return model.classes();
  }

  Mnist data() {
    return data;
  }

  /** What the model's metadata.json records of the fine-tuning. */
  Map<String, Object> metadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fine_tuned_from", source.toString());
    m.put("before_fine_tuning", before);
    return m;
  }

  /** Prints before and after, and writes the MNIST test report of the fine-tuned model. */
  void after(Predictor fineTuned, double heldOut, Path mnistReport, PrintStream out) throws Exception {
    if (mnistTest == null) {
      out.printf("fine-tuning: held-out images %.2f%% -> %.2f%%%n", 100 * (double) before.get("held_out_accuracy"),
          100 * heldOut);
      return;
    }
    double mnist = ModelReport.write(fineTuned, LabelledSet.of("MNIST test set", mnistTest), mnistReport, out)
        .evaluation().accuracy();
    out.printf("fine-tuning: held-out images %.2f%% -> %.2f%%, MNIST test %.2f%% -> %.2f%%%n",
        100 * (double) before.get("held_out_accuracy"), 100 * heldOut, 100 * (double) before.get("mnist_test_accuracy"),
        100 * mnist);
  }

  /** A model's accuracy on 28x28 inputs (already preprocessed), in batches. */
  static double accuracy(Predictor predictor, MnistDataset set) {
    int correct = 0;
    int k = predictor.classCount();
    for (int start = 0; start < set.count(); start += 500) {
      int n = Math.min(500, set.count() - start);
      float[] batch = new float[n * ModelContract.PIXELS];
      Batcher.toFloats(set.pixels(), start * ModelContract.PIXELS, batch, 0, n * ModelContract.PIXELS);
      float[] p = predictor.probabilities(batch, n);
      for (int i = 0; i < n; i++) {
        correct += dev.digits.predict.Prediction.best(p, i * k, k) == set.label(start + i) ? 1 : 0;
      }
    }
    return (double) correct / set.count();
  }
}
