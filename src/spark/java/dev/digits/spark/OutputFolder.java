package dev.digits.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The output folder is checked before Spark starts: an existing one is refused unless
 * {@code --overwrite} asks for it, and even then only an earlier output of this job (Spark's part
 * files, {@code _SUCCESS} and the like) is replaced: a folder holding anything else is never deleted.
 */
final class OutputFolder {
  private OutputFolder() {}

  static void check(String output, boolean overwrite) throws IOException {
    Path dir = SparkPredict.localPath(output);
    if (dir == null || !Files.exists(dir)) {
      return; // another file system: Spark's own check refuses an existing folder unless --overwrite
    }
    if (!overwrite) {
      throw new IllegalArgumentException(output + " exists; pass --overwrite to replace an earlier output of"
          + " spark-predict, or name a new folder");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(output + " is a file, not an output folder; name a new folder");
    }
    try (Stream<Path> files = Files.list(dir)) {
      Optional<Path> foreign = files.filter(f -> !writtenBySpark(f.getFileName().toString())).findFirst();
      if (foreign.isPresent()) {
        throw new IllegalArgumentException(output + " holds " + foreign.get().getFileName() + ", which spark-predict"
            + " did not write; it is not replaced (move it away, or name a new folder)");
      }
    }
  }

  /** What Spark's writer leaves in an output folder: part files, _SUCCESS, its checksums and temporary folder. */
  private static boolean writtenBySpark(String name) {
    return name.startsWith("part-") || name.equals("_SUCCESS") || name.equals("_temporary")
        || name.startsWith(".part-") || name.equals("._SUCCESS.crc");
  }
}
