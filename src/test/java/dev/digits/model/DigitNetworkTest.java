package dev.digits.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;

class DigitNetworkTest {
  @Test
  void referenceNetworkHas32020Parameters() {
    assertEquals(32_020, DigitNetwork.parameterCount(ModelConfig.DEFAULT));
    assertEquals(32_020, countInGraph(ModelConfig.DEFAULT));
  }

  @Test
  void widerNetworksCountTheirVariables() {
    for (int w : new int[] {2, 4}) {
      ModelConfig c = new ModelConfig(w, 0.25f, 1f);
      assertEquals(DigitNetwork.parameterCount(c), countInGraph(c), "width " + w);
    }
  }

  @Test
  void layerShapesFollowTheReferenceNetwork() {
    try (Graph g = new Graph()) {
      DigitNetwork.Endpoints net = DigitNetwork.inference(Ops.create(g), ModelConfig.DEFAULT);
      List<Shape> shapes = net.variables().stream().map(v -> v.shape()).toList();
      assertEquals(List.of(
          Shape.of(6, 6, 1, 20), Shape.of(20), Shape.of(3, 3, 20, 20), Shape.of(20),
          Shape.of(6, 6, 20, 10), Shape.of(10), Shape.of(3, 3, 10, 10), Shape.of(10),
          Shape.of(640, 30), Shape.of(30), Shape.of(30, 10), Shape.of(10)), shapes);
      // Shape.equals treats unknown dimensions as unequal, so compare the arrays.
      assertArrayEquals(new long[] {-1, 10}, net.probabilities().shape().asArray());
      assertArrayEquals(new long[] {-1}, net.digit().shape().asArray());
    }
  }

  private static long countInGraph(ModelConfig c) {
    try (Graph g = new Graph()) {
      return DigitNetwork.training(Ops.create(g), c, 1).variables().stream().mapToLong(v -> v.shape().size()).sum();
    }
  }
}
