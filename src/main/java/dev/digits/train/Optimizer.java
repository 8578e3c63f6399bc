package dev.digits.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Adds the update step to a training graph: Adam (or plain SGD for the original recipe) over the
 * given variables, with the learning rate fed on every step.
 *
 * <p>Why not the framework's {@code Adam}: it bakes the learning rate into the graph as a constant,
 * and a decaying rate is worth more for final accuracy than anything else we measured. The update
 * itself is the same fused {@code ApplyAdam} kernel. The step counter is a graph variable, so it is
 * saved in checkpoints and Adam's bias correction continues correctly after a resume.
 */
public final class Optimizer {
  public static final String LEARNING_RATE = "learning_rate";
  public static final String STEP = "global_step";
  public static final String TRAIN = "train";

  public enum Kind { ADAM, SGD }

  private Optimizer() {}

  /** Returns the op that applies one update; feed {@value #LEARNING_RATE} when running it. */
  public static Op minimize(Ops tf, Kind kind, Operand<TFloat32> loss, List<Variable<TFloat32>> variables) {
    Operand<TFloat32> lr = tf.withName(LEARNING_RATE).placeholderWithDefault(tf.constant(1e-3f), Shape.scalar());
    Variable<TInt64> step = tf.withName(STEP).variable(tf.withInitScope().constant(0L));
    Gradients gradients = tf.gradients(loss, variables);
    // Updates wait until every gradient is computed: backprop reads kernels (to pass gradients
    // down), and with ref variables an early update would change a kernel under a reader's feet,
    // giving wrong and irreproducible gradients.
    List<Op> grads = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      grads.add(tf.identity(gradients.dy(i)));
    }
    Ops after = tf.withControlDependencies(grads);

    List<Op> updates = new ArrayList<>();
    if (kind == Kind.ADAM) {
      float beta1 = 0.9f;
      float beta2 = 0.999f;
      // Bias correction uses beta^t for the step t being taken now (t = step + 1).
      Operand<TFloat32> t = tf.dtypes.cast(tf.math.add(step, tf.constant(1L)), TFloat32.class);
      Operand<TFloat32> beta1Power = tf.math.pow(tf.constant(beta1), t);
      Operand<TFloat32> beta2Power = tf.math.pow(tf.constant(beta2), t);
      for (int i = 0; i < variables.size(); i++) {
        Variable<TFloat32> v = variables.get(i);
        Variable<TFloat32> m = slot(tf, v, "m");
        Variable<TFloat32> s = slot(tf, v, "v");
        updates.add(after.train.applyAdam(v, m, s, beta1Power, beta2Power, lr, tf.constant(beta1),
            tf.constant(beta2), tf.constant(1e-7f), grad(grads, i), ApplyAdam.useLocking(false)));
      }
    } else {
      for (int i = 0; i < variables.size(); i++) {
        updates.add(after.train.applyGradientDescent(variables.get(i), lr, grad(grads, i)));
      }
    }
    Op increment = tf.withControlDependencies(updates).assignAdd(step, tf.constant(1L));
    return tf.withName(TRAIN).withControlDependencies(List.of(increment)).noOp();
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> grad(List<Op> grads, int i) {
    return (Operand<TFloat32>) grads.get(i);
  }

  /** A zero-initialized slot variable named after its variable, e.g. {@code conv1/kernel/adam_m}. */
  private static Variable<TFloat32> slot(Ops tf, Variable<TFloat32> v, String name) {
    Ops init = tf.withInitScope();
    Ops scoped = tf;
    for (String part : v.op().name().split("/")) {
      scoped = scoped.withSubScope(part);
    }
    return scoped.withName("adam_" + name).variable(init.zeros(init.constant(v.shape()), TFloat32.class));
  }
}
