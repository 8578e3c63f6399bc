package dev.digits.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.digits.predict.Predictor;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The drawing page in a real headless Chromium (Debian's chromium and chromium-driver, which
 * .ci/run installs): a digit is drawn stroke by stroke with the mouse, and the page must show the
 * model's answer. The screenshot lands in target/browser-test/.
 */
class DrawingPageBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static Predictor predictor;
  static DigitServer server;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    predictor = Predictor.load(dev.digits.TestData.BUNDLED_MODEL);
    server = new DigitServer(predictor, "digits", "127.0.0.1", 0, 4);
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--window-size=900,700",
        "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
      predictor.close();
    }
  }

  @Test
  void drawingASevenShowsASeven() throws Exception {
    browser.get(server.url());
    WebElement pad = browser.findElement(By.id("pad"));
    // Offsets are from the canvas centre (Selenium 4); the canvas is 300 CSS pixels wide.
    new Actions(browser)
        .moveToElement(pad, -80, -90).clickAndHold()
        .moveByOffset(40, 0).moveByOffset(40, 0).moveByOffset(40, 0).moveByOffset(40, 0)  // the bar
        .moveByOffset(-20, 40).moveByOffset(-20, 40).moveByOffset(-20, 40).moveByOffset(-20, 40) // the stem
        .moveByOffset(-15, 35)
        .release().perform();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    // The page sends a request per stroke segment; wait for the answer to the finished drawing.
    wait.until(d -> !d.findElement(By.id("digit")).getText().equals("?")
        && "idle".equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
    String shown = browser.findElement(By.id("digit")).getText();
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Path out = Files.createDirectories(Path.of("target", "browser-test"));
    Files.copy(shot.toPath(), out.resolve("drawing-7.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals("7", shown, "see target/browser-test/drawing-7.png");
    assertTrue(browser.findElement(By.id("probability")).getText().endsWith("% sure"));

    browser.findElement(By.id("clear")).click();
    assertEquals("?", browser.findElement(By.id("digit")).getText());
  }

  @Test
  void writingANumberInNumberModeShowsItsDigitsAndBoxes() throws Exception {
    browser.get(server.url());
    browser.findElement(By.cssSelector("input[name=mode][value=number]")).click();
    WebElement pad = browser.findElement(By.id("pad"));
    assertTrue(pad.getSize().getWidth() >= 2 * pad.getSize().getHeight(), "a wide canvas: " + pad.getSize());
    int w = pad.getSize().getWidth();
    int h = pad.getSize().getHeight();
    // A "1" in the left third, a "7" in the middle (offsets from the canvas centre).
    new Actions(browser)
        .moveToElement(pad, -w / 4, -h / 3).clickAndHold().moveByOffset(0, h / 3).moveByOffset(0, h / 3).release()
        .moveToElement(pad, 0, -h / 3).clickAndHold()
        .moveByOffset(w / 16, 0).moveByOffset(w / 16, 0)                       // the bar
        .moveByOffset(-w / 24, h / 3).moveByOffset(-w / 24, h / 3)             // the stem
        .release().perform();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    wait.until(d -> !d.findElement(By.id("number")).getText().equals("?")
        && "idle".equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Path out = Files.createDirectories(Path.of("target", "browser-test"));
    Files.copy(shot.toPath(), out.resolve("number-17.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals("17", browser.findElement(By.id("number")).getText(), "see target/browser-test/number-17.png");
    Object boxPixels = browser.executeScript(
        "const c = document.getElementById('boxes'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            + " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;");
    assertTrue(((Number) boxPixels).intValue() > 100, "boxes drawn over the canvas");
  }
}
