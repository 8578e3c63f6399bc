package dev.digits.predict;

import dev.digits.export.ModelExporter;
import dev.digits.model.ModelContract;
import dev.digits.util.AtomicFiles;
import dev.digits.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a model's files are: a SavedModel folder or the newest version in a base path, a model
 * kept on the class path and copied out (TensorFlow reads SavedModels from files only), and the
 * class names Train stored beside it.
 */
public final class ModelFiles {
  /** Where the jar keeps the bundled model. */
  static final String BUNDLED = "/dev/digits/bundled-model/";
  /** The files of a SavedModel that are copied out of the class path. */
  private static final List<String> FILES = List.of(ModelContract.SAVED_MODEL_FILE, ModelContract.METADATA_FILE,
      "variables/variables.index", "variables/variables.data-00000-of-00001");

  private ModelFiles() {}

  /** The SavedModel folder itself, or the highest-numbered version inside a folder of versions. */
  static Path resolve(Path dir) {
    if (Files.isRegularFile(dir.resolve(ModelContract.SAVED_MODEL_FILE))) {
      return dir;
    }
    try {
      int version = ModelExporter.latestModel(dir);
      if (version > 0) {
        return dir.resolve(Integer.toString(version));
      }
    } catch (IOException e) {
      // reported below
    }
    throw new IllegalArgumentException("no SavedModel in " + dir.toAbsolutePath()
        + " (expected saved_model.pb or numbered version folders); train one with Train or pass another folder");
  }

  /** Copies a SavedModel stored on the class path under {@code resourceDir} to a new temporary folder. */
  public static Path copyFromClassPath(String resourceDir, String what) {
    Path dir;
    try {
      dir = Files.createTempDirectory("digits-model-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary folder for " + what + ": " + e.getMessage(), e);
    }
    try {
      for (String name : FILES) {
        try (InputStream in = ModelFiles.class.getResourceAsStream(resourceDir + name)) {
          if (in == null) {
            throw new IllegalStateException(what + " is not on the class path (" + resourceDir + name
                + " missing); build the jar with mvn package, or load a model folder with Predictor.load(Path)");
          }
          Path target = dir.resolve(name);
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
      return dir;
    } catch (IOException e) {
      deleteTree(dir);
      throw new UncheckedIOException("cannot copy " + what + " to a temporary folder: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  /** The class names in the model's metadata.json, else the numbers 0..classes-1. */
  static List<String> classNames(Path modelDir, int classes) {
    Path file = modelDir.resolve(ModelContract.METADATA_FILE);
    try {
      if (Files.isRegularFile(file)) {
        Object names = Json.parseObject(Files.readString(file)).get(ModelContract.CLASSES_KEY);
        if (names instanceof List<?> list && list.size() == classes && list.stream().allMatch(n -> n instanceof String)) {
          return list.stream().map(String.class::cast).toList();
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // a model without readable metadata still predicts; its classes are numbered
    }
    return ModelContract.numberedClasses(classes);
  }

  /** Deletes a folder this package made; a temporary folder left behind is harmless, so errors are not. */
  public static void deleteTree(Path dir) {
    try {
      AtomicFiles.deleteTree(dir);
    } catch (IOException e) {
      // the system's temporary-file cleaning takes it
    }
  }
}
