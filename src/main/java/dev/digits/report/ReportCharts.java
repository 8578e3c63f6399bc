package dev.digits.report;

import dev.digits.data.LabelledSet;
import dev.digits.model.ModelContract;
import dev.digits.train.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's pictures: charts drawn with XChart, the grid of mistakes with plain Java2D. */
public final class ReportCharts {
  public static final int CHART_WIDTH = 640;
  public static final int CHART_HEIGHT = 480;
  /** Each misclassified digit is drawn at this scale (28 px becomes 84 px). */
  public static final int GRID_SCALE = 3;
  public static final int GRID_COLUMNS = 10;
  static final int CAPTION = 18;

  private ReportCharts() {}

  /** Counts of true (rows) against predicted (columns) digits, each cell labelled. */
  public static BufferedImage confusion(int[][] m) {
    HeatMapChart chart = new HeatMapChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT)
        .title("Confusion matrix").xAxisTitle("predicted").yAxisTitle("true").build();
    int k = m.length;
    int[] classes = new int[k];
    // XChart takes the values as heat[x index][y index]; y runs upwards, so true classes are listed
    // K-1..0 to read top-down like a table.
    int[] yLabels = new int[k];
    for (int i = 0; i < k; i++) {
      classes[i] = i;
      yLabels[i] = k - 1 - i;
    }
    int[][] heat = new int[k][k];
    double max = 1;
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        heat[p][k - 1 - t] = m[t][p];
        if (t != p) {
          max = Math.max(max, m[t][p]);
        }
      }
    }
    chart.addSeries("counts", classes, yLabels, heat);
    chart.getStyler().setShowValue(k <= 20); // beyond that, the counts would not fit in their cells
    chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    chart.getStyler().setValueFontColor(Color.BLACK);
    chart.getStyler().setLegendVisible(false);
    // Colour scale tuned to the off-diagonal counts: the diagonal saturates, the mistakes show.
    chart.getStyler().setMin(0);
    chart.getStyler().setMax(max);
    chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(255, 200, 120), new Color(220, 60, 40)});
    return BitmapEncoder.getBufferedImage(chart);
  }

  /** Loss, and training/test accuracy, per epoch. */
  public static BufferedImage curves(List<EpochStats> history) {
    double[] epoch = history.stream().mapToDouble(EpochStats::epoch).toArray();
    XYChart loss = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT / 2).title("Training loss")
        .xAxisTitle("epoch").yAxisTitle("loss").build();
    loss.addSeries("loss", epoch, history.stream().mapToDouble(EpochStats::loss).toArray())
        .setMarker(SeriesMarkers.CIRCLE);
    loss.getStyler().setLegendVisible(false);
    XYChart acc = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT / 2).title("Accuracy")
        .xAxisTitle("epoch").yAxisTitle("%").build();
    acc.addSeries("train (augmented batches)", epoch,
        history.stream().mapToDouble(h -> 100 * h.trainAccuracy()).toArray()).setMarker(SeriesMarkers.CIRCLE);
    acc.addSeries("test", epoch, history.stream().mapToDouble(h -> 100 * h.testAccuracy()).toArray())
        .setMarker(SeriesMarkers.DIAMOND);
    BufferedImage out = new BufferedImage(CHART_WIDTH, CHART_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(BitmapEncoder.getBufferedImage(loss), 0, 0, null);
    g.drawImage(BitmapEncoder.getBufferedImage(acc), 0, CHART_HEIGHT / 2, null);
    g.dispose();
    return out;
  }

  /** Reliability diagram: accuracy against mean confidence per bin, with the diagonal of perfection. */
  public static BufferedImage calibration(List<Evaluation.Bin> bins) {
    XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title("Calibration")
        .xAxisTitle("predicted probability").yAxisTitle("fraction correct").build();
    chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1})
        .setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
    List<Evaluation.Bin> used = bins.stream().filter(b -> b.count() > 0).toList();
    if (!used.isEmpty()) {
      XYSeries s = chart.addSeries("model (per bin)", used.stream().mapToDouble(Evaluation.Bin::meanConfidence).toArray(),
          used.stream().mapToDouble(Evaluation.Bin::accuracy).toArray());
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    return BitmapEncoder.getBufferedImage(chart);
  }

  /**
   * The given mistakes as a grid of enlarged 28x28 inputs, each captioned "true → predicted (p)".
   */
  public static BufferedImage mistakes(Evaluation e, LabelledSet set, List<Integer> indices) {
    int cell = 28 * GRID_SCALE;
    int rows = Math.max(1, (indices.size() + GRID_COLUMNS - 1) / GRID_COLUMNS);
    BufferedImage out = new BufferedImage(GRID_COLUMNS * cell, rows * (cell + CAPTION), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int k = 0; k < indices.size(); k++) {
      int i = indices.get(k);
      int x0 = (k % GRID_COLUMNS) * cell;
      int y0 = (k / GRID_COLUMNS) * (cell + CAPTION);
      float[] input = set.input(i);
      for (int p = 0; p < ModelContract.PIXELS; p++) {
        int v = Math.round(255 * Math.max(0f, Math.min(1f, input[p])));
        g.setColor(new Color(v, v, v));
        g.fillRect(x0 + (p % 28) * GRID_SCALE, y0 + (p / 28) * GRID_SCALE, GRID_SCALE, GRID_SCALE);
      }
      g.setColor(new Color(200, 200, 200));
      g.setStroke(new BasicStroke(1));
      g.drawRect(x0, y0, cell - 1, cell - 1);
      g.setColor(new Color(170, 20, 20));
      g.drawString(caption(e, i), x0 + 4, y0 + cell + 13);
    }
    g.dispose();
    return out;
  }

  static String caption(Evaluation e, int i) {
    return String.format(Locale.ROOT, "%d → %d (%.2f)", e.label(i), e.predicted(i), e.probability(i, e.predicted(i)));
  }
}
