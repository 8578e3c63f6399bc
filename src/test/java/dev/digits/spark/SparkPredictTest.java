package dev.digits.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.cli.Cli;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.predict.Predictor;
import dev.digits.util.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local mode, in this JVM, with the bundled model (saved-model/1) on 24 MNIST test
 * digits written as PNGs, a file that is not an image, one too small to hold a digit, and a text
 * file that is not collected.
 */
class SparkPredictTest {
  @TempDir static Path tmp;
  static Path input;
  static Map<String, Integer> expected = new HashMap<>();

  @BeforeAll
  static void images() throws Exception {
    input = Files.createDirectories(tmp.resolve("in/nested"));
    MnistDataset test = Mnist.load(Path.of("data"), s -> { }).test().head(24);
    try (Predictor predictor = Predictor.load(TestData.BUNDLED_MODEL)) {
      for (int i = 0; i < test.count(); i++) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 784; p++) {
          img.getRaster().setSample(p % 28, p / 28, 0, 255 - (test.pixels()[i * 784 + p] & 0xff));
        }
        Path file = (i % 2 == 0 ? input : input.getParent()).resolve("digit-" + i + ".png");
        ImageIO.write(img, "png", file.toFile());
        expected.put(file.toAbsolutePath().toString(), predictor.predict(file).digit()); // what Predict answers
      }
    }
    Files.writeString(input.resolve("broken.png"), "not an image");
    Files.writeString(input.resolve("notes.txt"), "not collected: not an image name");
    input = input.getParent();
  }

  private static int job(String... args) {
    return Cli.execute("spark-predict", SparkPredict::run, args);
  }

  @Test
  void everyFileGetsPredictsDigitOrItsErrorAndTheModelLoadsOncePerJvm() throws Exception {
    Path out = tmp.resolve("json-out");
    int loaded = ExecutorModel.loadedCount();
    assertEquals(0, job(input.toString(), out.toString(), "--format", "json", "--model", "saved-model/1",
        "--batch-size", "5", "--master", "local[2]"));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    List<Map<String, Object>> rows = jsonRows(out);
    assertEquals(expected.size() + 1, rows.size(), "one row per image file; notes.txt is not one: " + rows);
    for (Map<String, Object> row : rows) {
      String file = (String) row.get("file");
      if (file.endsWith("broken.png")) {
        assertTrue(((String) row.get("error")).startsWith("not an image"), row.toString());
        assertNull(row.get("digit"));
      } else {
        assertEquals(expected.get(file), ((Number) row.get("digit")).intValue(), file);
        assertEquals(10, ((List<?>) row.get("probabilities")).size());
        assertNull(row.get("error"));
      }
    }
    assertTrue(ExecutorModel.loadedCount() <= loaded + 1, "one model in this JVM, shared by every task");
    loaded = ExecutorModel.loadedCount();

    // An existing output is refused, untouched, unless asked; then only an earlier output is replaced.
    long before = Files.size(out.resolve("_SUCCESS"));
    assertEquals(Cli.FAILED, job(input.toString(), out.toString(), "--format", "json", "--model", "saved-model/1"));
    assertTrue(Files.exists(out.resolve("_SUCCESS")) && Files.size(out.resolve("_SUCCESS")) == before);
    assertEquals(0, job(input.toString(), out.toString(), "--format", "parquet", "--model", "saved-model/1",
        "--overwrite", "--master", "local[2]"));
    try (Stream<Path> files = Files.list(out)) {
      assertTrue(files.anyMatch(f -> f.toString().endsWith(".parquet")), "replaced by the parquet output");
    }
    assertEquals(loaded, ExecutorModel.loadedCount(), "the next job in this JVM reused the model");
  }

  @Test
  void aFolderHoldingOtherFilesIsNeverReplaced() throws Exception {
    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("thesis.txt"), "precious");
    String err = stderr(() -> assertEquals(Cli.FAILED, job(input.toString(), mine.toString(), "--overwrite")));
    assertTrue(err.contains("holds thesis.txt, which spark-predict did not write"), err);
    assertEquals("precious", Files.readString(mine.resolve("thesis.txt")));
    err = stderr(() -> assertEquals(Cli.FAILED, job(tmp.resolve("no-such-folder").toString(), tmp.resolve("o").toString())));
    assertTrue(err.startsWith("spark-predict: error: no such file or folder: ") && err.lines().count() == 1, err);
    err = stderr(() -> assertEquals(Cli.USAGE, job(input.toString(), tmp.resolve("o").toString(), "--format", "xml")));
    assertTrue(err.contains("--format must be parquet, json or csv"), err);
  }

  @Test
  void anEmptyFolderGivesAnEmptyResult() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Path out = tmp.resolve("empty-out");
    String err = stderr(() -> assertEquals(0, job(empty.toString(), out.toString(), "--format", "csv",
        "--model", "saved-model/1", "--master", "local[1]")));
    assertTrue(err.contains("no image files in"), err);
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void wholeNumbersAsCsv() throws Exception {
    Path numbers = Files.createDirectories(tmp.resolve("numbers"));
    Files.copy(Path.of("src/test/resources/numbers/2025.png"), numbers.resolve("2025.png"));
    Path out = tmp.resolve("numbers-out");
    assertEquals(0, job(numbers.toString(), out.toString(), "--format", "csv", "--number", "--model", "saved-model/1",
        "--master", "local[1]"));
    String csv;
    try (Stream<Path> parts = Files.list(out)) {
      csv = parts.filter(f -> f.getFileName().toString().startsWith("part-")).map(SparkPredictTest::read)
          .reduce("", String::concat);
    }
    assertTrue(csv.startsWith("file,number,probability,digits,error"), csv);
    assertTrue(csv.contains(",2025,") && csv.contains("\"\"box\"\":["), csv);
  }

  @Test
  void theLaunchersPassSparksOwnModuleOptions() throws Exception {
    assertEquals(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions(),
        Files.readString(Path.of("tools/spark-java-options")).strip(), "tools/spark-java-options");
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(pom.contains("<spark.java.options>" + org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions()
        + "</spark.java.options>"), "pom.xml's spark.java.options");
  }

  private static List<Map<String, Object>> jsonRows(Path out) throws Exception {
    try (Stream<Path> parts = Files.list(out)) {
      return parts.filter(f -> f.getFileName().toString().endsWith(".json")).flatMap(f -> read(f).lines())
          .map(Json::parseObject).toList();
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String stderr(Runnable body) {
    PrintStream old = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(old);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
