package dev.digits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.util.Json;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them: exit status, stdout, and one-line errors on stderr. */
class CliTest {
  @TempDir Path tmp;

  record Run(int status, String out, String err) {}

  static Run run(String name, Cli.Command command, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      int status = Cli.execute(name, command, args);
      return new Run(status, out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void trainHelpListsEveryOptionWithDefaults() {
    Run r = run("train", TrainCommand::main, "--help");
    assertEquals(0, r.status());
    List<String> flags = List.of("--help", "--preset", "--epochs", "--batch-size", "--lr", "--warmup", "--label-smoothing", "--average", "--width", "--dropout", "--seed",
        "--threads", "--precision", "--data-dir", "--classes", "--test-share", "--from", "--replay", "--mnist-dir", "--export-dir", "--checkpoint-dir", "--report-dir", "--max-steps", "--min-accuracy",
        "--stop-at", "--augment", "--no-augment", "--resume", "--no-export");
    List<String> listed = r.out().lines().filter(l -> l.startsWith("  --")).map(l -> l.strip().split(" ")[0]).toList();
    assertEquals(flags, listed);
    for (String line : r.out().lines().filter(l -> l.startsWith("  --")).toList()) {
      boolean isSwitch = line.strip().split(" +").length > 1 && !line.strip().split(" +")[1].matches("[A-Z]+");
      assertTrue(isSwitch || line.contains("(default: "), "an option with a value has a default: " + line);
    }
    assertTrue(r.out().contains("--epochs N               passes over the training set (default: 20)"), r.out());
  }

  @Test
  void serveOnAPortInUseSaysSoInOneLine() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Run r = run("serve", ServeCommand::main, "--model", dev.digits.TestData.BUNDLED_MODEL.toString(), "--port",
          String.valueOf(port));
      assertEquals(Cli.FAILED, r.status(), r.err());
      String line = r.err().strip();
      assertEquals(1, line.lines().count(), "[" + line + "]");
      assertTrue(line.startsWith("serve: error: cannot listen on 127.0.0.1:" + port + " (") && line.endsWith("Try --port"), line);
    }
  }

  @Test
  void everyCommandHasHelpAndTheLauncherListsThem() {
    for (var c : List.<Map.Entry<String, Cli.Command>>of(Map.entry("train", TrainCommand::main),
        Map.entry("predict", PredictCommand::main), Map.entry("evaluate", EvaluateCommand::main),
        Map.entry("serve", ServeCommand::main), Map.entry("fetch-data", FetchDataCommand::main))) {
      Run r = run(c.getKey(), c.getValue(), "--help");
      assertEquals(0, r.status(), c.getKey());
      assertTrue(r.out().startsWith("usage: tools/digits " + c.getKey()), r.out());
      assertTrue(r.out().contains("  --help "), r.out());
    }
    Run list = run("digits", Digits::run, "--help");
    assertEquals(0, list.status());
    for (String command : List.of("train", "predict", "evaluate", "serve", "fetch-data", "spark-predict")) {
      assertTrue(list.out().contains("  " + command + " "), list.out());
    }
    Run spark = run("digits", Digits::run, "spark-predict", "--help"); // the Spark job, when it is on the class path
    assertEquals(0, spark.status(), spark.err());
    assertTrue(spark.out().startsWith("usage: tools/digits spark-predict"), spark.out());
    Run bad = run("digits", Digits::run, "trian");
    assertEquals(2, bad.status());
    assertEquals("digits: no command 'trian'; the commands are train, predict, evaluate, serve, fetch-data,"
        + " spark-predict (see --help)",
        bad.err().strip());
    Run none = run("digits", Digits::run);
    assertEquals(2, none.status());
    assertTrue(none.err().contains("usage: tools/digits COMMAND"), none.err());
  }

