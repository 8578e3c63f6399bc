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
    try (InputStream in = open(file)) {
      int[] dims = header(file, in, IMAGES_MAGIC, 3);
      int count = dims[0];
      int rows = dims[1];
      int cols = dims[2];
      if (rows < 1 || cols < 1 || rows > 4096 || cols > 4096) {
        throw new DataException(file + ": image size " + rows + "x" + cols + " is not plausible");
      }
      byte[] pixels = body(file, in, (long) count * rows * cols);
      return new Images(count, rows, cols, pixels);
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
  }

  public static byte[] readLabels(Path file) {
    byte[] labels;
    try (InputStream in = open(file)) {
      int count = header(file, in, LABELS_MAGIC, 1)[0];
      labels = body(file, in, count);
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= ModelContract.MAX_CLASSES) {
        throw new DataException(file + ": label " + (labels[i] & 0xff) + " at index " + i + " is outside 0-"
            + (ModelContract.MAX_CLASSES - 1) + " (a model has at most " + ModelContract.MAX_CLASSES + " classes)");
      }
    }
    return labels;
  }

  private static int[] header(Path file, InputStream in, int expectedMagic, int rank) throws IOException {
    int headerBytes = 4 + 4 * rank;
    byte[] head = in.readNBytes(headerBytes);
    if (head.length < headerBytes) {
      throw new DataException(file + ": too short for an IDX header (" + head.length + " bytes)");
    }
    ByteBuffer buf = ByteBuffer.wrap(head);
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

  /**
   * Exactly the {@code expected} data bytes the header promises, and not one more: a compressed file
   * is inflated only that far (plus one byte to see that it ends there), so a small .gz that
   * inflates to gigabytes costs what its header promises, not what it inflates to. The array grows
   * as data arrives, so a header promising more than the file holds does not allocate it up front.
   */
  private static byte[] body(Path file, InputStream in, long expected) throws IOException {
    if (expected > MAX_DATA_BYTES) {
      throw new DataException(String.format("%s: header promises %,d data bytes, over the %,d one dataset file may hold",
          file, expected, MAX_DATA_BYTES));
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (expected > heap / 2) {
      throw new DataException(String.format("%s: header promises %,d MB of data; Java's heap is %,d MB: give Java more "
          + "heap (-Xmx, or MAVEN_OPTS with mvn) or use a smaller file", file, expected >> 20, heap >> 20));
    }
    byte[] out = new byte[(int) Math.min(expected, 1 << 20)];
    int have = 0;
    while (have < expected) {
      if (have == out.length) {
        out = java.util.Arrays.copyOf(out, (int) Math.min(expected, 2L * out.length));
      }
      int n = in.read(out, have, out.length - have);
      if (n < 0) {
        throw new DataException(String.format("%s: truncated: header promises %d data bytes, file has %d", file,
            expected, have));
      }
      have += n;
    }
    if (in.read() >= 0) {
      throw new DataException(String.format("%s: has trailing bytes: header promises %d data bytes, file holds more",
          file, expected));
    }
    return out;
  }

  /** The whole file, gunzipped when its name ends in .gz: for files whose checksum has been verified. */
  static byte[] readAll(Path file) {
    try (InputStream in = open(file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
  }

  /** Most bytes a file without an IDX header is hashed over (MNIST's largest file is 47 MB). */
  private static final long MAX_UNKNOWN_BYTES = 64L << 20;

  /**
   * SHA-256 of the file's content (gunzipped when its name ends in .gz), read as a stream and never
   * further than its IDX header promises plus one byte: a small .gz that inflates to gigabytes is
   * refused when it passes that point, named, instead of inflated to the end.
   */
  static String sha256(Path file) {
    java.security.MessageDigest digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    try (InputStream in = open(file)) {
      byte[] head = in.readNBytes(4);
      digest.update(head);
      long promised = MAX_UNKNOWN_BYTES;
      int rank = head.length == 4 && head[0] == 0 && head[1] == 0 && head[2] == UNSIGNED_BYTE ? head[3] : 0;
      if (rank >= 1 && rank <= 4) {
        byte[] dims = in.readNBytes(4 * rank);
        digest.update(dims);
        ByteBuffer b = ByteBuffer.wrap(dims);
        promised = 1;
        for (int i = 0; i < dims.length / 4; i++) {
          promised = Math.min(Long.MAX_VALUE / 4096, promised * Math.max(0, b.getInt()));
        }
      }
      byte[] chunk = new byte[1 << 16];
      long read = 0;
      int n;
      while ((n = in.read(chunk)) > 0) {
        read += n;
        if (read > promised) {
          throw new DataException(String.format("%s: has trailing bytes: %s %,d data bytes, and the file holds more",
              file, rank >= 1 && rank <= 4 ? "its IDX header promises" : "no IDX header; read", promised));
        }
        digest.update(chunk, 0, n);
      }
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
    return java.util.HexFormat.of().formatHex(digest.digest());
  }

  /** Most data bytes one IDX file may hold: what one Java array holds. */
  static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

  /** The file as a stream, gunzipped when its name ends in .gz. */
  private static InputStream open(Path file) {
    try {
      InputStream raw = Files.newInputStream(file);
      if (file.getFileName().toString().endsWith(".gz")) {
        try {
          return new GZIPInputStream(raw, 1 << 16);
        } catch (IOException e) {
          raw.close();
          throw e;
        }
      }
      return new java.io.BufferedInputStream(raw, 1 << 16);
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
  }

  private static DataException cannotRead(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new DataException(file + ": file not found");
    }
    return new DataException(file + ": cannot read: " + e.getMessage(), e);
  }
}
