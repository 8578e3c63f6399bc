package dev.digits.numbers;

import dev.digits.TestData;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.predict.Predictor;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the tests that read numbers of MNIST test digits share: the bundled model
 * ({@link TestData#BUNDLED_MODEL}) and MNIST's test set (data/, as {@code tools/fetch-data}
 * fetches it), loaded once for each test class and closed after it.
 */
abstract class MnistNumbersFixture {
  static Predictor predictor;
  static MnistDataset test;

  @BeforeAll
  static void load() {
    predictor = Predictor.load(TestData.BUNDLED_MODEL);
    test = Mnist.load(Path.of("data"), s -> { }).test();
  }

  @AfterAll
  static void close() {
    predictor.close();
  }
}
