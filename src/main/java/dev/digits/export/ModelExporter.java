package dev.digits.export;

import dev.digits.model.DigitNetwork;
import dev.digits.model.ModelConfig;
import dev.digits.model.ModelContract;
import dev.digits.util.AtomicFiles;
import dev.digits.util.Json;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;

/**
 * Exports trained weights as a SavedModel that TF Serving and the Predictor load.
 *
 * <p>The export is built from a fresh inference graph (no dropout, no loss, no optimizer) whose
 * variables are restored from the training checkpoint by name, so the model holds only the
 * weights: about 130 KB at width 1 rather than three times that with Adam's slots. It goes to
 * {@code <base>/<next free integer>/}, TF Serving's layout, built under a hidden temporary name and
 * renamed into place, so a serving process never sees half a version and no version is overwritten.
 *
 * <p>The graph is made loadable by older runtimes ({@link PortableGraph}: default-valued
 * attributes dropped, the writing TensorFlow version recorded), and the version carries TF
 * Serving's warm-up file ({@link WarmupRequests}), which TF Serving and this project's server
 * replay before serving it.
 */
public final class ModelExporter {
  private ModelExporter() {}

  /**
   * Exports the checkpoint's weights; returns the new version folder.
   *
   * @param metadata written to {@value ModelContract#METADATA_FILE} beside the model, with the
   *     version and the TensorFlow version added (the caller's map is not changed)
   * @param historyCsv the run's per-epoch history, copied beside the model if it exists
   */
  public static Path export(Path baseDir, ModelConfig config, String checkpointPrefix, Map<String, Object> metadata,
      Path historyCsv) throws IOException {
    Files.createDirectories(baseDir);
    removeAbandonedExports(baseDir);
    Path tmp = Files.createTempDirectory(baseDir, TMP_PREFIX + ProcessHandle.current().pid() + "-");
    try {
      Path model = tmp.resolve("model");
      try (Graph graph = new Graph()) {
        Ops tf = Ops.create(graph);
        DigitNetwork.Endpoints net = DigitNetwork.inference(tf, config);
        Signature signature = Signature.builder()
            .key(ModelContract.SIGNATURE_KEY)
            .methodName(ModelContract.PREDICT_METHOD)
            .input(ModelContract.IMAGE, net.image())
            .output(ModelContract.PROBABILITIES, net.probabilities())
            .output(ModelContract.DIGIT, net.digit())
            .build();
        try (Session session = new Session(graph)) {
          session.restore(checkpointPrefix);
          SavedModelBundle.exporter(model.toString()).withSession(session).withSignature(signature).export();
        }
      }
      PortableGraph.rewrite(model.resolve(ModelContract.SAVED_MODEL_FILE));
      WarmupRequests.write(model, WARMUP_MODEL_NAME, warmupImages(), WARMUP_BATCH_SIZES);
      if (historyCsv != null && Files.isRegularFile(historyCsv)) {
        Files.copy(historyCsv, model.resolve(ModelContract.HISTORY_FILE));
      }
      Map<String, Object> written = new java.util.LinkedHashMap<>(metadata);
      written.put("tensorflow_version", org.tensorflow.TensorFlow.version());
      while (true) {
        int version = nextVersion(baseDir);
        written.put("version", version);
        Files.writeString(model.resolve(ModelContract.METADATA_FILE), Json.pretty(written));
        Path target = baseDir.resolve(Integer.toString(version));
        try {
          // No REPLACE_EXISTING: if another export took this number meanwhile, try the next one.
          Files.move(model, target, StandardCopyOption.ATOMIC_MOVE);
          return target;
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
          // another process won the race for this version number
        }
      }
    } finally {
      AtomicFiles.deleteTree(tmp);
    }
  }

  /** The model name the warm-up requests carry (TF Serving ignores it when it replays them). */
  static final String WARMUP_MODEL_NAME = "digits";
  /** One request of one image, one of 32: the shapes a server sees first. */
  static final int[] WARMUP_BATCH_SIZES = {1, 32};

  /** Two inputs for warm-up: a blank image, and one stroke (so no kernel takes a zero-only shortcut). */
  private static java.util.List<float[]> warmupImages() {
    float[] blank = new float[ModelContract.PIXELS];
    float[] stroke = new float[ModelContract.PIXELS];
    for (int y = 4; y < 24; y++) {
      stroke[y * ModelContract.SIDE + 14] = 1f;
      stroke[y * ModelContract.SIDE + 15] = 0.5f;
    }
    return java.util.List.of(stroke, blank);
  }

  /** Exports are built in {@code .export-<pid>-<random>/} beside the versions, then moved into place. */
  static final String TMP_PREFIX = ".export-";

  /**
   * Deletes the temporary folders of exports whose process is gone (killed mid-export: its own
   * clean-up never ran); those of exports still running, in this process or another, stay.
   */
  static void removeAbandonedExports(Path baseDir) throws IOException {
    try (var entries = Files.list(baseDir)) {
      for (Path p : entries.toList()) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(TMP_PREFIX)
            + "([0-9]+)-.*").matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p)
            && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true)) {
          AtomicFiles.deleteTree(p);
        }
      }
    }
  }

  /** One more than the highest integer-named folder in {@code baseDir}, or 1. */
  public static int nextVersion(Path baseDir) throws IOException {
    return latestVersion(baseDir) + 1;
  }

  /**
   * The highest version in {@code baseDir} that holds a SavedModel, or 0: an empty or half-copied
   * version folder beside good ones is passed over, as TF Serving passes it over.
   */
  public static int latestModel(Path baseDir) throws IOException {
    return highestVersion(baseDir, p -> Files.isRegularFile(p.resolve(ModelContract.SAVED_MODEL_FILE)));
  }

  /** The highest integer-named folder in {@code baseDir}, or 0 if there is none. */
  public static int latestVersion(Path baseDir) throws IOException {
    return highestVersion(baseDir, Files::isDirectory);
  }

  private static int highestVersion(Path baseDir, java.util.function.Predicate<Path> counts) throws IOException {
    if (!Files.isDirectory(baseDir)) {
      return 0;
    }
    int max = 0;
    try (var entries = Files.list(baseDir)) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (name.matches("[0-9]{1,9}") && counts.test(p)) {
          max = Math.max(max, Integer.parseInt(name));
        }
      }
    }
    return max;
  }
}
