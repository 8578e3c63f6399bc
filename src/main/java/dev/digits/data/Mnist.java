package dev.digits.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The MNIST training and test sets, fetched and verified as needed. */
public record Mnist(MnistDataset train, MnistDataset test, Map<String, String> sha256) {

  public static Mnist load(Path dataDir, Consumer<String> log) {
    Map<MnistFile, Path> files = MnistFetcher.standard(dataDir, log).ensure();
    Map<String, String> sums = new LinkedHashMap<>();
    files.keySet().forEach(f -> sums.put(f.name(), f.sha256()));
    MnistDataset train = MnistDataset.read(files.get(MnistFile.TRAIN_IMAGES), files.get(MnistFile.TRAIN_LABELS));
    MnistDataset test = MnistDataset.read(files.get(MnistFile.TEST_IMAGES), files.get(MnistFile.TEST_LABELS));
    return new Mnist(train, test, sums);
  }

  /** The number of classes the labels span: the highest label in either part, plus one (10 for MNIST). */
  public int classCount() {
    int k = 1;
    for (MnistDataset part : java.util.List.of(train, test)) {
      for (byte b : part.labels()) {
        k = Math.max(k, b + 1);
      }
    }
    return k;
  }
}