  @Test
  void wholeNumbersTakeALengthHintAndPagesGiveALinePerRow() throws Exception {
    String model = dev.digits.TestData.BUNDLED_MODEL.toString();
    Run hinted = run("predict", PredictCommand::main, "--number", "--digits", "4", "--json", "--model", model,
        "src/test/resources/numbers/2025.png");
    assertEquals(0, hinted.status(), hinted.err());
    assertTrue(hinted.out().contains("\"number\":\"2025\""), hinted.out());
    Run misplaced = run("predict", PredictCommand::main, "--digits", "4", "--model", model,
        "src/test/resources/numbers/2025.png");
    assertEquals(Cli.USAGE, misplaced.status());
    assertTrue(misplaced.err().contains("--digits goes with --number or --page"), misplaced.err());
    // Two numbers one above the other: --page reads each; --json gives them as "lines".
    java.awt.image.BufferedImage one = javax.imageio.ImageIO.read(new java.io.File("src/test/resources/numbers/2025.png"));
    java.awt.image.BufferedImage sheet = new java.awt.image.BufferedImage(one.getWidth(), 2 * one.getHeight() + 60,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = sheet.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
    g.drawImage(one, 0, 0, null);
    g.drawImage(one, 0, one.getHeight() + 60, null);
    g.dispose();
    Path page = tmp.resolve("two-lines.png");
    javax.imageio.ImageIO.write(sheet, "png", page.toFile());
    Run text = run("predict", PredictCommand::main, "--page", "--model", model, page.toString());
    assertEquals(0, text.status(), text.err());
    assertEquals(2, text.out().lines().count(), text.out());
    assertTrue(text.out().lines().allMatch(l -> l.matches(".*two-lines.png: line [12]: 2025 .*")), text.out());
    Run json = run("predict", PredictCommand::main, "--page", "--json", "--model", model, page.toString());
    assertTrue(json.out().contains("\"lines\":[{\"number\":\"2025\"") && json.out().lines().count() == 1, json.out());
  }

  @Test
  void aFinishedRunIsReplacedOnlyOnceExported() throws Exception {
    Path dir = tmp.resolve("finished");
    java.io.PrintStream quiet = new java.io.PrintStream(new java.io.ByteArrayOutputStream());
    dev.digits.train.TrainConfig c = dev.digits.train.TrainConfig.builder().preset("test").epochs(1).batchSize(32)
        .learningRate(3e-3f).schedule(dev.digits.train.LearningRateSchedule.COSINE).seed(3).build();
    dev.digits.train.Trainer.train(c, dev.digits.TestData.syntheticMnist(320, 64),
        new dev.digits.train.Trainer.Options(dir, false, 2, quiet, quiet, false));
    // Its export failed: a plain run may not replace it, and says how to export it.
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> dev.digits.pipeline.TrainingPipeline.releaseFinishedRun(dir));
    assertTrue(e.getMessage().contains("never exported") && e.getMessage().contains("--resume"), e.getMessage());
    assertTrue(Files.exists(dir.resolve(dev.digits.train.Checkpoints.STATE_FILE)), "nothing was touched");
    // Once exported, it may.
    Files.writeString(dir.resolve(dev.digits.pipeline.TrainingPipeline.EXPORTED_FILE), "saved-model/3\n");
    dev.digits.pipeline.TrainingPipeline.releaseFinishedRun(dir);
    assertTrue(Files.notExists(dir.resolve(dev.digits.pipeline.TrainingPipeline.EXPORTED_FILE)));
  }

  @Test
  void oneRunAtATimePerCheckpointFolder() throws Exception {
    Path dir = tmp.resolve("locked");
    try (dev.digits.train.RunLock held = dev.digits.train.RunLock.take(dir)) {
      Run r = run("train", TrainCommand::main, "--checkpoint-dir", dir.toString(), "--max-steps", "1");
      assertEquals(1, r.status());
      assertTrue(r.err().contains("another Train run (process " + ProcessHandle.current().pid() + ") is using " + dir),
          r.err());
    }
    dev.digits.train.RunLock.take(dir).close(); // released: free again
  }

