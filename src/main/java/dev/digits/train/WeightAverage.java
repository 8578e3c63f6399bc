package dev.digits.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * An exponential moving average of the weights, updated in the graph after every training step.
 * The average of the last few hundred steps' weights is usually a better model than the last
 * step's: it smooths out the noise of the final mini-batches.
 *
 * <p>The averages start at zero, and the decay is {@code min(decay, (1 + t) / (10 + t))} at step t
 * (as in TensorFlow's ExponentialMovingAverage with num_updates), so the zeros are forgotten within
 * tens of steps. The averages are graph variables, so checkpoints hold them and a resumed run
 * continues the same average. To evaluate or save them, {@link #swapIn} copies the live weights
 * aside and puts the averages in their place; {@link #swapOut} puts the live weights back.
 */
final class WeightAverage {
  private final Op update;
  private final Op swapIn;
  private final Op swapOut;

  private WeightAverage(Op update, Op swapIn, Op swapOut) {
    this.update = update;
    this.swapIn = swapIn;
    this.swapOut = swapOut;
  }

  /**
   * Adds the averages of {@code variables}; the returned {@link #update} runs after {@code trainStep}
   * and reads {@code step}, the number of steps taken.
   */
  static WeightAverage of(Ops tf, List<Variable<TFloat32>> variables, float decay, Op trainStep,
      Operand<TInt64> step) {
    Ops init = tf.withInitScope();
    Ops after = tf.withControlDependencies(List.of(trainStep));
    Operand<TFloat32> t = after.dtypes.cast(step, TFloat32.class);
    Operand<TFloat32> rate = after.math.minimum(tf.constant(decay),
        tf.math.div(tf.math.add(tf.constant(1f), t), tf.math.add(tf.constant(10f), t)));
    Operand<TFloat32> keep = tf.math.sub(tf.constant(1f), rate);
    List<Op> updates = new ArrayList<>();
    List<Op> stash = new ArrayList<>();
    List<Variable<TFloat32>> averages = new ArrayList<>();
    List<Variable<TFloat32>> backups = new ArrayList<>();
    // Named after their variables: ema/conv1.kernel holds the average of conv1/kernel.
    Ops averageScope = tf.withSubScope("ema");
    Ops backupScope = tf.withSubScope("ema_backup");
    for (Variable<TFloat32> v : variables) {
      String name = v.op().name().replace('/', '.');
      Variable<TFloat32> average = averageScope.withName(name)
          .variable(init.zeros(init.constant(v.shape()), TFloat32.class));
      Variable<TFloat32> backup = backupScope.withName(name)
          .variable(init.zeros(init.constant(v.shape()), TFloat32.class));
      // average += (1 - rate) * (v - average), reading v only once the step has updated it: a read
      // outside the step's control dependencies may run first and average the weights before the step
      updates.add(after.assignSub(average, after.math.mul(keep, after.math.sub(average, v))));
      stash.add(tf.assign(backup, v));
      averages.add(average);
      backups.add(backup);
    }
    // Swapping in: the live weights go aside first (control dependencies), then the averages replace them.
    List<Op> load = new ArrayList<>();
    List<Op> restore = new ArrayList<>();
    Ops afterStash = tf.withControlDependencies(stash);
    for (int i = 0; i < variables.size(); i++) {
      load.add(afterStash.assign(variables.get(i), averages.get(i)));
      restore.add(tf.assign(variables.get(i), backups.get(i)));
    }
    Ops named = tf.withSubScope("ema_ops");
    return new WeightAverage(named.withName("update").withControlDependencies(updates).noOp(),
        named.withName("swap_in").withControlDependencies(load).noOp(),
        named.withName("swap_out").withControlDependencies(restore).noOp());
  }

  /** The op that updates the averages after a training step; run it as that step's target. */
  Op update() {
    return update;
  }

  /** The averages take the weights' place (evaluate or save now); the live weights are kept aside. */
  void swapIn(Session session) {
    try (var r = session.runner().addTarget(swapIn).run()) {
      // nothing to fetch
    }
  }

  /** The live weights return. */
  void swapOut(Session session) {
    try (var r = session.runner().addTarget(swapOut).run()) {
      // nothing to fetch
    }
  }
}
