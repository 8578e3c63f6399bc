package dev.digits.model;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** What the networks ({@link DigitNetwork}, {@link LineNetwork}) build alike: max pooling, kernels and biases. */
final class Layers {
  private Layers() {}

  /**
   * Max pooling as the classic {@code MaxPool} op, with its window in attributes. TF Java's
   * {@code tf.nn.maxPool} builds {@code MaxPoolV2} (window as tensors), whose gradient has no
   * oneDNN kernel: measured on 2 cores, it took 18% of a training step, and this op makes training
   * 1.5x faster. The same op in the exported graph, so TF Serving runs what was trained.
   */
  static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> x, int windowH, int windowW, int strideH, int strideW) {
    Scope scope = tf.scope();
    return scope.env().opBuilder("MaxPool", scope.makeOpName("MaxPool"), scope)
        .addInput(x.asOutput())
        .setAttr("ksize", new long[] {1, windowH, windowW, 1})
        .setAttr("strides", new long[] {1, strideH, strideW, 1})
        .setAttr("padding", "VALID")
        .build()
        .output(0);
  }

  /** A bias named {@code <scope>/bias}: zeros to train, or uninitialized to be restored (inference). */
  static Variable<TFloat32> bias(Ops tf, boolean training, String scope, int size) {
    Ops named = tf.withSubScope(scope).withName("bias");
    return training
        ? named.variable(tf.withInitScope().zeros(tf.withInitScope().constant(new int[] {size}), TFloat32.class))
        : named.variable(Shape.of(size), TFloat32.class);
  }

  /**
   * A kernel named {@code <scope>/<name>}: uniform in [-limit, limit] from a stateless generator
   * (seeded by the run's seed and {@code stream}, so a run's initial weights are reproducible) to
   * train, or uninitialized to be restored (inference).
   */
  static Variable<TFloat32> uniformKernel(Ops tf, boolean training, String scope, String name, Shape shape, float limit,
      long seed, long stream) {
    Ops named = tf.withSubScope(scope).withName(name);
    if (!training) {
      return named.variable(shape, TFloat32.class);
    }
    Ops init = tf.withInitScope();
    Operand<TFloat32> u = init.random.statelessRandomUniform(
        init.constant(shape), init.constant(new long[] {seed, stream}), TFloat32.class);
    return named.variable(init.math.sub(init.math.mul(u, init.constant(2 * limit)), init.constant(limit)));
  }
}
