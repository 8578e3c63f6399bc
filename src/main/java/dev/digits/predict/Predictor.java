package dev.digits.predict;

import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import dev.digits.model.ModelContract;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;

/**
 * Classifies digit images with an exported model.
 *
 * <pre>{@code
 * try (Predictor predictor = Predictor.load()) {          // newest model under saved-model/
 *   Prediction p = predictor.predict(Path.of("seven.jpg"));
 *   System.out.println(p.digit() + " " + p.probability());
 * }
 * }</pre>
 *
 * <p>Images go through {@link ImageDecoder} and {@link DigitPreprocessor} first, so photos,
 * scans and canvas drawings in either polarity work. One instance is meant to be shared: loading
 * takes ~100 ms, each call is thread-safe, and every tensor a call creates is freed before it
 * returns, so native memory does not grow with use. Close it when done.
 *
 * <p>Failures for a given image (unreadable, unsupported, too large, no digit in it) are
 * {@link ImageException}s.
 *
 * <p>Called from many threads at once, a predictor runs each call's inference on its own; with
 * {@link #enableBatching} it batches them instead, as TF Serving does ({@link DynamicBatcher}):
 * one model run serves what many threads asked for, which is faster under load and bounds the
 * memory that inference takes, whatever the callers send.
 */
public final class Predictor implements AutoCloseable {
  /** Where {@link #load()} looks: TF Serving's layout, {@code saved-model/<version>/}. */
  public static final Path DEFAULT_MODEL_BASE = Path.of("saved-model");
  private static final int PIXELS = ModelContract.SIDE * ModelContract.SIDE;

  private final SavedModelBundle bundle;
  private final Path modelDir;
  private final String input;
  private final String output;
  private final int classes;
  private final List<String> classNames;
  /** A copy of the model that this predictor made and deletes when closed, or null. */
  private Path ownCopy;
  /** The batcher every inference goes through, once {@link #enableBatching} was called; else null. */
  private volatile DynamicBatcher batcher;

  private Predictor(SavedModelBundle bundle, Path modelDir) {
    this.bundle = bundle;
    this.modelDir = modelDir;
    SignatureDef sig = bundle.metaGraphDef().getSignatureDefMap().get(ModelContract.SIGNATURE_KEY);
    if (sig == null || !sig.getInputsMap().containsKey("image") || !sig.getOutputsMap().containsKey("probabilities")) {
      bundle.close();
      throw new IllegalArgumentException(modelDir + " has no '" + ModelContract.SIGNATURE_KEY
          + "' signature with an 'image' input and a 'probabilities' output; is it a model exported by Train?");
    }
    this.input = sig.getInputsOrThrow("image").getName();
    this.output = sig.getOutputsOrThrow("probabilities").getName();
    var shape = sig.getOutputsOrThrow("probabilities").getTensorShape();
    long k = shape.getDimCount() == 2 ? shape.getDim(1).getSize() : -1;
    this.classes = k > 1 ? (int) k : ModelContract.CLASSES;
    this.classNames = ModelFiles.classNames(modelDir, classes);
  }

  /**
   * One inference runs its operations one after another, each on every core: a model this small
   * has little to run side by side (batch 128, 2 cores: 6,100 images/s with one inter-op thread,
   * 5,700 with two), and requests run side by side are the batcher's job.
   */
  private static final org.tensorflow.proto.ConfigProto INFERENCE_CONFIG = org.tensorflow.proto.ConfigProto.newBuilder()
      .setIntraOpParallelismThreads(Runtime.getRuntime().availableProcessors())
      .setInterOpParallelismThreads(1)
      .build();

  /** Loads the newest model under {@link #DEFAULT_MODEL_BASE}. */
  public static Predictor load() {
    return load(DEFAULT_MODEL_BASE);
  }

