package dev.digits.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.model.ModelContract;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  @Test
  void readsWhatWasWritten() throws IOException {
    MnistDataset d = TestData.synthetic(7, 3);
    Path[] files = TestData.writeIdx(dir, "x", d);
    MnistDataset back = MnistDataset.read(files[0], files[1]);
    assertEquals(7, back.count());
    assertArrayEquals(d.pixels(), back.pixels());
    assertArrayEquals(d.labels(), back.labels());
  }

  @Test
  void readsGzippedFiles() throws IOException {
    byte[] labels = TestData.idx(0x801, new int[] {3}, new byte[] {1, 2, 3});
    Path gz = dir.resolve("l.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(labels);
    }
    assertArrayEquals(new byte[] {1, 2, 3}, IdxReader.readLabels(gz));
  }

  @Test
  void truncatedFileNamesFileAndProblem() throws IOException {
    byte[] full = TestData.idx(0x803, new int[] {2, 28, 28}, new byte[2 * ModelContract.PIXELS]);
    Path f = write("images", Arrays.copyOf(full, full.length - 100));
    DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(f));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void trailingBytesAreRejected() throws IOException {
    Path f = write("labels", TestData.idx(0x801, new int[] {2}, new byte[] {1, 2, 3}));
    assertTrue(assertThrows(DataException.class, () -> IdxReader.readLabels(f)).getMessage().contains("trailing"));
  }

  @Test
  void wrongMagicIsRejected() throws IOException {
    Path f = write("labels", TestData.idx(0x803, new int[] {1, 1, 1}, new byte[] {1}));
    DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(f));
    assertTrue(e.getMessage().contains("magic number 0x00000803"), e.getMessage());
  }

  @Test
  void tinyFileIsRejected() throws IOException {
    Path f = write("empty", new byte[3]);
    assertTrue(assertThrows(DataException.class, () -> IdxReader.readImages(f)).getMessage().contains("too short"));
  }

  @Test
  void wrongImageSizeIsRejected() throws IOException {
    Path images = write("images", TestData.idx(0x803, new int[] {1, 20, 20}, new byte[400]));
    Path labels = write("labels", TestData.idx(0x801, new int[] {1}, new byte[] {4}));
    DataException e = assertThrows(DataException.class, () -> MnistDataset.read(images, labels));
    assertTrue(e.getMessage().contains("20x20"), e.getMessage());
  }

  @Test
  void labelOutOfRangeIsRejected() throws IOException {
    Path f = write("labels", TestData.idx(0x801, new int[] {3}, new byte[] {1, 120, 3}));
    DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(f));
    assertTrue(e.getMessage().contains("label 120 at index 1"), e.getMessage());
  }

  @Test
  void imageAndLabelCountsMustMatch() throws IOException {
    Path images = write("images", TestData.idx(0x803, new int[] {2, 28, 28}, new byte[2 * ModelContract.PIXELS]));
    Path labels = write("labels", TestData.idx(0x801, new int[] {3}, new byte[] {1, 2, 3}));
    DataException e = assertThrows(DataException.class, () -> MnistDataset.read(images, labels));
    assertTrue(e.getMessage().contains("2 images") && e.getMessage().contains("3 labels"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path f = dir.resolve("nope");
    assertTrue(assertThrows(DataException.class, () -> IdxReader.readLabels(f)).getMessage().contains("not found"));
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    return f;
  }

  /** A .gz holding MNIST's training-images header, then {@code inflated} bytes of zeros. */
  private Path gzipBomb(String name, long inflated) throws IOException {
    Path gz = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
      out.write(TestData.idx(0x803, new int[] {60_000, 28, 28}, new byte[0]));
      byte[] zeros = new byte[1 << 20];
      for (long done = 0; done < inflated; done += zeros.length) {
        out.write(zeros);
      }
    }
    return gz;
  }

  @Test
  void aGzipBombIsInflatedNoFurtherThanItsHeaderPromises() throws IOException {
    Path gz = gzipBomb("train-images-idx3-ubyte.gz", 1L << 30); // 1 MB on disk, a GiB inflated
    assertTrue(Files.size(gz) < 2 << 20);
    long t0 = System.nanoTime();
    DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(gz));
    assertTrue(e.getMessage().startsWith(gz + ": has trailing bytes: header promises 47040000 data bytes"),
        e.getMessage());
    e = assertThrows(DataException.class, () -> IdxReader.sha256(gz));
    assertTrue(e.getMessage().startsWith(gz + ": has trailing bytes"), e.getMessage());
    // 47 MB inflated twice, not a gigabyte: well under what inflating all of it takes.
    assertTrue(System.nanoTime() - t0 < 20e9);
  }

  @Test
  void aHeaderPromisingMoreThanTheHeapHoldsIsRefusedBeforeReading() throws IOException {
    Path f = write("images", TestData.idx(0x803, new int[] {2_000_000_000, 28, 28}, new byte[0]));
    DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(f));
    assertTrue(e.getMessage().startsWith(f + ": header promises 1,568,000,000,000 data bytes, over the"),
        e.getMessage());
    long heapHalf = Runtime.getRuntime().maxMemory() / 2;
    int count = (int) Math.min(Integer.MAX_VALUE / 784, heapHalf / 784 + 1);
    Path big = write("big", TestData.idx(0x803, new int[] {count, 28, 28}, new byte[0]));
    e = assertThrows(DataException.class, () -> IdxReader.readImages(big));
    assertTrue(e.getMessage().contains("give Java more heap") || e.getMessage().contains("over the"), e.getMessage());
  }
}
