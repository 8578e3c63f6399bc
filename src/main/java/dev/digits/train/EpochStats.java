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

  public String csv() {
    return String.format(java.util.Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6g,%.2f,%.1f",
        epoch, steps, loss, trainAccuracy, testAccuracy, learningRate, seconds, imagesPerSecond);
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
