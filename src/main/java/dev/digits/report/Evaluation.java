package dev.digits.report;

import dev.digits.model.ModelContract;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every number of an evaluation, computed from the true labels and the model's probabilities:
 * accuracy, confusion matrix, per-class precision/recall/F1, the most common confusions, the worst
 * mistakes, and calibration (how well the predicted probability matches the hit rate).
 */
public final class Evaluation {

  /** How often one digit was taken for another. */
  public record Confusion(int trueDigit, int predicted, int count) {}

  /** One bin of the reliability diagram: predictions whose confidence fell in [low, high). */
  public record Bin(double low, double high, int count, double meanConfidence, double accuracy) {}

  private final int[] labels;
  private final float[] probabilities;
  private final int[] predicted;
  private final int[][] confusion;
  private final int classes;

  /**
   * @param labels the true digit of each example
   * @param probabilities {@code labels.length x K} probabilities, example after example (K = 10 for digits)
   */
  public Evaluation(int[] labels, float[] probabilities) {
    int k = labels.length == 0 ? ModelContract.CLASSES : probabilities.length / labels.length;
    this.classes = k;
    if (probabilities.length != labels.length * k || k < 2
        || java.util.Arrays.stream(labels).anyMatch(l -> l < 0 || l >= k)) {
      throw new IllegalArgumentException("need the same number of probabilities for every label, one per class");
    }
    this.labels = labels.clone();
    this.probabilities = probabilities.clone();
    this.predicted = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      predicted[i] = dev.digits.predict.Prediction.best(probabilities, i * classes, classes);
    }
    this.confusion = new int[classes][classes];
    for (int i = 0; i < labels.length; i++) {
      confusion[labels[i]][predicted[i]]++;
    }
  }

  /** How many classes the model tells apart (10 for digits). */
  public int classes() {
    return classes;
  }

  /**
   * Correct and total per group, for examples that belong to groups ({@code groups.get(i)} lists
   * example i's); groups in the order first met. Images that could not be read are not counted.
   */
  public Map<String, int[]> byGroup(List<List<String>> groups) {
    Map<String, int[]> out = new java.util.TreeMap<>();
    for (int i = 0; i < groups.size(); i++) {
      for (String g : groups.get(i)) {
        int[] c = out.computeIfAbsent(g, k -> new int[2]);
        c[0] += predicted[i] == labels[i] ? 1 : 0;
        c[1]++;
      }
    }
    return out;
  }

  public int count() {
    return labels.length;
  }

  public int label(int i) {
    return labels[i];
  }

  public int predicted(int i) {
    return predicted[i];
  }

  public float probability(int i, int digit) {
    return probabilities[i * classes + digit];
  }

  public int correct() {
    int c = 0;
    for (int i = 0; i < labels.length; i++) {
      c += labels[i] == predicted[i] ? 1 : 0;
    }
    return c;
  }

  public double accuracy() {
    return labels.length == 0 ? 0 : (double) correct() / labels.length;
  }

  /** {@code [true digit][predicted digit]} counts. */
  public int[][] confusion() {
    int[][] copy = new int[classes][];
    for (int t = 0; t < classes; t++) {
      copy[t] = confusion[t].clone();
    }
    return copy;
  }

  /** Of the examples predicted as each digit, the fraction that were that digit (NaN if none). */
  public double[] precision() {
    int[][] m = confusion();
    double[] p = new double[classes];
    for (int d = 0; d < classes; d++) {
      int column = 0;
      for (int t = 0; t < classes; t++) {
        column += m[t][d];
      }
      p[d] = column == 0 ? Double.NaN : (double) m[d][d] / column;
    }
    return p;
  }

  /** Of the examples of each digit, the fraction predicted as that digit (NaN if none). */
  public double[] recall() {
    int[][] m = confusion();
    double[] r = new double[classes];
    for (int d = 0; d < classes; d++) {
      int row = 0;
      for (int q = 0; q < classes; q++) {
        row += m[d][q];
      }
      r[d] = row == 0 ? Double.NaN : (double) m[d][d] / row;
    }
    return r;
  }

  public double[] f1() {
    double[] p = precision();
    double[] r = recall();
    double[] f = new double[classes];
    for (int d = 0; d < classes; d++) {
      f[d] = p[d] + r[d] == 0 ? 0 : 2 * p[d] * r[d] / (p[d] + r[d]);
    }
    return f;
  }

  /** The {@code k} most frequent (true, predicted) pairs with true != predicted. */
  public List<Confusion> topConfusions(int k) {
    int[][] m = confusion();
    List<Confusion> all = new ArrayList<>();
    for (int t = 0; t < classes; t++) {
      for (int q = 0; q < classes; q++) {
        if (t != q && m[t][q] > 0) {
          all.add(new Confusion(t, q, m[t][q]));
        }
      }
    }
    all.sort(Comparator.comparingInt(Confusion::count).reversed()
        .thenComparingInt(Confusion::trueDigit).thenComparingInt(Confusion::predicted));
    return all.subList(0, Math.min(k, all.size()));
  }

  /** Indices of the wrong predictions, the most confident first. */
  public List<Integer> mistakesWorstFirst() {
    List<Integer> wrong = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != predicted[i]) {
        wrong.add(i);
      }
    }
    wrong.sort(Comparator.comparingDouble((Integer i) -> probability(i, predicted[i])).reversed());
    return wrong;
  }

  /** Reliability bins of equal width over the top-class probability. */
  public List<Bin> calibration(int bins) {
    int[] n = new int[bins];
    double[] confidence = new double[bins];
    int[] hits = new int[bins];
    for (int i = 0; i < labels.length; i++) {
      double c = probability(i, predicted[i]);
      int b = Math.min(bins - 1, (int) (c * bins));
      n[b]++;
      confidence[b] += c;
      hits[b] += labels[i] == predicted[i] ? 1 : 0;
    }
    List<Bin> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      out.add(new Bin((double) b / bins, (double) (b + 1) / bins, n[b], n[b] == 0 ? Double.NaN : confidence[b] / n[b],
          n[b] == 0 ? Double.NaN : (double) hits[b] / n[b]));
    }
    return out;
  }

  /** Expected calibration error: the count-weighted gap between confidence and accuracy. */
  public double expectedCalibrationError(int bins) {
    double ece = 0;
    for (Bin b : calibration(bins)) {
      if (b.count() > 0) {
        ece += (double) b.count() / labels.length * Math.abs(b.meanConfidence() - b.accuracy());
      }
    }
    return ece;
  }

  /** Every number, for metrics.json (the report adds the mistakes it shows, with their names). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("examples", count());
    m.put("correct", correct());
    m.put("accuracy", accuracy());
    m.put("confusion_matrix", confusion());
    List<Map<String, Object>> perClass = new ArrayList<>();
    double[] p = precision();
    double[] r = recall();
    double[] f = f1();
    int[][] cm = confusion();
    for (int d = 0; d < classes; d++) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("digit", d);
      c.put("support", java.util.Arrays.stream(cm[d]).sum());
      c.put("precision", p[d]);
      c.put("recall", r[d]);
      c.put("f1", f[d]);
      perClass.add(c);
    }
    m.put("per_class", perClass);
    m.put("top_confusions", topConfusions(5).stream().map(c -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("true", c.trueDigit());
      x.put("predicted", c.predicted());
      x.put("count", c.count());
      return x;
    }).toList());
    m.put("expected_calibration_error", expectedCalibrationError(10));
    m.put("calibration", calibration(10).stream().map(b -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("low", b.low());
      x.put("high", b.high());
      x.put("count", b.count());
      x.put("mean_confidence", b.meanConfidence());
      x.put("accuracy", b.accuracy());
      return x;
    }).toList());
    return m;
  }
}
