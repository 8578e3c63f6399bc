package dev.digits.model;

import static dev.digits.model.ModelContract.DIGIT;
import static dev.digits.model.ModelContract.IMAGE;
import static dev.digits.model.ModelContract.PROBABILITIES;
import static dev.digits.model.ModelContract.SIDE;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Builds the reference network as a TensorFlow graph:
 *
 * <pre>
 * image [n,28,28,1] -> conv 20@6x6 -> conv 20@3x3 -> maxpool 4x4/1 -> dropout
 *                   -> conv 10@6x6 -> conv 10@3x3 -> maxpool 4x4/1 -> dropout
 *                   -> flatten 640 -> dense 30 tanh -> dense 10 (or K classes) -> softmax
 * </pre>
 *
 * All convolutions are VALID, stride 1, ReLU. The same code builds the training graph (variables
 * with seeded Glorot initializers, dropout, loss) and the inference graph that is exported
 * (variables restored from a checkpoint, no dropout, no loss): the variable names are the contract
 * between the two.
 */
public final class DigitNetwork {
  // Training-only endpoints; those of the model itself are in ModelContract.
  public static final String LABELS = "labels";
  public static final String KEEP_PROB = "keep_prob";
  public static final String DROPOUT_SEED = "dropout_seed";
  public static final String LOGITS = "logits";
  public static final String LOSS = "loss";
  public static final String CORRECT = "correct";

  /** The graph's named tensors. Training-only ones are null in an inference graph. */
  public record Endpoints(
      Placeholder<TFloat32> image,
      Operand<TFloat32> logits,
      Operand<TFloat32> probabilities,
      Operand<TInt64> digit,
      List<Variable<TFloat32>> variables,
      List<Variable<TFloat32>> kernels,
      Placeholder<TInt32> labels,
      Operand<TFloat32> keepProb,
      Operand<TInt64> dropoutSeed,
      Operand<TFloat32> loss,
      Operand<TFloat32> correct) {}

  private final Ops tf;
  private final ModelConfig config;
  private final boolean training;
  private final long seed;
  private final float labelSmoothing;
  private final List<Variable<TFloat32>> variables = new ArrayList<>();
  private final List<Variable<TFloat32>> kernels = new ArrayList<>();

  private DigitNetwork(Ops tf, ModelConfig config, boolean training, long seed, float labelSmoothing) {
    this.tf = tf;
    this.config = config;
    this.training = training;
    this.seed = seed;
    this.labelSmoothing = labelSmoothing;
  }

  /** The training graph: initialized variables, dropout, labels, loss and accuracy. */
  public static Endpoints training(Ops tf, ModelConfig config, long seed) {
    return training(tf, config, seed, 0f);
  }

  /**
   * The training graph with label smoothing: the loss's target puts {@code 1 - labelSmoothing} on
   * the true class and spreads {@code labelSmoothing} evenly over all classes.
   */
  public static Endpoints training(Ops tf, ModelConfig config, long seed, float labelSmoothing) {
    return new DigitNetwork(tf, config, true, seed, labelSmoothing).build();
  }

  /** The inference graph: variables to restore, image in, probabilities and digit out. */
  public static Endpoints inference(Ops tf, ModelConfig config) {
    return new DigitNetwork(tf, config, false, 0, 0f).build();
  }

  /** Number of trainable parameters of a configuration (32,020 at width 1). */
  public static long parameterCount(ModelConfig config) {
    int w = config.width();
    long c1 = 20L * w, c2 = 20L * w, c3 = 10L * w, c4 = 10L * w, d = 30L * w;
    return (36 * c1 + c1) + (9 * c1 * c2 + c2) + (36 * c2 * c3 + c3) + (9 * c3 * c4 + c4)
        + (64 * c4 * d + d) + (d * config.classes() + config.classes());
  }

