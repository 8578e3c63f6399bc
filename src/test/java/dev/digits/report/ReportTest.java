package dev.digits.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.cli.Cli;
import dev.digits.cli.EvaluateCommand;
import dev.digits.data.LabelledSet;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.model.ModelContract;
import dev.digits.predict.Prediction;
import dev.digits.predict.Predictor;
import dev.digits.util.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluate end to end on 60 MNIST test images, one of them deliberately mislabelled. */
class ReportTest {
  @TempDir static Path tmp;
  static MnistDataset data;
  static Path report;
  static String stdout;

  @BeforeAll
  static void evaluate() throws Exception {
    MnistDataset head = Mnist.load(Path.of("data"), System.err::println).test().head(60);
    byte[] labels = head.labels().clone();
    labels[0] = 3; // the first test digit is a 7: now a sure mistake, "3 → 7"
    data = new MnistDataset(head.pixels(), labels, head.count(), 28, 28);
    Path[] files = TestData.writeIdx(tmp, "small", data);
    report = tmp.resolve("report");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    try {
      System.setOut(new PrintStream(out, true));
      int status = Cli.execute("evaluate", EvaluateCommand::main, new String[] {"--images", files[0].toString(),
          "--labels", files[1].toString(), "--out", report.toString(), "--model", TestData.BUNDLED_MODEL.toString()});
      assertEquals(0, status);
    } finally {
      System.setOut(old);
    }
    stdout = out.toString();
  }

  @Test
  void metricsMatchAnIndependentCount() throws Exception {
    int correct = 0;
    int[][] confusion = new int[10][10];
    try (Predictor predictor = Predictor.load(dev.digits.TestData.BUNDLED_MODEL)) {
      for (int i = 0; i < data.count(); i++) {
        float[] x = new float[ModelContract.PIXELS];
        dev.digits.data.Batcher.toFloats(data.pixels(), i * ModelContract.PIXELS, x, 0, ModelContract.PIXELS);
        Prediction p = predictor.predictNormalized(x);
        correct += p.digit() == data.label(i) ? 1 : 0;
        confusion[data.label(i)][p.digit()]++;
      }
    }
    Map<String, Object> metrics = Json.parseObject(Files.readString(report.resolve("metrics.json")));
    assertEquals(60, ((Number) metrics.get("examples")).intValue());
    assertEquals(correct, ((Number) metrics.get("correct")).intValue());
    assertEquals((double) correct / 60, ((Number) metrics.get("accuracy")).doubleValue(), 1e-12);
    List<?> rows = (List<?>) metrics.get("confusion_matrix");
    for (int t = 0; t < 10; t++) {
      for (int p = 0; p < 10; p++) {
        assertEquals(confusion[t][p], ((Number) ((List<?>) rows.get(t)).get(p)).intValue(), t + "," + p);
      }
    }
    assertTrue(stdout.contains(String.format("accuracy %.2f%%", 100.0 * correct / 60)), stdout);
    assertTrue(stdout.contains("3 as 7 (1)"), stdout);
  }

  @Test
  void picturesDecodeAtTheirSizes() throws Exception {
    for (String name : List.of("confusion.png", "calibration.png", "curves.png")) {
      BufferedImage img = ImageIO.read(report.resolve(name).toFile());
      assertEquals(ReportCharts.CHART_WIDTH, img.getWidth(), name);
      assertEquals(ReportCharts.CHART_HEIGHT, img.getHeight(), name);
    }
    BufferedImage grid = ImageIO.read(report.resolve("mistakes.png").toFile());
    int mistakes = ((List<?>) Json.parseObject(Files.readString(report.resolve("metrics.json"))).get("worst_mistakes")).size();
    assertEquals(ReportCharts.GRID_COLUMNS * 84, grid.getWidth());
    assertEquals(((mistakes + 9) / 10) * (84 + 18), grid.getHeight());
  }

  @Test
  void htmlReferencesOnlyFilesThatExist() throws Exception {
    String html = Files.readString(report.resolve("index.html"));
    Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
    List<String> refs = new ArrayList<>();
    while (m.find()) {
      refs.add(m.group(1));
    }
    assertTrue(refs.containsAll(List.of("confusion.png", "mistakes.png", "curves.png", "calibration.png", "metrics.json")), refs.toString());
    for (String ref : refs) {
      assertTrue(!ref.contains("://") && Files.isRegularFile(report.resolve(ref)), ref);
    }
  }

  @Test
  void theMislabelledDigitLeadsTheGridWithItsLabels() throws Exception {
    Map<String, Object> metrics = Json.parseObject(Files.readString(report.resolve("metrics.json")));
    Map<?, ?> worst = (Map<?, ?>) ((List<?>) metrics.get("worst_mistakes")).get(0);
    assertEquals("#0", worst.get("name"));
    assertEquals(3, ((Number) worst.get("true")).intValue());
    assertEquals(7, ((Number) worst.get("predicted")).intValue());
    assertTrue(Files.readString(report.resolve("index.html")).contains("#0: 3 → 7 ("));
    // The grid's first cell holds the digit itself: bright ink in the middle of the first 84x84 cell.
    BufferedImage grid = ImageIO.read(report.resolve("mistakes.png").toFile());
    int bright = 0;
    for (int y = 20; y < 64; y++) {
      for (int x = 20; x < 64; x++) {
        bright += (grid.getRGB(x, y) & 0xff) > 128 ? 1 : 0;
      }
    }
    assertTrue(bright > 100, "ink in the first cell: " + bright);
  }

