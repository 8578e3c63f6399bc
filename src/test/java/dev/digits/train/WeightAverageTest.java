package dev.digits.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** The average is updated from the weights as the training step left them, never from the weights before it. */
class WeightAverageTest {
  @Test
  void theAverageReadsTheWeightsAfterTheStep() {
    // A "training step" that sets the weight from 0 to 10 (and counts the step). After one update
    // the average must have moved toward 10: read before the step, it would stay at 0. The
    // executor may run an unconstrained read first, so the race is tried many times.
    for (int trial = 0; trial < 200; trial++) {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Ops init = tf.withInitScope();
        Variable<TFloat32> w = tf.withName("w").variable(init.constant(new float[] {0f, 0f, 0f, 0f}));
        Variable<TInt64> step = tf.withName("step").variable(init.constant(0L));
        Op setWeight = tf.assign(w, tf.constant(new float[] {10f, 10f, 10f, 10f}));
        Op trainStep = tf.withControlDependencies(List.of(setWeight)).assignAdd(step, tf.constant(1L));
        WeightAverage average = WeightAverage.of(tf, List.of(w), 0.5f, trainStep, step);
        s.initialize();
        try (var r = s.runner().addTarget(average.update()).run()) {
          // nothing to fetch
        }
        average.swapIn(s);
        try (var r = s.runner().fetch(w).run()) {
          float[] v = new float[4];
          ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(v);
          // rate = min(0.5, (1 + 1) / (10 + 1)) = 2/11; average = 0 + (1 - 2/11) * (10 - 0)
          assertEquals(10f * 9 / 11, v[0], 1e-5, "trial " + trial + ": the average of the weights after the step");
        }
      }
    }
  }
}
