package dev.digits.data;

import dev.digits.data.Batcher;
import dev.digits.data.DataException;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import dev.digits.model.ModelContract;
import dev.digits.util.Csv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Examples to evaluate on, as model inputs (28x28 floats in [0, 1]) with their labels. Images
 * that cannot be used (unreadable, no digit) are listed in {@code skipped} with the reason.
 * {@code groups} holds, per example, the groups it is counted in apart (a folder's part and style,
 * from its manifest), or is empty when the data has none. {@code variants} holds, for image files,
 * every input {@link DigitPreprocessor#variants} makes of each (the first is its entry in
 * {@code inputs}), so that they are read exactly as {@code Predict} reads them; it is empty for
 * IDX data, whose images are model inputs already.
 */
public record LabelledSet(String description, float[] inputs, int[] labels, List<String> names, List<String> skipped,
    List<List<String>> groups, List<List<float[]>> variants) {

  public int count() {
    return labels.length;
  }

  public float[] input(int i) {
    float[] x = new float[ModelContract.PIXELS];
    System.arraycopy(inputs, i * ModelContract.PIXELS, x, 0, ModelContract.PIXELS);
    return x;
  }

  /** The MNIST test set (fetched if missing); what fetching does goes to the {@link System.Logger}. */
  public static LabelledSet mnistTest(Path dataDir) {
    System.Logger log = System.getLogger(LabelledSet.class.getName());
    return mnistTest(dataDir, line -> log.log(System.Logger.Level.INFO, line));
  }

  /** The MNIST test set (fetched if missing), each step of fetching told to {@code progress}. */
  public static LabelledSet mnistTest(Path dataDir, java.util.function.Consumer<String> progress) {
    return of("MNIST test set", Mnist.load(dataDir, progress).test());
  }

  /** Any IDX image/label pair of 28x28 images. */
  public static LabelledSet idx(Path images, Path labels) {
    return of(images.getFileName() + " / " + labels.getFileName(), MnistDataset.read(images, labels));
  }

  /** A dataset already in memory. */
  public static LabelledSet of(String description, MnistDataset d) {
    float[] inputs = new float[d.count() * ModelContract.PIXELS];
    Batcher.toFloats(d.pixels(), 0, inputs, 0, inputs.length);
    int[] labels = new int[d.count()];
    List<String> names = new ArrayList<>(d.count());
    for (int i = 0; i < d.count(); i++) {
      labels[i] = d.label(i);
      names.add("#" + i);
    }
    return new LabelledSet(description, inputs, labels, names, List.of(), List.of(), List.of());
  }

  /**
   * A folder with one subfolder per digit: {@code DIR/7/anything.png}; or a folder with a
   * {@code manifest.csv} whose header starts {@code file,label} (such as {@code ../shared/realdigits}):
   * then its rows say which files, and the first folder of each file's path and the first tag of a
   * {@code style} column become groups whose accuracy is reported apart.
   */
  public static LabelledSet folder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DataException(dir + " is not a folder");
    }
    Path manifest = dir.resolve("manifest.csv");
    if (Files.isRegularFile(manifest) && Files.readString(manifest).startsWith("file,label")) {
      return manifest(dir, manifest);
    }
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int d = 0; d < ModelContract.MAX_CLASSES; d++) {
      Path sub = dir.resolve(Integer.toString(d));
      if (Files.isDirectory(sub)) {
        try (Stream<Path> s = Files.list(sub)) {
          // Everything but subfolders: a symbolic link loop, a broken link or a pipe is an image
          // that cannot be read, and says so, instead of vanishing from the data without a word.
          for (Path f : s.filter(f -> !Files.isDirectory(f)).sorted().toList()) {
            files.add(f);
            labels.add(d);
          }
        }
      }
    }
    if (files.isEmpty()) {
      throw new DataException(dir + " has no images in subfolders named 0-9 (expected e.g. " + dir.resolve("7/a.png") + ")");
    }
    return fromImages(dir.toString(), files, labels, null);
  }

  private static LabelledSet manifest(Path dir, Path manifest) throws IOException {
    List<String> lines = Files.readAllLines(manifest);
    List<String> header = Csv.fields(lines.get(0));
    int style = header.indexOf("style");
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<List<String>> groups = new ArrayList<>();
    for (int n = 1; n < lines.size(); n++) {
      String[] f = Csv.fields(lines.get(n)).toArray(String[]::new);
      if (f.length < header.size() || !f[1].matches("[0-9]{1,2}")) {
        throw new DataException(manifest + " line " + (n + 1) + ": expected " + header.size() + " columns with a label 0-99");
      }
      files.add(dir.resolve(f[0]));
      labels.add(Integer.parseInt(f[1]));
      String part = f[0].contains("/") ? f[0].substring(0, f[0].indexOf('/')) : "";
      List<String> g = new ArrayList<>();
      if (!part.isEmpty()) {
        g.add(part);
      }
      if (style >= 0 && !f[style].isBlank()) {
        g.add((part.isEmpty() ? "" : part + " / ") + f[style].split(";")[0]);
      }
      groups.add(g);
    }
    if (files.isEmpty()) {
      throw new DataException(manifest + " lists no images");
    }
    return fromImages(dir.toString(), files, labels, groups);
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
      if (!label.matches("[0-9]{1,2}")) {
        throw new DataException(csv + " line " + (n + 1) + ": expected 'file,label' with a label 0-99, got '" + line + "'");
      }
      files.add(base.resolve(line.substring(0, comma).strip()));
      labels.add(Integer.parseInt(label));
    }
    if (files.isEmpty()) {
      throw new DataException(csv + " lists no images");
    }
    return fromImages(csv.toString(), files, labels, null);
  }

  private static LabelledSet fromImages(String description, List<Path> files, List<Integer> labels,
      List<List<String>> groupsOfFiles) {
    List<List<String>> groups = new ArrayList<>();
    List<List<float[]>> inputs = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      try {
        inputs.add(DigitPreprocessor.variants(ImageDecoder.decode(ImageDecoder.readFile(f)), java.util.Set.of()));
        kept.add(labels.get(i));
        names.add(f.getFileName().toString());
        if (groupsOfFiles != null) {
          groups.add(groupsOfFiles.get(i));
        }
      } catch (ImageException e) {
        skipped.add(f + ": " + e.getMessage());
      }
    }
    float[] all = new float[inputs.size() * ModelContract.PIXELS];
    for (int i = 0; i < inputs.size(); i++) {
      System.arraycopy(inputs.get(i).get(0), 0, all, i * ModelContract.PIXELS, ModelContract.PIXELS);
    }
    return new LabelledSet(description, all, kept.stream().mapToInt(Integer::intValue).toArray(), names, skipped,
        groups, inputs);
  }
}
