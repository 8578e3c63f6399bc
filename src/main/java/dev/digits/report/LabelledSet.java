package dev.digits.report;

import dev.digits.data.Batcher;
import dev.digits.data.DataException;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.predict.DigitPreprocessor;
import dev.digits.predict.ImageDecoder;
import dev.digits.predict.ImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Examples to evaluate on, as model inputs (28x28 floats in [0, 1]) with their labels. Images
 * that cannot be used (unreadable, no digit) are listed in {@code skipped} with the reason.
 */
public record LabelledSet(String description, float[] inputs, int[] labels, List<String> names, List<String> skipped) {

  public int count() {
    return labels.length;
  }

  public float[] input(int i) {
    float[] x = new float[784];
    System.arraycopy(inputs, i * 784, x, 0, 784);
    return x;
  }

  /** The MNIST test set (fetched if missing). */
  public static LabelledSet mnistTest(Path dataDir) {
    return of("MNIST test set", Mnist.load(dataDir, System.err::println).test());
  }

  /** Any IDX image/label pair of 28x28 images. */
  public static LabelledSet idx(Path images, Path labels) {
    return of(images.getFileName() + " / " + labels.getFileName(), MnistDataset.read(images, labels));
  }

  /** A dataset already in memory. */
  public static LabelledSet of(String description, MnistDataset d) {
    float[] inputs = new float[d.count() * 784];
    Batcher.toFloats(d.pixels(), 0, inputs, 0, inputs.length);
    int[] labels = new int[d.count()];
    List<String> names = new ArrayList<>(d.count());
    for (int i = 0; i < d.count(); i++) {
      labels[i] = d.label(i);
      names.add("#" + i);
    }
    return new LabelledSet(description, inputs, labels, names, List.of());
  }

  /** A folder with one subfolder per digit: {@code DIR/7/anything.png}. */
  public static LabelledSet folder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DataException(dir + " is not a folder");
    }
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int d = 0; d <= 9; d++) {
      Path sub = dir.resolve(Integer.toString(d));
      if (Files.isDirectory(sub)) {
        try (Stream<Path> s = Files.list(sub)) {
          for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
            files.add(f);
            labels.add(d);
          }
        }
      }
    }
    if (files.isEmpty()) {
      throw new DataException(dir + " has no images in subfolders named 0-9 (expected e.g. " + dir.resolve("7/a.png") + ")");
    }
    return fromImages(dir.toString(), files, labels);
  }

  /** A CSV of {@code file,label} lines (paths relative to the CSV's folder; a header line is allowed). */
  public static LabelledSet csv(Path csv) throws IOException {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv);
    Path base = csv.toAbsolutePath().getParent();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || n == 0 && line.toLowerCase().startsWith("file")) {
        continue;
      }
      int comma = line.lastIndexOf(',');
      String label = comma < 0 ? "" : line.substring(comma + 1).strip();
      if (!label.matches("[0-9]")) {
        throw new DataException(csv + " line " + (n + 1) + ": expected 'file,label' with a label 0-9, got '" + line + "'");
      }
      files.add(base.resolve(line.substring(0, comma).strip()));
      labels.add(Integer.parseInt(label));
    }
    if (files.isEmpty()) {
      throw new DataException(csv + " lists no images");
    }
    return fromImages(csv.toString(), files, labels);
  }

  private static LabelledSet fromImages(String description, List<Path> files, List<Integer> labels) {
    List<float[]> inputs = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      try {
        inputs.add(DigitPreprocessor.toMnist(ImageDecoder.decode(Files.readAllBytes(f))));
        kept.add(labels.get(i));
        names.add(f.getFileName().toString());
      } catch (ImageException | IOException e) {
        skipped.add(f + ": " + e.getMessage());
      }
    }
    float[] all = new float[inputs.size() * 784];
    for (int i = 0; i < inputs.size(); i++) {
      System.arraycopy(inputs.get(i), 0, all, i * 784, 784);
    }
    return new LabelledSet(description, all, kept.stream().mapToInt(Integer::intValue).toArray(), names, skipped);
  }
}
