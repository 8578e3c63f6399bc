package dev.digits.bench;

import dev.digits.data.MnistDataset;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes datasets as IDX files, the format Train reads: for generated training sets and for tests. */
public final class IdxFiles {
  private IdxFiles() {}

  /** An IDX file with the given magic, dimensions and body. */
  public static byte[] idx(int magic, int[] dims, byte[] body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(body);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a dataset as {@code PREFIX-images-idx3-ubyte} and {@code PREFIX-labels-idx1-ubyte}; returns {images, labels}. */
  public static Path[] write(Path dir, String prefix, MnistDataset d) throws IOException {
    Path images = dir.resolve(prefix + "-images-idx3-ubyte");
    Path labels = dir.resolve(prefix + "-labels-idx1-ubyte");
    Files.write(images, idx(0x803, new int[] {d.count(), d.rows(), d.cols()}, d.pixels()));
    Files.write(labels, idx(0x801, new int[] {d.count()}, d.labels()));
    return new Path[] {images, labels};
  }
}