  /**
   * Loads a SavedModel folder, or the highest-numbered version inside a folder of versions.
   *
   * @throws IllegalArgumentException when there is no model there
   */
  public static Predictor load(Path dir) {
    // Inference's fastest oneDNN setting for this CPU, when this is TensorFlow's first use here.
    dev.digits.util.TensorFlowRuntime.prefer(dev.digits.util.TensorFlowRuntime.Workload.INFERENCE);
    Path model = ModelFiles.resolve(dir);
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(model.toString()).withTags(ModelContract.SERVE_TAG)
          .withConfigProto(INFERENCE_CONFIG).load();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot load the model in " + model + ": " + e.getMessage(), e);
    }
    return new Predictor(bundle, model);
  }

  /**
   * Loads the model that ships inside this library's jar (the repository's {@code saved-model/1}),
   * wherever the program runs: TensorFlow reads a SavedModel from files only, so it is copied to a
   * temporary folder first, which {@link #close()} deletes.
   */
  public static Predictor loadBundled() {
    return loadFromClassPath(ModelFiles.BUNDLED, "the bundled model");
  }

  /** A SavedModel stored on the class path under {@code resourceDir}, copied out to a temporary folder. */
  public static Predictor loadFromClassPath(String resourceDir, String what) {
    Path dir = ModelFiles.copyFromClassPath(resourceDir, what);
    try {
      Predictor p = load(dir);
      p.ownCopy = dir;
      return p;
    } catch (RuntimeException e) {
      ModelFiles.deleteTree(dir);
      throw e;
    }
  }

  /** The model's signatures by key, as stored in the SavedModel (for serving its metadata). */
  public java.util.Map<String, SignatureDef> signatures() {
    return bundle.metaGraphDef().getSignatureDefMap();
  }

  /** The SavedModel folder in use. */
  public Path modelDir() {
    return modelDir;
  }

  /**
   * The names of the model's classes, index by index: what Train stored in its metadata.json
   * ({@code --classes} or a classes.txt beside the data), else the digits "0"-"9".
   */
  public List<String> classNames() {
    return classNames;
  }

  /** Whether the classes have names other than their numbers 0, 1, ... (a model trained on other data). */
  public boolean namedClasses() {
    return !classNames.equals(ModelContract.numberedClasses(classes));
  }

  /** How many classes the model tells apart: 10 for digits, K for a model trained on labels 0..K-1. */
  public int classCount() {
    return classes;
  }

  /** Whether this is a model of the ten digits (as opposed to a model trained on other classes). */
  public boolean readsDigits() {
    return classes == ModelContract.CLASSES && !namedClasses();
  }

  /**
   * From now on, inference from every thread goes through one {@link DynamicBatcher} with these
   * parameters (replacing a batcher enabled before, which finishes what it has). Returns this.
   */
  public synchronized Predictor enableBatching(DynamicBatcher.Parameters parameters) {
    DynamicBatcher old = batcher;
    batcher = new DynamicBatcher(parameters, this::runModel, PIXELS, classes, "digits-" + modelDir.getFileName());
    if (old != null) {
      old.close();
    }
    return this;
  }

  /** The batcher in use, or null when each call runs on its own. */
  public DynamicBatcher batcher() {
    return batcher;
  }

  /** Classifies an image file. */
  public Prediction predict(Path file) {
    return predict(ImageDecoder.readFile(file));
  }

  /** Classifies an encoded image (PNG, JPEG, ...). */
  public Prediction predict(byte[] encodedImage) {
    return join(predictAsync(encodedImage));
  }

  /**
   * {@link #predict(byte[])}, answered when its inference is done: decoding and preprocessing run
   * on the calling thread (and throw {@link ImageException} there), inference in the batcher.
   */
  public CompletableFuture<Prediction> predictAsync(byte[] encodedImage) {
    List<float[]> variants = DigitPreprocessor.variants(ImageDecoder.decode(encodedImage), java.util.Set.of());
    return predictEachAsync(List.of(variants)).thenApply(p -> p.get(0));
  }

  /** Classifies an encoded image read from a stream (which is not closed). */
  public Prediction predict(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(ImageDecoder.MAX_BYTES + 1);
    return predict(bytes);
  }

  /**
   * Classifies a decoded image: the MNIST-style input first; when the model is not sure of it (under
   * {@link #SURE}), also two refits of the same digit (fitted into 17 and 22 pixels instead of 20),
   * their probabilities averaged. The prediction's {@link Prediction#input() input} is the
   * MNIST-style one.
   */
  public Prediction predict(BufferedImage image) {
    return predictVariants(DigitPreprocessor.variants(image, java.util.Set.of()));
  }

  /**
   * Below this probability the first reading gets a second look at the refits. On the real-digit
   * development set a second look for every image reads exactly the same digits as this (from 0.8
   * up), and only one image in twenty is unsure, so most predictions cost one inference, not three.
   */
  public static final float SURE = 0.95f;

  /**
   * Classifies one image given as several model inputs (as {@link DigitPreprocessor#variants} makes
   * them): the first alone when the model is {@link #SURE} of it, else the average of all of them.
   * The first input is the one reported.
   */
  public Prediction predictVariants(List<float[]> variants) {
    return predictEach(List.of(variants)).get(0);
  }

  /**
   * {@link #predictVariants(List)} for many images in two batched inferences: every image's first
   * input, then the other inputs of those the first reading left unsure.
   */
  public List<Prediction> predictEach(List<List<float[]>> images) {
    return join(predictEachAsync(images));
  }

  /**
   * {@link #predictEach}, answered when its inference is done: with batching, the calling thread is
   * free meanwhile (a server's worker moves on to the next request).
   */
  public CompletableFuture<List<Prediction>> predictEachAsync(List<List<float[]>> images) {
    List<float[]> firsts = new ArrayList<>(images.size());
    images.forEach(v -> firsts.add(v.get(0)));
    return predictNormalizedAsync(firsts).thenCompose(first -> {
      List<float[]> others = new ArrayList<>();
      int i = 0;
      for (List<float[]> v : images) {
        if (first.get(i++).probability() < SURE) {
          others.addAll(v.subList(1, v.size()));
        }
      }
      return predictNormalizedAsync(others).thenApply(second -> combine(images, first, second));
    });
  }

  /** Each image's first reading, or, where it was unsure, the average with its refits. */
  private static List<Prediction> combine(List<List<float[]>> images, List<Prediction> first, List<Prediction> second) {
    List<Prediction> out = new ArrayList<>(images.size());
    int next = 0;
    int i = 0;
    for (List<float[]> v : images) {
      Prediction p = first.get(i++);
      if (p.probability() < SURE && v.size() > 1) {
        List<Prediction> all = new ArrayList<>(v.size());
        all.add(p);
        all.addAll(second.subList(next, next + v.size() - 1));
        next += v.size() - 1;
        p = average(all);
      }
      out.add(p);
    }
    return out;
  }

  /** One prediction from several of the same image: mean probabilities, the first one's input. */
  private static Prediction average(List<Prediction> each) {
    int classes = each.get(0).probabilities().length;
    float[] mean = new float[classes];
    for (Prediction p : each) {
      for (int d = 0; d < classes; d++) {
        mean[d] += p.probabilities()[d] / each.size();
      }
    }
    return new Prediction(Prediction.best(mean, 0, classes), mean, each.get(0).input());
  }

  /**
   * Classifies image files with one batched inference.
   *
   * @throws ImageException for the first file that cannot be used, its name in the message
   */
  public List<Prediction> predictFiles(List<Path> files) {
    List<BufferedImage> images = new ArrayList<>(files.size());
    for (Path file : files) {
      try {
        images.add(ImageDecoder.decode(ImageDecoder.readFile(file)));
      } catch (ImageException e) {
        throw new ImageException(file + ": " + e.getMessage(), e);
      }
    }
    return predictImages(images);
  }

  /** Classifies decoded images in two batches, each as {@link #predict(BufferedImage)} does. */
  public List<Prediction> predictImages(List<BufferedImage> images) {
    List<List<float[]>> variants = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      variants.add(DigitPreprocessor.variants(image, java.util.Set.of()));
    }
    return predictEach(variants);
  }

  /** Classifies one 28x28 model input (784 floats, row-major, [0, 1], white ink on black). */
  public Prediction predictNormalized(float[] pixels) {
    return predictNormalized(List.of(pixels)).get(0);
  }

  /** Classifies a batch of 28x28 model inputs in one session run. */
  public List<Prediction> predictNormalized(List<float[]> inputs) {
    return join(predictNormalizedAsync(inputs));
  }

  /** {@link #predictNormalized(List)}, answered when its inference is done. */
  public CompletableFuture<List<Prediction>> predictNormalizedAsync(List<float[]> inputs) {
    if (inputs.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    int n = inputs.size();
    float[] batch = new float[n * PIXELS];
    for (int i = 0; i < n; i++) {
      float[] p = inputs.get(i);
      if (p.length != PIXELS) {
        throw new IllegalArgumentException("input " + i + " has " + p.length + " values; expected 28x28 = 784");
      }
      System.arraycopy(p, 0, batch, i * PIXELS, PIXELS);
    }
    return probabilitiesAsync(batch, n).thenApply(probabilities -> {
      List<Prediction> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        float[] p = new float[classes];
        System.arraycopy(probabilities, i * classes, p, 0, classes);
        out.add(new Prediction(Prediction.best(p, 0, classes), p, inputs.get(i)));
      }
      return out;
    });
  }

  /**
   * The raw model: {@code n} inputs of 784 floats laid end to end in, {@code n x} {@link #classCount} probabilities
   * out. The fastest path for large batches (no per-image objects).
   */
  public float[] probabilities(float[] batch, int n) {
    return join(probabilitiesAsync(batch, n));
  }

  /**
   * {@link #probabilities}, answered when its inference is done: through the batcher when batching
   * is enabled (which may refuse it with {@link DynamicBatcher.Overloaded} when its queue is full),
   * else run on the calling thread before this returns.
   *
   * @throws IllegalArgumentException at once, when {@code batch} does not hold {@code n} inputs
   */
  public CompletableFuture<float[]> probabilitiesAsync(float[] batch, int n) {
    if (batch.length != n * PIXELS) {
      throw new IllegalArgumentException("expected " + n + " x 784 values, got " + batch.length);
    }
    DynamicBatcher b = batcher;
    if (b != null) {
      return b.submit(batch, n);
    }
    try {
      return CompletableFuture.completedFuture(runModel(batch, n));
    } catch (RuntimeException | Error e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The answer of a future, with what failed it thrown as it was (not wrapped). */
  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** One session run of {@code n} inputs. */
  private float[] runModel(float[] batch, int n) {
    float[] out = new float[n * classes];
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, 28, 28, 1))) {
      x.asRawTensor().data().asFloats().write(batch);
      try (Result r = bundle.session().runner().feed(input, x).fetch(output).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    if (batcher != null) {
      batcher.close();
      batcher = null;
    }
    bundle.close();
    if (ownCopy != null) {
      ModelFiles.deleteTree(ownCopy);
      ownCopy = null;
    }
  }
}
