package dev.digits.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.data.Batcher;
import dev.digits.data.MnistDataset;
import dev.digits.model.DigitNetwork;
import dev.digits.model.ModelConfig;
import dev.digits.model.ModelContract;
import dev.digits.predict.Predictor;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@code Train --from}: a training graph set to the bundled model's weights ({@link TestData#BUNDLED_MODEL}, width 2). */
class WeightCopyTest {

  @Test
  void aTrainingGraphStartsWithTheExportedWeightsExactly() {
    MnistDataset images = TestData.synthetic(16, 3);
    float[] batch = new float[16 * ModelContract.PIXELS];
    Batcher.toFloats(images.pixels(), 0, batch, 0, batch.length);
    float[] expected;
    try (Predictor source = Predictor.load(TestData.BUNDLED_MODEL)) {
      expected = source.probabilities(batch, 16);
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      DigitNetwork.Endpoints net = DigitNetwork.training(tf, new ModelConfig(2, 0.25f, 1f), 5);
      WeightCopy copy = WeightCopy.into(tf, net.variables());
      try (Session s = new Session(g)) {
        s.initialize();
        float[] random = probabilities(s, net, batch);
        copy.from(TestData.BUNDLED_MODEL, s);
        float[] copied = probabilities(s, net, batch);
        assertArrayEquals(expected, copied, 1e-6f, "predictions before any step equal the source model's");
        assertTrue(Math.abs(random[0] - copied[0]) > 1e-4 || Math.abs(random[7] - copied[7]) > 1e-4,
            "the random start differs, so the test can fail");
      }
    }
  }

  @Test
  void aModelOfAnotherWidthIsRefusedByName() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      DigitNetwork.Endpoints net = DigitNetwork.training(tf, new ModelConfig(1, 0.25f, 1f), 5);
      WeightCopy copy = WeightCopy.into(tf, net.variables());
      try (Session s = new Session(g)) {
        s.initialize();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> copy.from(TestData.BUNDLED_MODEL, s));
        assertTrue(e.getMessage().contains("another --width"), e.getMessage());
      }
    }
  }

  private static float[] probabilities(Session s, DigitNetwork.Endpoints net, float[] batch) {
    float[] out = new float[16 * 10];
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(16, 28, 28, 1)); TFloat32 keep = TFloat32.scalarOf(1f)) {
      x.asRawTensor().data().asFloats().write(batch);
      try (Result r = s.runner().feed(net.image(), x).feed(net.keepProb(), keep).fetch(net.probabilities()).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
      }
    }
    return out;
  }
}
