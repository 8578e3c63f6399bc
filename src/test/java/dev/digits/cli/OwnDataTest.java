package dev.digits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.data.Checksums;
import dev.digits.data.DataException;
import dev.digits.data.TrainingData;
import dev.digits.model.ModelContract;
import dev.digits.numbers.NumberReader;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on the user's own data: IDX datasets other than MNIST (generated here), folders of
 * labelled images (typed digits drawn here), and what goes wrong with them. The user's files are
 * hashed before and after: nothing may change them.
 */
class OwnDataTest {
  @TempDir Path tmp;
  private final List<String> log = new ArrayList<>();

  @Test
  void anIdxDatasetThatIsNotMnistTrainsAndEvaluatesAsGiven() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("fashion"));
    TestData.writeIdx(dir, "train", TestData.synthetic(600, 1));
    TestData.writeIdx(dir, "t10k", TestData.synthetic(200, 2));
    Map<String, String> before = hashes(dir);
    TrainingData.Loaded loaded = TrainingData.load(dir, 0.2, 1, log::add);
    assertEquals(600, loaded.data().train().count());
    assertEquals(200, loaded.data().test().count());
    assertTrue(log.get(0).contains("not MNIST"), log.toString());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    dev.digits.pipeline.TrainingPipeline.Result r = TrainCommand.run(new String[] {"--data-dir", dir.toString(), "--width", "1", "--epochs", "6", "--batch-size", "32", "--lr", "0.003", "--augment", "none",
        "--checkpoint-dir", tmp.resolve("ck").toString(), "--export-dir", tmp.resolve("models").toString(),
        "--report-dir", tmp.resolve("reports").toString(), "--classes", String.join(",", NAMES)},
        new PrintStream(out), quiet);
    assertTrue(r.outcome().testAccuracy() > 0.5, "learns the generated classes: " + r.outcome().testAccuracy());
    assertTrue(out.toString().contains("test set of " + dir), out.toString());
    assertEquals(before, hashes(dir), "the user's files are untouched");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(4, files.count(), "nothing was added to the user's folder");
    }

    // The class names travel with the export into Predict's answers.
    Path image = tmp.resolve("blob.png");
    ImageIO.write(blobImage(), "png", image.toFile());
    ByteArrayOutputStream predicted = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(predicted));
    try {
      PredictCommand.main(new String[] {"--model", r.exportDir().toString(), "--json", image.toString()});
    } finally {
      System.setOut(stdout);
    }
    Map<String, Object> json = dev.digits.util.Json.parseObject(predicted.toString().strip());
    int index = ((Number) json.get("digit")).intValue();
    assertEquals(NAMES.get(index), json.get("class"), predicted.toString());
  }

  @Test
  void twelveClassesMakeATwelveOutputModelWhoseNamesPredictAndEvaluateShow() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("twelve"));
    TestData.writeIdx(dir, "train", TestData.synthetic(480, 1, 12));
    TestData.writeIdx(dir, "t10k", TestData.synthetic(120, 2, 12));
    List<String> names = List.of("ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen", "ibis", "jay", "kiwi", "lynx");
    Files.writeString(dir.resolve("classes.txt"), String.join("\n", names) + "\n");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    dev.digits.pipeline.TrainingPipeline.Result r = TrainCommand.run(new String[] {"--data-dir", dir.toString(),
        "--width", "1", "--epochs", "4", "--batch-size", "32", "--augment", "none",
        "--checkpoint-dir", tmp.resolve("ck").toString(), "--export-dir", tmp.resolve("models").toString(),
        "--report-dir", tmp.resolve("reports").toString()}, quiet, quiet);
    assertEquals(12, r.outcome().config().model().classes());
    assertTrue(r.outcome().testAccuracy() > 0.4, "learns twelve generated classes: " + r.outcome().testAccuracy());
    Map<String, Object> meta = dev.digits.util.Json.parseObject(Files.readString(r.exportDir().resolve(ModelContract.METADATA_FILE)));
    assertEquals(names, meta.get("classes"));
    assertEquals("float32 [-1, 12]", ((Map<?, ?>) meta.get("outputs")).get("probabilities"));
    try (dev.digits.predict.Predictor p = dev.digits.predict.Predictor.load(r.exportDir())) {
      assertEquals(12, p.classCount());
      assertEquals(12, p.predictNormalized(new float[ModelContract.PIXELS]).probabilities().length);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NumberReader(p).read(blobImage()));
      assertTrue(e.getMessage().contains("not the ten digits"), e.getMessage());
    }
    // Evaluate names the classes in its confusion matrix; the report's per-class table does too.
    ByteArrayOutputStream evaluated = new ByteArrayOutputStream();
    EvaluateCommand.run(EvaluateCommand.spec().parse(new String[] {"--model", r.exportDir().toString(), "--data-dir",
        dir.toString(), "--out", tmp.resolve("eval").toString()}), new PrintStream(evaluated));
    String text = evaluated.toString();
    assertTrue(text.contains("confusion matrix") && text.contains("lynx") && text.contains("ibis"), text);
    String html = Files.readString(tmp.resolve("eval").resolve("index.html"));
    assertTrue(html.contains("<td>kiwi</td>"), "the per-class table names the classes");
  }

  @Test
  void fineTuningStartsFromTheModelAndReportsBeforeAndAfter() throws Exception {
    Path mine = imageFolder("mine", 10, 3);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    dev.digits.pipeline.TrainingPipeline.Result r = TrainCommand.run(new String[] {"--from", TestData.BUNDLED_MODEL.toString(), "--data-dir",
        mine.toString(), "--test-share", "0.34", "--max-steps", "3", "--checkpoint-dir", tmp.resolve("ck").toString(),
        "--export-dir", tmp.resolve("models").toString(), "--report-dir", tmp.resolve("reports").toString()},
        new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
    String printed = out.toString();
    assertTrue(printed.contains("before fine-tuning " + TestData.BUNDLED_MODEL + ": held-out images of " + mine), printed);
    assertTrue(printed.contains("starting from the weights of " + TestData.BUNDLED_MODEL), printed);
    assertTrue(printed.contains("fine-tuning: held-out images "), printed);
    assertTrue(printed.contains("adam lr 0.0003 one-cycle"), "fine-tuning's smaller default rate: " + printed);
    assertEquals(2, r.outcome().config().model().width(), "the source model's width, not the default's");
    assertTrue(r.outcome().testAccuracy() > 0.8, "typed digits, read by the bundled model: " + r.outcome().testAccuracy());
    Map<String, Object> meta = dev.digits.util.Json.parseObject(Files.readString(r.exportDir().resolve(ModelContract.METADATA_FILE)));
    assertEquals(TestData.BUNDLED_MODEL.toString(), meta.get("fine_tuned_from"));
    assertTrue(Files.isRegularFile(tmp.resolve("reports").resolve(r.exportDir().getFileName() + "-mnist/index.html")));
  }

  @Test
  void otherIdxDataIsNotAugmentedAsHandwritingUnlessAsked() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("clothes"));
    TestData.writeIdx(dir, "train", TestData.synthetic(100, 1));
    TestData.writeIdx(dir, "t10k", TestData.synthetic(50, 2));
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    for (String[] extra : List.of(new String[0], new String[] {"--augment", "affine"})) {
      List<String> argv = new ArrayList<>(List.of("--data-dir", dir.toString(), "--width", "1", "--max-steps", "1",
          "--no-export", "--checkpoint-dir", tmp.resolve("ck-" + extra.length).toString()));
      argv.addAll(List.of(extra));
      dev.digits.pipeline.TrainingPipeline.Result r = TrainCommand.run(argv.toArray(String[]::new), quiet, quiet);
      assertEquals(extra.length == 0 ? "NONE" : "AFFINE", r.outcome().config().augmentation().name());
    }
  }

  @Test
  void classNamesMustMatchTheLabels() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("named"));
    TestData.writeIdx(dir, "train", TestData.synthetic(100, 1));
    TestData.writeIdx(dir, "t10k", TestData.synthetic(50, 2));
    Files.writeString(dir.resolve("classes.txt"), "one\ntwo\n");
    UsageException e = assertThrows(UsageException.class, () -> TrainCommand.run(new String[] {"--data-dir",
        dir.toString(), "--checkpoint-dir", tmp.resolve("ck").toString()}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream())));
    assertTrue(e.getMessage().contains("names 2 classes but the data has 10"), e.getMessage());
  }

  private static final List<String> NAMES = List.of("tee", "trouser", "pullover", "dress", "coat", "sandal", "shirt",
      "sneaker", "bag", "boot");

  /** A bright square on black, like the generated classes' blobs. */
  private static BufferedImage blobImage() {
    BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(20, 14, 14, 24);
    g.dispose();
    return img;
  }

  @Test
  void aMalformedIdxDatasetIsAClearErrorAndItsFilesAreUntouched() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("broken"));
    TestData.writeIdx(dir, "train", TestData.synthetic(100, 1));
    Path[] test = TestData.writeIdx(dir, "t10k", TestData.synthetic(50, 2));
    byte[] whole = Files.readAllBytes(test[0]);
    Files.write(test[0], java.util.Arrays.copyOf(whole, whole.length - 100)); // truncated
    Map<String, String> before = hashes(dir);
    DataException e = assertThrows(DataException.class, () -> TrainingData.load(dir, 0.2, 1, log::add));
    assertTrue(e.getMessage().startsWith(test[0] + ": truncated"), e.getMessage());
    assertEquals(before, hashes(dir));

    Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
    e = assertThrows(DataException.class, () -> TrainingData.load(dir, 0.2, 1, log::add));
    assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte missing"), e.getMessage());

    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), TestData.idx(0x801, new int[] {1}, new byte[] {120}));
    Files.write(test[0], whole);
    e = assertThrows(DataException.class, () -> TrainingData.load(dir, 0.2, 1, log::add));
    assertTrue(e.getMessage().contains("label 120 at index 0 is outside 0-99"), e.getMessage());
  }

  @Test
  void aFolderOfLabelledImagesIsSplitByLabelWithASeed() throws Exception {
    Path dir = imageFolder("mine", 3, 10);
    Map<String, String> before = hashes(dir);
    TrainingData.Loaded a = TrainingData.load(dir, 0.2, 7, log::add);
    TrainingData.Loaded b = TrainingData.load(dir, 0.2, 7, log::add);
    assertEquals(24, a.data().train().count());
    assertEquals(6, a.data().test().count(), "2 of each label's 10 held out");
    assertTrue(java.util.Arrays.equals(a.data().test().pixels(), b.data().test().pixels()), "the same seed, the same split");
    int[] perLabel = new int[10];
    for (int i = 0; i < a.data().test().count(); i++) {
      perLabel[a.data().test().label(i)]++;
    }
    assertEquals(List.of(2, 2, 2), List.of(perLabel[0], perLabel[1], perLabel[2]));
    assertEquals(before, hashes(dir));

    Path split = Files.createDirectories(tmp.resolve("split"));
    Files.move(imageFolder("tr", 3, 4), split.resolve("train"));
    Files.move(imageFolder("te", 3, 2), split.resolve("test"));
    TrainingData.Loaded given = TrainingData.load(split, 0.2, 7, log::add);
    assertEquals(12, given.data().train().count());
    assertEquals(6, given.data().test().count());
  }

  @Test
  void badLabelledFoldersAreClearErrors() throws Exception {
    Path gap = imageFolder("gap", 4, 3);
    try (Stream<Path> files = Files.walk(gap.resolve("2"))) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    DataException e = assertThrows(DataException.class, () -> TrainingData.load(gap, 0.2, 1, log::add));
    assertTrue(e.getMessage().contains("has no folder for label 2"), e.getMessage());

    Path big = imageFolder("big", 2, 3);
    Files.createDirectories(big.resolve("120"));
    e = assertThrows(DataException.class, () -> TrainingData.load(big, 0.2, 1, log::add));
    assertTrue(e.getMessage().contains("label 120 is outside 0-99"), e.getMessage());

    Path named = imageFolder("named", 2, 3);
    Files.createDirectories(named.resolve("cats"));
    e = assertThrows(DataException.class, () -> TrainingData.load(named, 0.2, 1, log::add));
    assertTrue(e.getMessage().contains("cats is not a label folder"), e.getMessage());

    Path emptyTest = Files.createDirectories(tmp.resolve("empty-test"));
    Files.move(imageFolder("et-train", 2, 3), emptyTest.resolve("train"));
    Files.createDirectories(emptyTest.resolve("test"));
    e = assertThrows(DataException.class, () -> TrainingData.load(emptyTest, 0.2, 1, log::add));
    assertTrue(e.getMessage().contains("test has no label folders"), e.getMessage());

    Path unreadable = imageFolder("unreadable", 2, 3);
    Files.writeString(unreadable.resolve("1/scan.png"), "not a picture");
    Map<String, String> before = hashes(unreadable);
    e = assertThrows(DataException.class, () -> TrainingData.load(unreadable, 0.2, 1, log::add));
    assertTrue(e.getMessage().contains(unreadable.resolve("1/scan.png") + ": not an image"), e.getMessage());
    assertEquals(before, hashes(unreadable));
  }

  @Test
  void aSymbolicLinkLoopOrBrokenLinkInALabelFolderStopsTheRunNamingIt() throws Exception {
    Path loop = imageFolder("loop", 2, 3);
    Path link = loop.resolve("1/loop.png");
    Files.createSymbolicLink(link, link.getFileName()); // loop.png -> loop.png
    DataException e = assertThrows(DataException.class, () -> TrainingData.load(loop, 0.2, 1, log::add));
    assertTrue(e.getMessage().contains(link + ": a symbolic link loop"), e.getMessage());
    Files.delete(link);
    Files.createSymbolicLink(link, Path.of("gone.png"));
    e = assertThrows(DataException.class, () -> TrainingData.load(loop, 0.2, 1, log::add));
    assertTrue(e.getMessage().contains(link + ": a broken symbolic link"), e.getMessage());
  }

  @Test
  void aGzipBombIsRefusedNamingTheFileWithoutInflatingIt() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("bomb"));
    TestData.writeIdx(dir, "t10k", TestData.synthetic(50, 2));
    TestData.writeIdx(dir, "train", TestData.synthetic(50, 1));
    Path gz = dir.resolve("train-images-idx3-ubyte.gz");
    Files.delete(dir.resolve("train-images-idx3-ubyte"));
    try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
      out.write(TestData.idx(0x803, new int[] {60_000, 28, 28}, new byte[0]));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 1024; i++) { // a GiB of zeros in about a megabyte
        out.write(zeros);
      }
    }
    DataException e = assertThrows(DataException.class, () -> TrainingData.load(dir, 0.2, 1, log::add));
    assertTrue(e.getMessage().startsWith(gz + ": has trailing bytes"), e.getMessage());
  }

  /** DIR/<label>/<n>.png for labels 0..labels-1, each a typed digit at a varied size and place. */
  private Path imageFolder(String name, int labels, int perLabel) throws Exception {
    Path dir = tmp.resolve(name);
    java.util.Random rng = new java.util.Random(name.hashCode());
    for (int d = 0; d < labels; d++) {
      Path sub = Files.createDirectories(dir.resolve(Integer.toString(d)));
      for (int i = 0; i < perLabel; i++) {
        BufferedImage img = new BufferedImage(80, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 80, 80);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40 + rng.nextInt(20)));
        g.drawString(Integer.toString(d), 15 + rng.nextInt(15), 60 + rng.nextInt(10));
        g.dispose();
        ImageIO.write(img, "png", sub.resolve(i + ".png").toFile());
      }
    }
    return dir;
  }

  private static Map<String, String> hashes(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), Checksums.sha256(Files.readAllBytes(f)));
      }
    }
    return out;
  }
}