  @Test
  void aReportIsReplacedWholeAndBadInputIsOneLine() throws Exception {
    Path target = tmp.resolve("again");
    Files.createDirectories(target);
    Files.writeString(target.resolve("index.html"), "an older report");
    Files.writeString(target.resolve("curves.png"), "an older report's chart");
    Path mine = Files.createDirectories(tmp.resolve("my-documents"));
    Files.writeString(mine.resolve("notes.txt"), "a user's own file");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    try (Predictor predictor = Predictor.load(dev.digits.TestData.BUNDLED_MODEL)) {
      LabelledSet set = LabelledSet.idx(TestData.writeIdx(tmp, "again", data)[0], tmp.resolve("again-labels-idx1-ubyte"));
      dev.digits.report.ModelReport.write(predictor, set, target, quiet);
      // A folder with anything but a report in it is refused, and left as it was.
      dev.digits.data.DataException refused = org.junit.jupiter.api.Assertions.assertThrows(
          dev.digits.data.DataException.class, () -> dev.digits.report.ModelReport.write(predictor, set, mine, quiet));
      assertTrue(refused.getMessage().contains("not part of a report (notes.txt)"), refused.getMessage());
    }
    assertEquals("a user's own file", Files.readString(mine.resolve("notes.txt")));
    assertTrue(Files.readString(target.resolve("index.html")).contains("<html"), "the older report was replaced");
    assertTrue(!Files.exists(target.resolve("curves.png"))
        || !Files.readString(target.resolve("curves.png"), java.nio.charset.StandardCharsets.ISO_8859_1).contains("older"),
        "as a whole");
    try (var siblings = Files.list(tmp)) {
      assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary folders left");
    }
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true));
      assertEquals(2, Cli.execute("evaluate", EvaluateCommand::main, new String[] {"--images", "x"}));
      assertEquals(1, Cli.execute("evaluate", EvaluateCommand::main, new String[] {"--model", tmp.resolve("none").toString()}));
      assertEquals(1, Cli.execute("evaluate", EvaluateCommand::main, new String[] {"--folder", tmp.resolve("none").toString()}));
    } finally {
      System.setErr(oldErr);
    }
    assertEquals(3, err.toString().strip().lines().count(), err.toString());
  }

  @Test
  void aFolderOfLabelledImagesCanBeEvaluated() throws Exception {
    Path dir = tmp.resolve("labelled");
    for (String name : List.of("3-photo-0.jpg", "7-canvas-1.png", "4-small-0.png")) {
      Path sub = Files.createDirectories(dir.resolve(name.substring(0, 1)));
      Files.copy(Path.of("src/test/resources/digits", name), sub.resolve(name));
    }
    Files.writeString(dir.resolve("7").resolve("broken.png"), "not an image");
    LabelledSet set = LabelledSet.folder(dir);
    assertEquals(3, set.count());
    assertEquals(1, set.skipped().size());
    Files.writeString(dir.resolve("labels.csv"), "file,label\n3/3-photo-0.jpg,3\n7/7-canvas-1.png,7\n");
    assertEquals(2, LabelledSet.csv(dir.resolve("labels.csv")).count());
  }

  @Test
  void aFolderWithAManifestIsScoredPerPartAndStyle() throws Exception {
    Path dir = tmp.resolve("manifested");
    Files.createDirectories(dir.resolve("paper/3"));
    Files.createDirectories(dir.resolve("screen/7"));
    Files.copy(Path.of("src/test/resources/digits/3-photo-0.jpg"), dir.resolve("paper/3/a.jpg"));
    Files.copy(Path.of("src/test/resources/digits/7-canvas-1.png"), dir.resolve("screen/7/b.png"));
    Files.copy(Path.of("src/test/resources/digits/4-small-0.png"), dir.resolve("screen/7/c.png")); // a 4 labelled 7
    Files.writeString(dir.resolve("manifest.csv"), "file,label,source,style\n"
        + "paper/3/a.jpg,3,x,photo;pen\nscreen/7/b.png,7,x,\"canvas;small, quoted\"\nscreen/7/c.png,7,x,canvas\n");
    LabelledSet set = LabelledSet.folder(dir);
    assertEquals(3, set.count());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Predictor predictor = Predictor.load(TestData.BUNDLED_MODEL)) {
      dev.digits.report.ModelReport.write(predictor, set, tmp.resolve("manifest-report"), new PrintStream(out, true));
    }
    String printed = out.toString();
    assertTrue(printed.contains("paper ") && printed.contains("1/    1"), printed);
    assertTrue(printed.lines().anyMatch(l -> l.contains("screen / canvas") && l.contains("1/    2")), printed);
    assertTrue(Files.readString(tmp.resolve("manifest-report/metrics.json")).contains("\"by_group\""));
  }

  @Test
  void aFolderIsReadExactlyAsPredictReadsIt() throws Exception {
    Path dir = tmp.resolve("as-predict");
    List<Path> files = new ArrayList<>();
    for (String name : List.of("3-photo-0.jpg", "7-canvas-1.png", "4-small-0.png", "1-pencil-0.jpg", "9-ruled-1.jpg")) {
      Path sub = Files.createDirectories(dir.resolve(name.substring(0, 1)));
      files.add(Files.copy(Path.of("src/test/resources/digits", name), sub.resolve(name)));
    }
    LabelledSet set = LabelledSet.folder(dir);
    try (Predictor predictor = Predictor.load(TestData.BUNDLED_MODEL)) {
      Evaluation e = Evaluator.evaluate(predictor, set);
      files.sort(java.util.Comparator.comparing(f -> f.getFileName().toString().charAt(0)));
      for (int i = 0; i < files.size(); i++) {
        float[] expected = predictor.predict(files.get(i)).probabilities();
        for (int d = 0; d < 10; d++) {
          assertEquals(expected[d], e.probability(i, d), 1e-5, files.get(i) + " digit " + d);
        }
      }
    }
  }
}
