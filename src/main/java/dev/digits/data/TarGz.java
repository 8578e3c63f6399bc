package dev.digits.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Extracts chosen regular files from a .tgz (the format of an npm package). Only the ustar
 * features npm writes are needed: 512-byte headers, octal sizes, and the name prefix field.
 */
final class TarGz {
  private TarGz() {}

  /** The contents of the entries whose path is in {@code wanted}, keyed by that path. */
  static Map<String, byte[]> extract(Path archive, Set<String> wanted) throws IOException {
    Map<String, byte[]> found = new HashMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        String path = prefix.isEmpty() ? name : prefix + "/" + name;
        String octalSize = field(header, 124, 12).trim();
        long size = octalSize.isEmpty() ? 0 : Long.parseLong(octalSize, 8);
        long padded = (size + 511) / 512 * 512;
        char type = (char) header[156];
        if ((type == '0' || type == 0) && wanted.contains(path)) {
          if (size > Integer.MAX_VALUE - 8) {
            throw new IOException(path + " is too large");
          }
          byte[] data = in.readNBytes((int) size);
          if (data.length != size) {
            throw new IOException("archive truncated inside " + path);
          }
          found.put(path, data);
          in.skipNBytes(padded - size);
        } else {
          in.skipNBytes(padded);
        }
      }
    }
    return found;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }

  /** Gunzips bytes in memory. */
  static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(gz.length * 4);
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