  private Endpoints build() {
    int w = config.width();
    Placeholder<TFloat32> image = tf.withName(IMAGE).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, SIDE, SIDE, 1)));
    Operand<TFloat32> keepProb = null;
    Operand<TInt64> dropoutSeed = null;
    if (training) {
      keepProb = tf.withName(KEEP_PROB).placeholderWithDefault(tf.constant(1f), Shape.scalar());
      dropoutSeed = tf.withName(DROPOUT_SEED).placeholderWithDefault(tf.constant(new long[] {seed, 0}), Shape.of(2));
    }

    Operand<TFloat32> x = config.inputScale() == 1f ? image : tf.math.mul(image, tf.constant(config.inputScale()));
    x = conv("conv1", x, 6, 1, 20 * w);
    x = conv("conv2", x, 3, 20 * w, 20 * w);
    x = maxPool(x);
    x = dropout(x, keepProb, dropoutSeed, 0);
    x = conv("conv3", x, 6, 20 * w, 10 * w);
    x = conv("conv4", x, 3, 10 * w, 10 * w);
    x = maxPool(x);
    x = dropout(x, keepProb, dropoutSeed, 1);
    int flat = 8 * 8 * 10 * w;
    x = tf.reshape(x, tf.constant(new int[] {-1, flat}));
    x = tf.math.tanh(dense("dense1", x, flat, 30 * w));
    Operand<TFloat32> logits = tf.withName(LOGITS).identity(dense("dense2", x, 30 * w, config.classes()));
    Operand<TFloat32> probabilities = tf.withName(PROBABILITIES).nn.softmax(logits);
    Operand<TInt64> digit = tf.withName(DIGIT).math.argMax(logits, tf.constant(1));

    Placeholder<TInt32> labels = null;
    Operand<TFloat32> loss = null;
    Operand<TFloat32> correct = null;
    if (training) {
      labels = tf.withName(LABELS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      float off = labelSmoothing / config.classes();
      Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(config.classes()), tf.constant(1f - labelSmoothing + off),
          tf.constant(off));
      // The sparse variant has no registered gradient in TF Java 1.0.0, hence one-hot labels.
      Operand<TFloat32> perExample = tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
      loss = tf.withName(LOSS).math.mean(perExample, tf.constant(0));
      Operand<TFloat32> hits = tf.dtypes.cast(tf.math.equal(digit, tf.dtypes.cast(labels, TInt64.class)), TFloat32.class);
      correct = tf.withName(CORRECT).sum(hits, tf.constant(0));
    }
    return new Endpoints(image, logits, probabilities, digit, List.copyOf(variables), List.copyOf(kernels),
        labels, keepProb, dropoutSeed, loss, correct);
  }

  private Operand<TFloat32> conv(String name, Operand<TFloat32> x, int k, int in, int out) {
    Variable<TFloat32> kernel = weight(name, "kernel", Shape.of(k, k, in, out), k * k * in, k * k * out);
    kernels.add(kernel);
    Variable<TFloat32> bias = bias(name, out);
    Operand<TFloat32> y = tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "VALID");
    return tf.nn.relu(tf.nn.biasAdd(y, bias));
  }

  private Operand<TFloat32> dense(String name, Operand<TFloat32> x, int in, int out) {
    Variable<TFloat32> kernel = weight(name, "kernel", Shape.of(in, out), in, out);
    kernels.add(kernel);
    return tf.nn.biasAdd(tf.linalg.matMul(x, kernel), bias(name, out));
  }

  /** Max pooling 4x4, stride 1 ({@link Layers#maxPool}: the op whose gradient has a fast kernel). */
  private Operand<TFloat32> maxPool(Operand<TFloat32> x) {
    return Layers.maxPool(tf, x, 4, 4, 1, 1);
  }

  /**
   * Inverted dropout (TF Java has no dropout op): keep each activation with probability keepProb
   * and scale the kept ones by 1/keepProb, so nothing changes at inference. The mask comes from a
   * stateless generator seeded by the fed {@code dropout_seed}, so a step's mask depends only on
   * the run's seed and the step number, also after a resume.
   */
  private Operand<TFloat32> dropout(Operand<TFloat32> x, Operand<TFloat32> keepProb, Operand<TInt64> seed, int layer) {
    if (!training || config.dropoutRate() == 0f) {
      return x;
    }
    Operand<TInt64> layerSeed = tf.math.add(seed, tf.constant(new long[] {0, layer}));
    Operand<TFloat32> uniform = tf.random.statelessRandomUniform(tf.shape(x), layerSeed, TFloat32.class);
    Operand<TFloat32> mask = tf.math.floor(tf.math.add(uniform, keepProb));
    return tf.math.div(tf.math.mul(x, mask), keepProb);
  }

  /** A Glorot-uniform kernel (training) or an uninitialized one to be restored (inference). */
  private Variable<TFloat32> weight(String scope, String name, Shape shape, int fanIn, int fanOut) {
    Variable<TFloat32> v = Layers.uniformKernel(tf, training, scope, name, shape,
        (float) Math.sqrt(6.0 / (fanIn + fanOut)), seed, 1000 + variables.size());
    variables.add(v);
    return v;
  }

  private Variable<TFloat32> bias(String scope, int size) {
    Variable<TFloat32> v = Layers.bias(tf, training, scope, size);
    variables.add(v);
    return v;
  }
}