  @Test
  void badFlagsAreOneLineUsageErrors() {
    for (String[] args : new String[][] {{"--epochs", "many"}, {"--width", "3"}, {"--bogus"}, {"--lr"},
        {"--preset", "fast"}, {"--precision", "fp8"}}) {
      Run r = run("train", TrainCommand::main, args);
      assertEquals(2, r.status(), String.join(" ", args));
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("--help"), r.err());
    }
  }

  @Test
  void corruptDataIsAOneLineError() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("train-images-idx3-ubyte"), "not mnist");
    Run r = run("train", TrainCommand::main, "--data-dir", data.toString(), "--checkpoint-dir",
        tmp.resolve("ck").toString(), "--no-export");
    assertEquals(1, r.status());
    assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("train: error")).count(), r.err());
    // Not MNIST, so taken for the user's own IDX data: which is incomplete (and is left as it is).
    assertTrue(r.err().contains("not MNIST's but not all four") && r.err().contains("missing"), r.err());
    assertEquals("not mnist", Files.readString(data.resolve("train-images-idx3-ubyte")));
  }

  @Test
  void resumeWithoutACheckpointSaysSo() {
    Run r = run("train", TrainCommand::main, "--resume", "--checkpoint-dir", tmp.resolve("none").toString(),
        "--no-export");
    assertEquals(1, r.status());
    assertTrue(r.err().contains("no checkpoint to resume"), r.err());
  }

  @Test
  void predictPrintsJsonPerFileAndFailsIfAnyFileFailed() throws Exception {
    Path good = tmp.resolve("three.png");
    ImageIO.write(drawn("3"), "png", good.toFile());
    Path bad = tmp.resolve("broken.png");
    Files.writeString(bad, "not an image");
    Run r = run("predict", PredictCommand::main, "--model", "saved-model/1", "--json", good.toString(), bad.toString());
    assertEquals(1, r.status());
    List<String> lines = r.out().strip().lines().toList();
    assertEquals(2, lines.size(), r.out());
    Map<String, Object> first = Json.parseObject(lines.get(0));
    assertEquals(good.toString(), first.get("file"));
    assertEquals(10, ((List<?>) first.get("probabilities")).size());
    assertTrue(first.get("digit") instanceof Number);
    Map<String, Object> second = Json.parseObject(lines.get(1));
    assertTrue(((String) second.get("error")).startsWith("not an image"), lines.get(1));
  }

  @Test
  void controlCharactersInFileNamesCannotForgeOutputLines() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("forged"));
    Path nine = dir.resolve("a\n9.png"); // would print a second line "9.png: ..." of its own
    ImageIO.write(drawn("3"), "png", nine.toFile());
    Path bad = dir.resolve("x\ntrain: done, no errors.png");
    Files.writeString(bad, "not an image");
    Path escape = dir.resolve("e\u001b[2Jx.png"); // clears the terminal where printed raw
    Files.writeString(escape, "not an image");
    Run r = run("predict", PredictCommand::main, "--model", "saved-model/1", nine.toString(), bad.toString(),
        escape.toString());
    assertEquals(1, r.status());
    assertEquals(1, r.out().strip().lines().count(), r.out());
    assertTrue(r.out().startsWith(dir + "/a\\n9.png: 3 ("), r.out());
    List<String> errors = r.err().strip().lines().toList();
    assertEquals(List.of(dir + "/x\\ntrain: done, no errors.png: error: not an image in a supported format (PNG, JPEG,"
        + " GIF, BMP, TIFF, WebP, ...)", dir + "/e\\x1b[2Jx.png: error: not an image in a supported format (PNG, JPEG,"
        + " GIF, BMP, TIFF, WebP, ...)"), errors);
    // The JSON lines carry the names as they are: JSON escapes them itself.
    r = run("predict", PredictCommand::main, "--model", "saved-model/1", "--json", nine.toString());
    assertEquals(nine.toString(), Json.parseObject(r.out().strip()).get("file"));
    // An error line of any command, its message naming such a file.
    Path trainData = Files.createDirectories(tmp.resolve("labelled\ntrain: done"));
    for (String label : List.of("0", "1")) {
      Files.writeString(Files.createDirectories(trainData.resolve(label)).resolve("scan.png"), "not an image");
    }
    r = run("train", TrainCommand::main, "--data-dir", trainData.toString(), "--max-steps", "1", "--no-export");
    assertEquals(1, r.status(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("train: error: ") && r.err().contains("labelled\\ntrain: done"), r.err());
  }

  @Test
  void predictWalksFoldersAndSavesWhatTheModelSaw() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("imgs/sub"));
    ImageIO.write(drawn("1"), "png", dir.resolve("a.png").toFile());
    ImageIO.write(drawn("7"), "png", tmp.resolve("imgs/b.png").toFile());
    Files.writeString(tmp.resolve("imgs/notes.txt"), "ignored");
    Path seen = tmp.resolve("seen");
    Run r = run("predict", PredictCommand::main, "--model", "saved-model/1", "--save-preprocessed", seen.toString(),
        tmp.resolve("imgs").toString());
    assertEquals(0, r.status(), r.err());
    assertEquals(2, r.out().strip().lines().count(), r.out());
    assertTrue(r.out().contains("top 3:"), r.out());
    BufferedImage saved = ImageIO.read(seen.resolve("a.png.28x28.png").toFile());
    assertEquals(28, saved.getWidth());
  }

  @Test
  void savedImagesOfTwoInputsWithOneNameDoNotOverwriteEachOther() throws Exception {
    Path one = Files.createDirectories(tmp.resolve("same/one"));
    Path two = Files.createDirectories(tmp.resolve("same/two"));
    ImageIO.write(drawn("1"), "png", one.resolve("d.png").toFile());
    ImageIO.write(drawn("7"), "png", two.resolve("d.png").toFile());
    Path seen = tmp.resolve("seen-same");
    Run r = run("predict", PredictCommand::main, "--model", "saved-model/1", "--save-preprocessed", seen.toString(),
        one.resolve("d.png").toString(), two.resolve("d.png").toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(Files.isRegularFile(seen.resolve("d.png.28x28.png")) && Files.isRegularFile(seen.resolve("d.png-2.28x28.png")));
    // A folder that cannot be written: said at once, before any work.
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Run bad = run("predict", PredictCommand::main, "--model", "saved-model/1", "--save-preprocessed",
        file.resolve("sub").toString(), one.resolve("d.png").toString());
    assertEquals(2, bad.status());
    assertEquals("", bad.out());
    assertTrue(bad.err().startsWith("predict: --save-preprocessed " + file.resolve("sub") + " cannot be made a folder"),
        bad.err());
  }

  @Test
  void unsupportedImageTypesInAFolderGetALineAndOtherFilesAreSkipped() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mixed"));
    ImageIO.write(drawn("4"), "png", dir.resolve("a.png").toFile());
    Files.writeString(dir.resolve("b.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>7</text></svg>");
    Files.writeString(dir.resolve("readme.txt"), "not an image, and not named like one");
    Run r = run("predict", PredictCommand::main, "--model", "saved-model/1", "--json", dir.toString());
    assertEquals(1, r.status());
    List<String> lines = r.out().strip().lines().toList();
    assertEquals(2, lines.size(), r.out());
    Map<String, Object> svg = Json.parseObject(lines.get(1));
    assertEquals(dir.resolve("b.svg").toString(), svg.get("file"));
    assertTrue(((String) svg.get("error")).startsWith("unsupported image format (SVG)"), lines.get(1));
  }

  @Test
  void predictWithoutFilesOrWithAMissingModel() {
    assertEquals(2, run("predict", PredictCommand::main).status());
    Run r = run("predict", PredictCommand::main, "--model", tmp.resolve("nothing").toString(), "x.png");
    assertEquals(1, r.status());
    assertTrue(r.err().contains("no SavedModel"), r.err());
  }

  @Test
  void predictNumberReadsWholeNumbersAsTextJsonAndPictures() throws Exception {
    Path photo = tmp.resolve("year.png");
    ImageIO.write(typedNumber("2025"), "png", photo.toFile());
    Path blank = tmp.resolve("blank.png");
    ImageIO.write(new BufferedImage(200, 80, BufferedImage.TYPE_BYTE_GRAY), "png", blank.toFile());

    Run text = run("predict", PredictCommand::main, "--model", "saved-model/1", "--number", photo.toString());
    assertEquals(0, text.status(), text.err());
    assertTrue(text.out().startsWith(photo + ": 2025 ("), text.out());

    Path seen = tmp.resolve("seen-number");
    Run json = run("predict", PredictCommand::main, "--model", "saved-model/1", "--number", "--json",
        "--save-preprocessed", seen.toString(), photo.toString(), blank.toString());
    assertEquals(1, json.status(), "a file without digits fails the run");
    List<String> lines = json.out().strip().lines().toList();
    assertEquals(2, lines.size(), json.out());
    Map<String, Object> read = Json.parseObject(lines.get(0));
    assertEquals(List.of("file", "number", "probability", "digits"), List.copyOf(read.keySet()));
    assertEquals("2025", read.get("number"));
    List<?> digits = (List<?>) read.get("digits");
    assertEquals(4, digits.size());
    Map<?, ?> first = (Map<?, ?>) digits.get(0);
    assertEquals(2, ((Number) first.get("digit")).intValue());
    assertEquals(4, ((List<?>) first.get("box")).size());
    assertEquals(3, ((List<?>) first.get("top")).size(), "--top's default");
    assertTrue(((String) Json.parseObject(lines.get(1)).get("error")).startsWith("no digit"), lines.get(1));
    assertTrue(Files.isRegularFile(seen.resolve("year.png.boxes.png")), "the annotated image");
    for (int i = 1; i <= 4; i++) {
      assertEquals(28, ImageIO.read(seen.resolve("year.png.digit-" + i + ".28x28.png").toFile()).getWidth());
    }

    // Without --number the same image is one (unsure) digit, as before.
    Run single = run("predict", PredictCommand::main, "--model", "saved-model/1", "--json", photo.toString());
    assertTrue(Json.parseObject(single.out().strip()).containsKey("probabilities"), single.out());
  }

  private static BufferedImage typedNumber(String number) {
    BufferedImage img = new BufferedImage(80 + 70 * number.length(), 140, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 80));
    for (int i = 0; i < number.length(); i++) {
      g.drawString(number.substring(i, i + 1), 40 + 70 * i, 105);
    }
    g.dispose();
    return img;
  }

  private static BufferedImage drawn(String digit) {
    BufferedImage img = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 100, 100);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 80));
    g.drawString(digit, 25, 85);
    g.dispose();
    return img;
  }
}
