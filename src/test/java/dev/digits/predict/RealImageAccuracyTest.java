package dev.digits.predict;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bundled model with the full preprocessing on the project's own non-MNIST images
 * (src/test/resources/digits, see DigitImageSetGenerator). A threshold, not an exact figure:
 * tools/benchmark prints the exact accuracy and the misses.
 */
class RealImageAccuracyTest {
  @Test
  void bundledModelReadsTheProjectsOwnDigitImages() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("src/test/resources/digits"))) {
      files = s.filter(p -> p.getFileName().toString().matches("[0-9]-.*\\.(png|jpg)")).toList();
    }
    assertTrue(files.size() >= 100, "the image set is there");
    int correct = 0;
    try (Predictor predictor = Predictor.load(dev.digits.TestData.BUNDLED_MODEL)) {
      for (Path f : files) {
        if (predictor.predict(f).digit() == f.getFileName().toString().charAt(0) - '0') {
          correct++;
        }
      }
    }
    double accuracy = (double) correct / files.size();
    assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
  }
}
