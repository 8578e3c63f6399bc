package dev.digits.data;

import dev.digits.data.DataException;
import dev.digits.data.IdxDataset;
import dev.digits.data.LabelledSet;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.model.ModelContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What {@code Train --data-dir} trains and judges on, by what the path holds:
 *
 * <ul>
 *   <li>nothing, or MNIST's four files: MNIST, fetched and verified by SHA-256;
 *   <li>other IDX files named as MNIST's (Fashion-MNIST, your own): validated by structure and
 *       trained on as given ({@link IdxDataset});
 *   <li>folders of labelled images, {@code DIR/<label>/*.png|jpg|...}, or {@code DIR/train/<label>/}
 *       and {@code DIR/test/<label>/}; a folder with a {@code manifest.csv} of {@code file,label,...}
 *       rows; or a CSV of {@code file,label} lines (paths relative to it): every image goes
 *       through the Predictor's preprocessing, and without a test folder a seeded, stratified
 *       split holds out {@code testShare} of each label for testing.
 * </ul>
 *
 * Nothing at the path is written, moved or deleted (MNIST's own files excepted: they are fetched).
 */
public final class TrainingData {
  /**
   * @param data the training and test images
   * @param testName what the test images are, for the report ("MNIST test set", ...)
   * @param mnist whether this is MNIST itself
   * @param otherIdx whether this is an IDX dataset other than MNIST (Fashion-MNIST, ...), which is
   *     not taken to be handwritten digits
   */
  public record Loaded(Mnist data, String testName, boolean mnist, boolean otherIdx) {}

  private TrainingData() {}

  public static Loaded load(Path path, double testShare, long seed, Consumer<String> log) throws IOException {
    if (Files.isRegularFile(path) && path.getFileName().toString().toLowerCase().endsWith(".csv")) {
      return split(path.toString(), LabelledSet.csv(path), testShare, seed);
    }
    if (Files.isDirectory(path.resolve("train")) && Files.isDirectory(path.resolve("test"))
        && hasLabelFolders(path.resolve("train"))) {
      MnistDataset train = dataset(labelled(path.resolve("train")));
      MnistDataset test = dataset(labelled(path.resolve("test")));
      return new Loaded(new Mnist(train, test, Map.of()), "test images of " + path, false, false);
    }
    if (hasLabelFolders(path)) {
      return split(path.toString(), labelled(path), testShare, seed);
    }
    if (Files.isRegularFile(path.resolve("manifest.csv"))) { // a folder that lists its images, as realdigits
      return split(path.toString(), LabelledSet.folder(path), testShare, seed);
    }
    Optional<Mnist> idx = IdxDataset.find(path, log);
    if (idx.isPresent()) {
      return new Loaded(idx.get(), "test set of " + path, false, true);
    }
    return new Loaded(Mnist.load(path, log), "MNIST test set", true, false); // TrainCommand.MNIST_TEST
  }

  /** Whether a folder has subfolders, all named as labels (a manifest.csv beside them is allowed). */
  private static boolean hasLabelFolders(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> subs = s.filter(Files::isDirectory).toList();
      return !subs.isEmpty() && subs.stream().anyMatch(p -> p.getFileName().toString().matches("\\d+"));
    }
  }

  /**
   * The images of {@code DIR/<label>/}, with every problem an error: a folder not named 0-99, a gap
   * in the labels (they must be 0..K-1), an image that cannot be read or holds no digit.
   */
  private static LabelledSet labelled(Path dir) throws IOException {
    TreeSet<Integer> labels = new TreeSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path sub : s.filter(Files::isDirectory).sorted().toList()) {
        String name = sub.getFileName().toString();
        if (!name.matches("\\d+")) {
          throw new DataException(sub + " is not a label folder: name each folder by its label, 0, 1, ... (class"
              + " names go in --classes or a classes.txt)");
        }
        int label = Integer.parseInt(name);
        if (label >= ModelContract.MAX_CLASSES) {
          throw new DataException(sub + ": label " + label + " is outside 0-" + (ModelContract.MAX_CLASSES - 1)
              + " (a model has at most " + ModelContract.MAX_CLASSES + " classes)");
        }
        labels.add(label);
      }
    }
    if (labels.isEmpty()) {
      throw new DataException(dir + " has no label folders: put the images in " + dir.resolve("0") + "/, "
          + dir.resolve("1") + "/, ...");
    }
    for (int k = 0; k <= labels.last(); k++) {
      if (!labels.contains(k)) {
        throw new DataException(dir + " has no folder for label " + k + " (labels must be 0.." + labels.last()
            + " with none missing): add " + dir.resolve(Integer.toString(k)) + "/ with its images");
      }
    }
    LabelledSet set = LabelledSet.folder(dir);
    if (!set.skipped().isEmpty()) {
      throw new DataException("cannot train on " + set.skipped().get(0) + (set.skipped().size() > 1 ? " (and "
          + (set.skipped().size() - 1) + " more)" : "") + "; fix or remove the image");
    }
    for (int k : labels) {
      if (java.util.Arrays.stream(set.labels()).noneMatch(l -> l == k)) {
        throw new DataException(dir.resolve(Integer.toString(k)) + " holds no images");
      }
    }
    return set;
  }

  /** Holds out {@code share} of each label (at least one image of any label with two or more), seeded. */
  private static Loaded split(String name, LabelledSet all, double share, long seed) {
    if (!all.skipped().isEmpty()) {
      throw new DataException("cannot train on " + all.skipped().get(0) + "; fix or remove the image");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (int label = 0; label < ModelContract.MAX_CLASSES; label++) {
      List<Integer> of = new ArrayList<>();
      for (int i = 0; i < all.count(); i++) {
        if (all.labels()[i] == label) {
          of.add(i);
        }
      }
      for (int i = of.size() - 1; i > 0; i--) {
        java.util.Collections.swap(of, i, rng.nextInt(i + 1));
      }
      int held = of.size() < 2 ? 0 : Math.max(1, (int) Math.round(share * of.size()));
      test.addAll(of.subList(0, held));
      train.addAll(of.subList(held, of.size()));
    }
    if (test.isEmpty() || train.isEmpty()) {
      throw new DataException(name + " has too few images to hold some out for testing (" + all.count()
          + "); add more, or give train/ and test/ folders");
    }
    return new Loaded(new Mnist(dataset(all, train), dataset(all, test), Map.of()),
        "held-out images of " + name + " (" + Math.round(100 * share) + "%)", false, false);
  }

  private static MnistDataset dataset(LabelledSet set) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < set.count(); i++) {
      all.add(i);
    }
    return dataset(set, all);
  }

  /** Model inputs as MNIST's bytes (0-255), the form the trainer's batches are made from. */
  private static MnistDataset dataset(LabelledSet set, List<Integer> which) {
    byte[] pixels = new byte[which.size() * ModelContract.PIXELS];
    byte[] labels = new byte[which.size()];
    for (int n = 0; n < which.size(); n++) {
      int i = which.get(n);
      for (int p = 0; p < ModelContract.PIXELS; p++) {
        pixels[n * ModelContract.PIXELS + p] = (byte) Math.round(255 * set.inputs()[i * ModelContract.PIXELS + p]);
      }
      labels[n] = (byte) set.labels()[i];
    }
    return new MnistDataset(pixels, labels, which.size(), 28, 28);
  }
}
