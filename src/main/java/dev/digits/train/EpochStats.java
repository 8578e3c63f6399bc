package dev.digits.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a run's history.
 *
 * @param trainAccuracy accuracy on the training batches as they were seen (augmented, dropout on)
 * @param averageTestAccuracy test accuracy of the weights' moving average (NaN when the run keeps none)
 */
public record EpochStats(int epoch, int steps, double loss, double trainAccuracy, double testAccuracy,
    double learningRate, double seconds, double imagesPerSecond, double averageTestAccuracy) {

  public static final String CSV_HEADER = "epoch,steps,loss,train_accuracy,test_accuracy,learning_rate,seconds,"
      + "images_per_second,average_test_accuracy";

  /** An epoch of a run without a moving average of the weights. */
  public EpochStats(int epoch, int steps, double loss, double trainAccuracy, double testAccuracy, double learningRate,
      double seconds, double imagesPerSecond) {
    this(epoch, steps, loss, trainAccuracy, testAccuracy, learningRate, seconds, imagesPerSecond, Double.NaN);
  }

  /** The better of the live and the averaged weights' test accuracy. */
  public double bestTestAccuracy() {
    return Double.isNaN(averageTestAccuracy) ? testAccuracy : Math.max(testAccuracy, averageTestAccuracy);
  }

  /**
   * This epoch's first part, cut short by an earlier run, joined with {@code rest}, its remainder:
   * steps and time add up, loss and training accuracy are weighted by steps, the rest is the end's.
   */
  public EpochStats joinedWith(EpochStats rest) {
    int total = steps + rest.steps;
    double w = total == 0 ? 0 : (double) steps / total;
    return new EpochStats(epoch, total, w * loss + (1 - w) * rest.loss,
        w * trainAccuracy + (1 - w) * rest.trainAccuracy, rest.testAccuracy, rest.learningRate, seconds + rest.seconds,
        w * imagesPerSecond + (1 - w) * rest.imagesPerSecond, rest.averageTestAccuracy);
  }

  public String csv() {
    return String.format(java.util.Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6g,%.2f,%.1f,%s",
        epoch, steps, loss, trainAccuracy, testAccuracy, learningRate, seconds, imagesPerSecond,
        Double.isNaN(averageTestAccuracy) ? "" : String.format(java.util.Locale.ROOT, "%.6f", averageTestAccuracy));
  }

  /** Reads a history.csv written by {@link Checkpoints#writeHistory}. */
  public static java.util.List<EpochStats> readCsv(java.nio.file.Path file) throws java.io.IOException {
    java.util.List<EpochStats> out = new java.util.ArrayList<>();
    java.util.List<String> lines = java.nio.file.Files.readAllLines(file);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length < 8) {
        continue;
      }
      out.add(new EpochStats(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
          Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
          Double.parseDouble(f[7]), f.length > 8 && !f[8].isEmpty() ? Double.parseDouble(f[8]) : Double.NaN));
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
    if (!Double.isNaN(averageTestAccuracy)) {
      m.put("average_test_accuracy", averageTestAccuracy);
    }
    return m;
  }

  public static EpochStats fromMap(Map<?, ?> m) {
    return new EpochStats(d(m, "epoch").intValue(), d(m, "steps").intValue(), d(m, "loss").doubleValue(),
        d(m, "train_accuracy").doubleValue(), d(m, "test_accuracy").doubleValue(),
        d(m, "learning_rate").doubleValue(), d(m, "seconds").doubleValue(), d(m, "images_per_second").doubleValue(),
        d(m, "average_test_accuracy").doubleValue());
  }

  private static Number d(Map<?, ?> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n : Double.NaN;
  }
}
