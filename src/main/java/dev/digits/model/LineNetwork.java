package dev.digits.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.CtcLoss;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The line reader: a network that reads a whole line of digits at once, without cutting it into
 * digits first, trained with CTC (connectionist temporal classification) on lines of MNIST
 * training digits. It stands beside the reference network, which reads one digit.
 *
 * <pre>
 * line [n,32,W,1] -> conv 32@3x3 -> maxpool 2x2 -> conv 64@3x3 -> maxpool 2x2
 *                 -> conv 96@3x3 -> conv 96@3x3 -> maxpool 2x1    (height 4, width W/4)
 *                 -> conv 128@4x1 (the whole height) -> conv 128@1x5 -> conv 11@1x1
 *                 -> column_logits [n, W/4, 11]: the ten digits and "blank", one column per 4 pixels
 * </pre>
 *
 * Only convolutions (SAME, ReLU): the width is free, so one graph reads a line of any length; each
 * column sees about 50 pixels, two digits' width at the line's height of 28. The input is
 * {@value #HEIGHT} rows of ink in [0, 1] (white on black, as the reference network's), the line
 * scaled to 28 rows with 2 blank above and below, its width a multiple of 4.
 *
 * <p>Why CTC needs help in TF Java 1.0.0: the {@code CTCLoss} op has no registered gradient, but it
 * computes its own (w.r.t. the logits) as its second output. The training loss is therefore
 * {@code sum(stop_gradient(ctc_gradient) * logits) / n} beside the true loss: its gradient is the
 * CTC gradient, and every op below the logits has a registered gradient.
 */
public final class LineNetwork {
  /** Rows of the line input. */
  public static final int HEIGHT = 32;
  /** Rows of the line's ink within the input (the rest is blank margin). */
  public static final int INK_HEIGHT = 28;
  /** Input pixels per output column. */
  public static final int COLUMN = 4;
  /** The "blank" class of CTC: no digit is emitted at this column. */
  public static final int BLANK = 10;
  /** Classes per column: the ten digits and blank. */
  public static final int CLASSES = 11;

  public static final String LINE = "line";
  public static final String COLUMN_LOGITS = "column_logits";
  public static final String COLUMN_PROBABILITIES = "column_probabilities";
  public static final String LABEL_INDICES = "label_indices";
  public static final String LABEL_VALUES = "label_values";
  public static final String COLUMNS = "columns";
  public static final String LOSS = "loss";
  public static final String TRAINING_LOSS = "training_loss";

  /** The graph's inputs and outputs; the training ones are null in an inference graph. */
  public record Endpoints(Placeholder<TFloat32> line, Operand<TFloat32> columnLogits,
      Operand<TFloat32> columnProbabilities, List<Variable<TFloat32>> variables,
      Placeholder<TInt64> labelIndices, Placeholder<TInt32> labelValues, Placeholder<TInt32> columns,
      Operand<TFloat32> loss, Operand<TFloat32> trainingLoss) {}

  private final Ops tf;
  private final boolean training;
  private final long seed;
  private final List<Variable<TFloat32>> variables = new ArrayList<>();

  private LineNetwork(Ops tf, boolean training, long seed) {
    this.tf = tf;
    this.training = training;
    this.seed = seed;
  }

  /** The training graph: seeded He-uniform kernels, the CTC loss and its stand-in for gradients. */
  public static Endpoints training(Ops tf, long seed) {
    return new LineNetwork(tf, true, seed).build();
  }

  /** The inference graph, whose variables are restored from a checkpoint or a SavedModel. */
  public static Endpoints inference(Ops tf) {
    return new LineNetwork(tf, false, 0).build();
  }

  private Endpoints build() {
    Placeholder<TFloat32> line = tf.withName(LINE).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, HEIGHT, -1, 1)));
    Operand<TFloat32> x = conv("conv1", line, 3, 3, 1, 32);
    x = maxPool(x, 2, 2);
    x = conv("conv2", x, 3, 3, 32, 64);
    x = maxPool(x, 2, 2);
    x = conv("conv3", x, 3, 3, 64, 96);
    x = conv("conv4", x, 3, 3, 96, 96);
    x = maxPool(x, 2, 1);
    x = conv("conv5", x, HEIGHT / 8, 1, 96, 128, "VALID");
    x = conv("conv6", x, 1, 5, 128, 128);
    Operand<TFloat32> out = linearConv("columns_out", x, 128, CLASSES);
    // [n, 1, T, 11] -> [n, T, 11]
    Operand<TFloat32> logits = tf.withName(COLUMN_LOGITS).squeeze(out, org.tensorflow.op.core.Squeeze.axis(List.of(1L)));
    Operand<TFloat32> probabilities = tf.withName(COLUMN_PROBABILITIES).nn.softmax(logits);
    if (!training) {
      return new Endpoints(line, logits, probabilities, List.copyOf(variables), null, null, null, null, null);
    }
    Placeholder<TInt64> indices = tf.withName(LABEL_INDICES).placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, 2)));
    Placeholder<TInt32> values = tf.withName(LABEL_VALUES).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TInt32> columns = tf.withName(COLUMNS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Operand<TFloat32> timeMajor = tf.linalg.transpose(logits, tf.constant(new int[] {1, 0, 2}));
    CtcLoss<TFloat32> ctc = tf.nn.ctcLoss(timeMajor, indices, values, columns,
        CtcLoss.ignoreLongerOutputsThanInputs(true));
    Operand<TFloat32> loss = tf.withName(LOSS).math.mean(ctc.loss(), tf.constant(0));
    Operand<TFloat32> batch = tf.dtypes.cast(tf.squeeze(tf.slice(tf.shape(line), tf.constant(new int[] {0}),
        tf.constant(new int[] {1}))), TFloat32.class);
    Operand<TFloat32> surrogate = tf.math.div(
        tf.sum(tf.math.mul(tf.stopGradient(ctc.gradient()), timeMajor), tf.constant(new int[] {0, 1, 2})), batch);
    Operand<TFloat32> trainingLoss = tf.withName(TRAINING_LOSS).identity(surrogate);
    return new Endpoints(line, logits, probabilities, List.copyOf(variables), indices, values, columns, loss,
        trainingLoss);
  }

  private Operand<TFloat32> conv(String name, Operand<TFloat32> x, int kh, int kw, int in, int out) {
    return conv(name, x, kh, kw, in, out, "SAME");
  }

  private Operand<TFloat32> conv(String name, Operand<TFloat32> x, int kh, int kw, int in, int out, String padding) {
    Variable<TFloat32> kernel = weight(name, Shape.of(kh, kw, in, out), kh * kw * in);
    Variable<TFloat32> bias = bias(name, out);
    Operand<TFloat32> y = tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), padding);
    return tf.nn.relu(tf.nn.biasAdd(y, bias));
  }

  private Operand<TFloat32> linearConv(String name, Operand<TFloat32> x, int in, int out) {
    Variable<TFloat32> kernel = weight(name, Shape.of(1, 1, in, out), in);
    Variable<TFloat32> bias = bias(name, out);
    return tf.nn.biasAdd(tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME"), bias);
  }

  /** Max pooling, the window its stride ({@link Layers#maxPool}: the op whose gradient has a fast kernel). */
  private Operand<TFloat32> maxPool(Operand<TFloat32> x, int kh, int kw) {
    return Layers.maxPool(tf, x, kh, kw, kh, kw);
  }

  /** A He-uniform kernel (ReLU layers), seeded by the run's seed and its place in the network. */
  private Variable<TFloat32> weight(String scope, Shape shape, int fanIn) {
    Variable<TFloat32> v = Layers.uniformKernel(tf, training, scope, "kernel", shape, (float) Math.sqrt(6.0 / fanIn),
        seed, 2000 + variables.size());
    variables.add(v);
    return v;
  }

  private Variable<TFloat32> bias(String scope, int size) {
    Variable<TFloat32> v = Layers.bias(tf, training, scope, size);
    variables.add(v);
    return v;
  }
}
