package dev.digits.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.data.Augmenter;
import dev.digits.data.Mnist;
import dev.digits.model.ModelContract;
import dev.digits.predict.Predictor;
import dev.digits.train.LearningRateSchedule;
import dev.digits.train.TrainConfig;
import dev.digits.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline run from Java, on generated digits (TestData.syntheticMnist) and a few steps. */
class TrainingPipelineTest {
  @TempDir Path tmp;

  @Test
  void trainsExportsVerifiesAndReportsFromJava() throws Exception {
    Mnist data = TestData.syntheticMnist(320, 100);
    TrainConfig config = TrainConfig.builder().preset("test").epochs(2).batchSize(32).learningRate(3e-3f)
        .schedule(LearningRateSchedule.ONE_CYCLE).augmentation(Augmenter.Kind.REAL).seed(3).warmup(0.1f).labelSmoothing(0.1f)
        .emaDecay(0.99f).build();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    TrainingPipeline.Result r = TrainingPipeline.run(TrainingPipeline.Request.in(tmp, config, data),
        new PrintStream(text, true));
    String out = text.toString();

    assertEquals(tmp.resolve("saved-model").resolve("1"), r.exportDir());
    assertTrue(Files.isRegularFile(r.exportDir().resolve(ModelContract.SAVED_MODEL_FILE)));
    assertTrue(Files.isRegularFile(tmp.resolve("reports").resolve("1").resolve("index.html")), out);
    assertTrue(out.contains("final: train") && out.contains("(the averaged weights, exported)"), out);
    Map<String, Object> metadata = Json.parseObject(Files.readString(r.exportDir().resolve(ModelContract.METADATA_FILE)));
    assertEquals("moving average (decay 0.99)", metadata.get("weights"));
    assertEquals(0.1, ((Number) ((Map<?, ?>) metadata.get("config")).get("label_smoothing")).doubleValue(), 1e-6);
    // The export reloads in a fresh session and predicts what the run predicted.
    try (Predictor p = Predictor.load(r.exportDir())) {
      float[] batch = new float[data.test().count() * ModelContract.PIXELS];
      dev.digits.data.Batcher.toFloats(data.test().pixels(), 0, batch, 0, batch.length);
      float[] probabilities = p.probabilities(batch, data.test().count());
      for (int i = 0; i < data.test().count(); i++) {
        assertEquals(r.outcome().testPredictions()[i],
            dev.digits.predict.Prediction.bestDigit(probabilities, i * ModelContract.CLASSES), "example " + i);
      }
    }
  }
}
