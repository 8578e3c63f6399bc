package dev.digits.data;

import java.util.List;

/** One of the four MNIST files: its canonical name and the SHA-256 of its uncompressed bytes. */
public record MnistFile(String name, String sha256) {
  public static final MnistFile TRAIN_IMAGES = new MnistFile(
      "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
  public static final MnistFile TRAIN_LABELS = new MnistFile(
      "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");
  public static final MnistFile TEST_IMAGES = new MnistFile(
      "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7");
  public static final MnistFile TEST_LABELS = new MnistFile(
      "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

  public static final List<MnistFile> ALL = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

  /**
   * Names the file goes by in the wild, canonical first: {@code train-images-idx3-ubyte} (the
   * original site) or {@code train-images.idx3-ubyte} (Kaggle and others), each possibly gzipped.
   */
  public List<String> knownNames() {
    String dotted = name.replace("-idx", ".idx");
    return List.of(name, dotted, name + ".gz", dotted + ".gz");
  }
}
