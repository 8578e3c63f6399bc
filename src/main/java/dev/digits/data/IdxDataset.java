package dev.digits.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An IDX dataset that a user brings (Fashion-MNIST, their own digits in MNIST's format): the four
 * files named as MNIST's ({@code train-images-idx3-ubyte}, ..., plain or {@code .gz}, either naming
 * style), validated by structure (magic numbers, dimensions, counts, 28x28 images, labels 0-9)
 * rather than by MNIST's checksums, and read in place: nothing in the folder is written, moved or
 * deleted.
 */
public final class IdxDataset {
  private IdxDataset() {}

  /**
   * The dataset in {@code dir} when it holds IDX files that are not MNIST's; empty when it holds
   * none (MNIST is fetched there) or exactly MNIST's four files (verified as MNIST).
   *
   * @throws DataException when a file is missing or malformed, naming it
   */
  public static Optional<Mnist> find(Path dir, Consumer<String> log) {
    Map<MnistFile, Path> present = new LinkedHashMap<>();
    for (MnistFile f : MnistFile.ALL) {
      for (String name : f.knownNames()) {
        if (Files.isRegularFile(dir.resolve(name))) {
          present.put(f, dir.resolve(name));
          break;
        }
      }
    }
    if (present.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> sums = new LinkedHashMap<>();
    boolean mnist = present.size() == MnistFile.ALL.size();
    for (Map.Entry<MnistFile, Path> e : present.entrySet()) {
      String sha = IdxReader.sha256(e.getValue());
      sums.put(e.getValue().getFileName().toString(), sha);
      mnist &= sha.equals(e.getKey().sha256());
    }
    if (mnist) {
      return Optional.empty();
    }
    List<String> missing = new ArrayList<>();
    for (MnistFile f : MnistFile.ALL) {
      if (!present.containsKey(f)) {
        missing.add(f.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new DataException(dir + " holds IDX files that are not MNIST's but not all four: " + String.join(", ",
          missing) + " missing (plain or .gz); add them, or point --data-dir at a folder with MNIST or nothing in it");
    }
    MnistDataset train = MnistDataset.read(present.get(MnistFile.TRAIN_IMAGES), present.get(MnistFile.TRAIN_LABELS));
    MnistDataset test = MnistDataset.read(present.get(MnistFile.TEST_IMAGES), present.get(MnistFile.TEST_LABELS));
    log.accept("data: " + dir + " holds an IDX dataset that is not MNIST (its checksums differ): training on it as"
        + " given, " + train.count() + " training and " + test.count() + " test images");
    return Optional.of(new Mnist(train, test, sums));
  }
}
