package dev.digits.train;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.digits.data.Augmenter;
import dev.digits.model.ModelConfig;
import dev.digits.model.ModelContract;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

  /**
   * Width 2, Adam with a one-cycle schedule (a tenth of the steps warming up to the peak rate, then
   * cosine decay to zero), real-image augmentation, dropout 0.25, batch 128, 20 epochs. Width 2
   * rather than the reference network's 1: measured on real digits and MNIST, it pays (see the
   * README's real-image section), and single-image inference stays well under 1 ms. The peak rate
   * fits the run's length ({@link #peakRate}).
   */
  public static TrainConfig defaults() {
    return builder().preset("default").model(new ModelConfig(2, 0.25f, 1f)).epochs(20).batchSize(128)
        .learningRate(peakRate(20)).schedule(LearningRateSchedule.ONE_CYCLE).augmentation(Augmenter.Kind.REAL)
        .warmup(0.1f).build();
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
    return builder().preset("seed").model(new ModelConfig(1, 0.25f, 255f)).epochs(5).batchSize(50).learningRate(0.003f)
        .schedule(LearningRateSchedule.CONSTANT).optimizer(Optimizer.Kind.SGD).l2(0.04f).augmentation(Augmenter.Kind.NONE)
        .build();
  }

  public TrainConfig withAugmentation(Augmenter.Kind kind) {
    return toBuilder().augmentation(kind).build();
  }

  /** The same run with another step limit (the one setting a resumed run may change). */
  public TrainConfig withMaxSteps(int steps) {
    return toBuilder().maxSteps(steps).build();
  }

  /** The same recipe on another network, for another number of epochs at another peak rate. */
  public TrainConfig with(ModelConfig network, int epochCount, float rate) {
    return toBuilder().model(network).epochs(epochCount).learningRate(rate).build();
  }

  /** The same run with another schedule, warm-up, label smoothing and weight averaging. */
  public TrainConfig withRecipe(LearningRateSchedule kind, float warmupShare, float smoothing, float decay) {
    return toBuilder().schedule(kind).warmup(warmupShare).labelSmoothing(smoothing).emaDecay(decay).build();
  }

  /** The same run with another seed. */
  public TrainConfig withSeed(long newSeed) {
    return toBuilder().seed(newSeed).build();
  }

  /** The same run with another batch size. */
  public TrainConfig withBatchSize(int size) {
    return toBuilder().batchSize(size).build();
  }

  /**
   * A configuration built setting by setting; what is not set is the plain recipe: width 1, Adam
   * at 1e-3 with a constant rate, batch 128, one epoch, no augmentation, warm-up, smoothing or
   * averaging, seed 42.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.preset = preset;
    b.model = model;
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.learningRate = learningRate;
    b.schedule = schedule;
    b.optimizer = optimizer;
    b.l2 = l2;
    b.augmentation = augmentation;
    b.seed = seed;
    b.maxSteps = maxSteps;
    b.warmup = warmup;
    b.labelSmoothing = labelSmoothing;
    b.emaDecay = emaDecay;
    return b;
  }

  /** Sets a {@link TrainConfig} up one named setting at a time. */
  public static final class Builder {
    private String preset = "custom";
    private ModelConfig model = ModelConfig.DEFAULT;
    private int epochs = 1;
    private int batchSize = 128;
    private float learningRate = 1e-3f;
    private LearningRateSchedule schedule = LearningRateSchedule.CONSTANT;
    private Optimizer.Kind optimizer = Optimizer.Kind.ADAM;
    private float l2;
    private Augmenter.Kind augmentation = Augmenter.Kind.NONE;
    private long seed = 42;
    private int maxSteps;
    private float warmup;
    private float labelSmoothing;
    private float emaDecay;

    private Builder() {}

    public Builder preset(String v) { preset = v; return this; }
    public Builder model(ModelConfig v) { model = v; return this; }
    public Builder epochs(int v) { epochs = v; return this; }
    public Builder batchSize(int v) { batchSize = v; return this; }
    public Builder learningRate(float v) { learningRate = v; return this; }
    public Builder schedule(LearningRateSchedule v) { schedule = v; return this; }
    public Builder optimizer(Optimizer.Kind v) { optimizer = v; return this; }
    public Builder l2(float v) { l2 = v; return this; }
    public Builder augmentation(Augmenter.Kind v) { augmentation = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder maxSteps(int v) { maxSteps = v; return this; }
    public Builder warmup(float v) { warmup = v; return this; }
    public Builder labelSmoothing(float v) { labelSmoothing = v; return this; }
    public Builder emaDecay(float v) { emaDecay = v; return this; }

    public TrainConfig build() {
      return new TrainConfig(preset, model, epochs, batchSize, learningRate, schedule, optimizer, l2, augmentation, seed,
          maxSteps, warmup, labelSmoothing, emaDecay);
    }
  }

  /** The learning rate at a step of a run of {@code totalSteps}. */
  public float learningRateAt(long step, long totalSteps) {
    return schedule.at(learningRate, step, totalSteps, warmup);
  }

  /**
   * The configuration as stored in checkpoints and metadata.json: one flat object of snake_case
   * keys (the network's settings beside the run's), written and read by Gson through {@link Stored}.
   */
  public Map<String, Object> toMap() {
    JsonObject json = GSON.toJsonTree(Stored.of(this)).getAsJsonObject();
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : json.entrySet()) {
      JsonPrimitive v = e.getValue().getAsJsonPrimitive();
      m.put(e.getKey(), v.isNumber() ? v.getAsNumber() : v.getAsString());
    }
    return m;
  }

  /**
   * Reads what {@link #toMap} wrote, and what earlier versions wrote: settings added later are
   * absent (they were off), and augmentation was once a yes/no {@code augment} (then: affine).
   */
  public static TrainConfig fromMap(Map<String, Object> m) {
    Stored s;
    try {
      s = GSON.fromJson(GSON.toJsonTree(m), Stored.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unreadable training configuration: " + e.getMessage(), e);
    }
    for (String key : List.of("width", "dropout", "input_scale", "epochs", "batch_size", "learning_rate", "l2", "seed",
        "max_steps")) {
      if (!(m.get(key) instanceof Number)) {
        throw new IllegalArgumentException("missing or non-numeric '" + key + "'");
      }
    }
    return s.toConfig();
  }

  private static final Gson GSON = new GsonBuilder()
      .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

  /** The stored form: flat, by name, in the order the keys have always been written. */
  private record Stored(String preset, int width, float dropout, float inputScale, Integer classes, int epochs,
      int batchSize, float learningRate, String schedule, String optimizer, float l2, String augmentation, Boolean augment,
      long seed, int maxSteps, Float warmup, Float labelSmoothing, Float emaDecay) {

    static Stored of(TrainConfig c) {
      ModelConfig m = c.model();
      return new Stored(c.preset(), m.width(), m.dropoutRate(), m.inputScale(), m.classes(), c.epochs(), c.batchSize(),
          c.learningRate(), lower(c.schedule()), lower(c.optimizer()), c.l2(), lower(c.augmentation()), null, c.seed(),
          c.maxSteps(), c.warmup(), c.labelSmoothing(), c.emaDecay());
    }

    TrainConfig toConfig() {
      return new TrainConfig(preset, new ModelConfig(width, dropout, inputScale, classes == null ? ModelContract.CLASSES
          : classes), epochs, batchSize, learningRate, LearningRateSchedule.valueOf(upper(schedule, "schedule")),
          Optimizer.Kind.valueOf(upper(optimizer, "optimizer")), l2, augmentationKind(), seed, maxSteps, orZero(warmup),
          orZero(labelSmoothing), orZero(emaDecay));
    }

    private Augmenter.Kind augmentationKind() {
      if (augmentation == null) {
        return Boolean.TRUE.equals(augment) ? Augmenter.Kind.AFFINE : Augmenter.Kind.NONE;
      }
      try {
        return Augmenter.Kind.valueOf(augmentation.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown augmentation '" + augmentation + "'");
      }
    }

    private static String lower(Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }

    private static String upper(String name, String key) {
      if (name == null) {
        throw new IllegalArgumentException("missing '" + key + "'");
      }
      return name.toUpperCase(Locale.ROOT);
    }

    private static float orZero(Float v) {
      return v == null ? 0f : v;
    }
  }
}
