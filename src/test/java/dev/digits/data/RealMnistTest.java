package dev.digits.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The real files in data/ (fetched by the project's own route when missing) load as MNIST. */
class RealMnistTest {
  @Test
  void loadsWithExpectedCountsAndFirstLabels() {
    Mnist mnist = Mnist.load(Path.of("data"), System.err::println);
    assertEquals(60_000, mnist.train().count());
    assertEquals(10_000, mnist.test().count());
    assertArrayEquals(new byte[] {5, 0, 4, 1, 9}, Arrays.copyOf(mnist.train().labels(), 5));
    assertArrayEquals(new byte[] {7, 2, 1, 0, 4}, Arrays.copyOf(mnist.test().labels(), 5));
  }
}
