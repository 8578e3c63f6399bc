package dev.digits.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a run's history.
 *
 * @param trainAccuracy accuracy on the training batches as they were seen (augmented, dropout on)
 */
public record EpochStats(int epoch, int steps, double loss, double trainAccuracy, double testAccuracy,
    double learningRate, double seconds, double imagesPerSecond) {

  public static final String CSV_HEADER = "epoch,steps,loss,train_accuracy,test_accuracy,learning_rate,seconds,images_per_second";

  /**
   * This epoch's first part, cut short by an earlier run, joined with {@code rest}, its remainder:
   * steps and time add up, loss and training accuracy are weighted by steps, the rest is the end's.
   */
  public EpochStats joinedWith(EpochStats rest) {
    int total = steps + rest.steps;
    double w = total == 0 ? 0 : (double) steps / total;
    return new EpochStats(epoch, total, w * loss + (1 - w) * rest.loss,
        w * trainAccuracy + (1 - w) * rest.trainAccuracy, rest.testAccuracy, rest.learningRate, seconds + rest.seconds,
        w * imagesPerSecond + (1 - w) * rest.imagesPerSecond);
  }

  public String csv() {
    return String.format(java.util.Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6g,%.2f,%.1f",
        epoch, steps, loss, trainAccuracy, testAccuracy, learningRate, seconds, imagesPerSecond);
  }

  /** Reads a history.csv written by {@link Checkpoints#writeHistory}. */
  public static java.util.List<EpochStats> readCsv(java.nio.file.Path file) throws java.io.IOException {
    java.util.List<EpochStats> out = new java.util.ArrayList<>();
    java.util.List<String> lines = java.nio.file.Files.readAllLines(file);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.split(",");
      if (f.length < 8) {
        continue;
      }
      out.add(new EpochStats(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
          Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
          Double.parseDouble(f[7])));
    }
    return out;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.put("steps", steps);
    m.put("loss", loss);
    m.put("train_accuracy", trainAccuracy);
    m.put("test_accuracy", testAccuracy);
    m.put("learning_rate", learningRate);
    m.put("seconds", seconds);
    m.put("images_per_second", imagesPerSecond);
    return m;
  }

  public static EpochStats fromMap(Map<?, ?> m) {
    return new EpochStats(d(m, "epoch").intValue(), d(m, "steps").intValue(), d(m, "loss").doubleValue(),
        d(m, "train_accuracy").doubleValue(), d(m, "test_accuracy").doubleValue(),
        d(m, "learning_rate").doubleValue(), d(m, "seconds").doubleValue(), d(m, "images_per_second").doubleValue());
  }

  private static Number d(Map<?, ?> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n : Double.NaN;
  }
}
