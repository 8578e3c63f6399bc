package dev.digits.train;

import dev.digits.data.Augmenter;
import dev.digits.model.ModelConfig;
import dev.digits.model.ModelContract;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a training run. Stored in checkpoints (a resumed run continues with
 * the configuration it started with) and in the exported model's metadata.
 *
 * @param maxSteps stop after this many steps in total (0 = no limit): the smoke mode for tests
 * @param warmup the share of the steps spent warming up (with {@link LearningRateSchedule#ONE_CYCLE})
 * @param labelSmoothing the share of the target spread over all classes (0 = plain one-hot)
 * @param emaDecay decay of the weights' exponential moving average, which is then what is exported
 *     (0 = none)
 */
public record TrainConfig(
    String preset,
    ModelConfig model,
    int epochs,
    int batchSize,
    float learningRate,
    LearningRateSchedule schedule,
    Optimizer.Kind optimizer,
    float l2,
    Augmenter.Kind augmentation,
    long seed,
    int maxSteps,
    float warmup,
    float labelSmoothing,
    float emaDecay) {

  /** A run without warm-up, label smoothing or weight averaging. */
  public TrainConfig(String preset, ModelConfig model, int epochs, int batchSize, float learningRate,
      LearningRateSchedule schedule, Optimizer.Kind optimizer, float l2, Augmenter.Kind augmentation, long seed,
      int maxSteps) {
    this(preset, model, epochs, batchSize, learningRate, schedule, optimizer, l2, augmentation, seed, maxSteps, 0f, 0f,
        0f);
  }

  /**
   * Width 2, Adam with a one-cycle schedule (a tenth of the steps warming up to the peak rate, then
   * cosine decay to zero), real-image augmentation, dropout 0.25, batch 128, 20 epochs. Width 2
   * rather than the reference network's 1: measured on real digits and MNIST, it pays (see the
   * README's real-image section), and single-image inference stays well under 1 ms. The peak rate
   * fits the run's length ({@link #peakRate}).
   */
  public static TrainConfig defaults() {
    return new TrainConfig("default", new ModelConfig(2, 0.25f, 1f), 20, 128, peakRate(20),
        LearningRateSchedule.ONE_CYCLE, Optimizer.Kind.ADAM, 0f, Augmenter.Kind.REAL, 42, 0, 0.1f, 0f, 0f);
  }

  /**
   * The default recipe's peak learning rate for a run of {@code epochs}: 3e-3 / sqrt(epochs),
   * within [1e-3, 3e-3]. A short run needs a high rate to get anywhere (one epoch at width 1:
   * 95.6% at 1e-3, 97.6% at 3e-3, 3 seeds each), while a long one at 3e-3 plateaus (train loss
   * 0.17 through the middle of a 20-epoch run against 0.05 at 1e-3) and 6e-3 diverged. From 9
   * epochs on, the rate is 1e-3.
   */
  public static float peakRate(int epochs) {
    return (float) Math.max(1e-3, Math.min(3e-3, 3e-3 / Math.sqrt(Math.max(1, epochs))));
  }

  /**
   * The original Keras recipe, for comparison: raw 0-255 pixels, L2 0.04 on every kernel, plain
   * SGD at 0.003, batch 50, 5 epochs, no augmentation, no decay.
   */
  public static TrainConfig seedRecipe() {
    return new TrainConfig("seed", new ModelConfig(1, 0.25f, 255f), 5, 50, 0.003f, LearningRateSchedule.CONSTANT,
        Optimizer.Kind.SGD, 0.04f, Augmenter.Kind.NONE, 42, 0);
  }

  public TrainConfig withAugmentation(Augmenter.Kind kind) {
    return new TrainConfig(preset, model, epochs, batchSize, learningRate, schedule, optimizer, l2, kind, seed, maxSteps,
        warmup, labelSmoothing, emaDecay);
  }

  /** The same run with another step limit (the one setting a resumed run may change). */
  public TrainConfig withMaxSteps(int steps) {
    return new TrainConfig(preset, model, epochs, batchSize, learningRate, schedule, optimizer, l2, augmentation, seed,
        steps, warmup, labelSmoothing, emaDecay);
  }

  /** The same recipe on another network, for another number of epochs at another peak rate. */
  public TrainConfig with(ModelConfig network, int epochCount, float rate) {
    return new TrainConfig(preset, network, epochCount, batchSize, rate, schedule, optimizer, l2, augmentation, seed,
        maxSteps, warmup, labelSmoothing, emaDecay);
  }

  /** The same run with another schedule, warm-up, label smoothing and weight averaging. */
  public TrainConfig withRecipe(LearningRateSchedule kind, float warmupShare, float smoothing, float decay) {
    return new TrainConfig(preset, model, epochs, batchSize, learningRate, kind, optimizer, l2, augmentation, seed,
        maxSteps, warmupShare, smoothing, decay);
  }

  /** The same run with another seed. */
  public TrainConfig withSeed(long newSeed) {
    return new TrainConfig(preset, model, epochs, batchSize, learningRate, schedule, optimizer, l2, augmentation,
        newSeed, maxSteps, warmup, labelSmoothing, emaDecay);
  }

  /** The same run with another batch size. */
  public TrainConfig withBatchSize(int size) {
    return new TrainConfig(preset, model, epochs, size, learningRate, schedule, optimizer, l2, augmentation, seed,
        maxSteps, warmup, labelSmoothing, emaDecay);
  }

  /** The learning rate at a step of a run of {@code totalSteps}. */
  public float learningRateAt(long step, long totalSteps) {
    return schedule.at(learningRate, step, totalSteps, warmup);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset);
    m.put("width", model.width());
    m.put("dropout", model.dropoutRate());
    m.put("input_scale", model.inputScale());
    m.put("classes", model.classes());
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("learning_rate", learningRate);
    m.put("schedule", schedule.name().toLowerCase());
    m.put("optimizer", optimizer.name().toLowerCase());
    m.put("l2", l2);
    m.put("augmentation", augmentation.name().toLowerCase());
    m.put("seed", seed);
    m.put("max_steps", maxSteps);
    m.put("warmup", warmup);
    m.put("label_smoothing", labelSmoothing);
    m.put("ema_decay", emaDecay);
    return m;
  }

  public static TrainConfig fromMap(Map<String, Object> m) {
    return new TrainConfig(
        (String) m.get("preset"),
        new ModelConfig(num(m, "width").intValue(), num(m, "dropout").floatValue(), num(m, "input_scale").floatValue(),
            m.get("classes") == null ? ModelContract.CLASSES : num(m, "classes").intValue()),
        num(m, "epochs").intValue(),
        num(m, "batch_size").intValue(),
        num(m, "learning_rate").floatValue(),
        LearningRateSchedule.valueOf(((String) m.get("schedule")).toUpperCase()),
        Optimizer.Kind.valueOf(((String) m.get("optimizer")).toUpperCase()),
        num(m, "l2").floatValue(),
        augmentation(m),
        num(m, "seed").longValue(),
        num(m, "max_steps").intValue(),
        optional(m, "warmup"),
        optional(m, "label_smoothing"),
        optional(m, "ema_decay"));
  }

  /** Settings added later: a checkpoint or model written before them ran without them. */
  private static float optional(Map<String, Object> m, String key) {
    return m.get(key) == null ? 0f : num(m, key).floatValue();
  }

  /** Checkpoints written before augmentation had kinds say only whether it was on (then: affine). */
  private static Augmenter.Kind augmentation(Map<String, Object> m) {
    if (m.get("augmentation") instanceof String kind) {
      try {
        return Augmenter.Kind.valueOf(kind.toUpperCase());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown augmentation '" + kind + "'");
      }
    }
    return Boolean.TRUE.equals(m.get("augment")) ? Augmenter.Kind.AFFINE : Augmenter.Kind.NONE;
  }

  private static Number num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("missing or non-numeric '" + key + "'");
    }
    return n;
  }
}
