package dev.digits.data;

import dev.digits.model.ModelContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST's IDX files: a big-endian header (two zero bytes, a type byte 0x08 for unsigned
 * bytes, the rank, then one int per dimension) followed by the values. Every header field and the
 * file length are checked, so a truncated or foreign file fails here with its name in the message
 * instead of as an index error or a silently short dataset later on.
 */
public final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;
  public static final int IMAGES_MAGIC = 0x00000803;
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /** Images as one byte array, image after image, row after row. */
  public record Images(int count, int rows, int cols, byte[] pixels) {}

  public static Images readImages(Path file) {
    ByteBuffer buf = ByteBuffer.wrap(readAll(file));
    int[] dims = header(file, buf, IMAGES_MAGIC, 3);
    int count = dims[0];
    int rows = dims[1];
    int cols = dims[2];
    if (rows < 1 || cols < 1 || rows > 4096 || cols > 4096) {
      throw new DataException(file + ": image size " + rows + "x" + cols + " is not plausible");
    }
    byte[] pixels = body(file, buf, (long) count * rows * cols);
    return new Images(count, rows, cols, pixels);
  }

  public static byte[] readLabels(Path file) {
    ByteBuffer buf = ByteBuffer.wrap(readAll(file));
    int count = header(file, buf, LABELS_MAGIC, 1)[0];
    byte[] labels = body(file, buf, count);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= ModelContract.MAX_CLASSES) {
        throw new DataException(file + ": label " + (labels[i] & 0xff) + " at index " + i + " is outside 0-"
            + (ModelContract.MAX_CLASSES - 1) + " (a model has at most " + ModelContract.MAX_CLASSES + " classes)");
      }
    }
    return labels;
  }

  private static int[] header(Path file, ByteBuffer buf, int expectedMagic, int rank) {
    int headerBytes = 4 + 4 * rank;
    if (buf.remaining() < headerBytes) {
      throw new DataException(file + ": too short for an IDX header (" + buf.remaining() + " bytes)");
    }
    int magic = buf.getInt();
    if (magic != expectedMagic) {
      String what = expectedMagic == IMAGES_MAGIC ? "images" : "labels";
      String hint = (magic >>> 8) == UNSIGNED_BYTE ? " (rank " + (magic & 0xff) + ")" : "";
      throw new DataException(String.format(
          "%s: not an IDX %s file: magic number 0x%08x%s, expected 0x%08x",
          file, what, magic, hint, expectedMagic));
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = buf.getInt();
      if (dims[i] < 0) {
        throw new DataException(file + ": dimension " + i + " is negative (" + dims[i] + ")");
      }
    }
    return dims;
  }

  private static byte[] body(Path file, ByteBuffer buf, long expected) {
    if (buf.remaining() != expected) {
      String problem = buf.remaining() < expected ? "truncated" : "has trailing bytes";
      throw new DataException(String.format(
          "%s: %s: header promises %d data bytes, file has %d", file, problem, expected, buf.remaining()));
    }
    byte[] out = new byte[(int) expected];
    buf.get(out);
    return out;
  }

  /** The whole file, gunzipped when its name ends in .gz. */
  static byte[] readAll(Path file) {
    try {
      if (file.getFileName().toString().endsWith(".gz")) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
          return in.readAllBytes();
        }
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DataException(file + ": file not found");
    } catch (IOException e) {
      throw new DataException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
