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
}
