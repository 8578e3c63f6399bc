package dev.digits.model;

/**
 * What a trained model promises everyone who uses it: the trainer, the exporter, the Predictor,
 * the server and TF Serving. Its input is {@value #SIDE}x{@value #SIDE} grey pixels in [0, 1],
 * white ink on black (MNIST's polarity), as a float tensor {@code [n, 28, 28, 1]} named
 * {@value #IMAGE}; its outputs are {@value #PROBABILITIES} ({@code [n, K]}: K = 10 for digits, up
 * to {@value #MAX_CLASSES} for a user's data) and {@value #DIGIT} (the most probable class, {@code [n]}). A SavedModel is tagged {@value #SERVE_TAG} and signs
 * these under {@value #SIGNATURE_KEY}; {@value #METADATA_FILE} and {@value #HISTORY_FILE} lie
 * beside it.
 */
public final class ModelContract {
  /** Pixels per side of a model input. */
  public static final int SIDE = 28;
  /** Pixels per model input. */
  public static final int PIXELS = SIDE * SIDE;
  /** Classes of a digit model (and MNIST's): 0-9. */
  public static final int CLASSES = 10;
  /** The most classes a model trained on a user's data may have (labels 0-99). */
  public static final int MAX_CLASSES = 100;

  /** The input tensor. */
  public static final String IMAGE = "image";
  /** The softmax output. */
  public static final String PROBABILITIES = "probabilities";
  /** The arg-max output. */
  public static final String DIGIT = "digit";

  /** The SavedModel tag TF Serving and {@code SavedModelBundle.load} look for. */
  public static final String SERVE_TAG = "serve";
  /** The signature TF Serving answers {@code :predict} and {@code :classify} requests with. */
  public static final String SIGNATURE_KEY = "serving_default";
  /** The signature's method name. */
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";
  /** The SavedModel's graph file, whose presence makes a folder a model version. */
  public static final String SAVED_MODEL_FILE = "saved_model.pb";
  /** The model's metadata (recipe, accuracy, class names), beside the SavedModel. */
  public static final String METADATA_FILE = "metadata.json";
  /** The key in {@value #METADATA_FILE} of the class names, index by index. */
  public static final String CLASSES_KEY = "classes";
  /** The training run's per-epoch history, beside the SavedModel and the checkpoints. */
  public static final String HISTORY_FILE = "history.csv";

  private ModelContract() {}

  /** The names of {@code count} classes that have none but their numbers: "0", "1", ... */
  public static java.util.List<String> numberedClasses(int count) {
    return java.util.stream.IntStream.range(0, count).mapToObj(Integer::toString).toList();
  }
}
