package dev.digits.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.digits.TestData;
import dev.digits.cli.Cli;
import dev.digits.cli.EvaluateCommand;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The report of the bundled model (saved-model/1 on 40 MNIST test images) as a person sees it, in
 * a real headless Chromium at a normal window width of 1280 pixels: the model table's names stay on
 * one line each and its values are written as people write them, not as JSON. The screenshot lands
 * in target/browser-test/.
 */
class ReportPageBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path tmp;

  @Test
  void theModelTableReadsAtAWindowsWidth() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    MnistDataset head = Mnist.load(Path.of("data"), System.err::println).test().head(40);
    Path[] files = TestData.writeIdx(tmp, "small", head);
    Path report = tmp.resolve("report");
    assertEquals(0, Cli.execute("evaluate", EvaluateCommand::main, new String[] {"--images", files[0].toString(),
        "--labels", files[1].toString(), "--out", report.toString(), "--model", TestData.BUNDLED_MODEL.toString()}));

    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver browser = new ChromeDriver(service, options);
    try {
      browser.get(report.resolve("index.html").toUri().toString());
      Number viewport = (Number) browser.executeScript("return window.innerWidth");
      assertTrue(viewport.intValue() >= 1200, "a 1280-pixel window: " + viewport);
      File shot = browser.getScreenshotAs(OutputType.FILE);
      Path out = Files.createDirectories(Path.of("target", "browser-test"));
      Files.copy(shot.toPath(), out.resolve("report-1280.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      List<WebElement> keys = browser.findElements(By.cssSelector("table.kv th"));
      assertTrue(keys.size() > 20, "the model table and its recipe: " + keys.size() + " names");
      for (WebElement key : keys) {
        double lineHeight = ((Number) browser.executeScript(
            "const s = getComputedStyle(arguments[0]); return parseFloat(s.lineHeight) || 1.2 * parseFloat(s.fontSize);",
            key)).doubleValue();
        double textHeight = ((Number) browser.executeScript(
            "const r = document.createRange(); r.selectNodeContents(arguments[0]);"
                + " return r.getBoundingClientRect().height;", key)).doubleValue();
        assertTrue(textHeight < 1.5 * lineHeight, "'" + key.getText() + "' wraps: " + textHeight + " px of text"
            + " for lines of " + lineHeight + " px (see target/browser-test/report-1280.png)");
      }
      String table = browser.findElement(By.cssSelector("table.kv")).getText();
      assertFalse(table.contains("{") || table.contains("\"") || java.util.regex.Pattern.compile("(?<![\\d.])\\d+\\.0(?![\\d.])").matcher(table).find(),
          "no JSON and no 20.0 in the model table:\n" + table);
      assertTrue(table.contains("epochs 20") && table.contains("parameters 125,830"), table);
    } finally {
      browser.quit();
    }
  }
}
