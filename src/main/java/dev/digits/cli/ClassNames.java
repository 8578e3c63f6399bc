package dev.digits.cli;

import dev.digits.model.ModelContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** The names of a dataset's classes: {@code --classes a,b,...}, a {@code classes.txt} beside the data, or 0-9. */
final class ClassNames {
  static final String FILE = "classes.txt";

  private ClassNames() {}

  /**
   * The names, one per label of the data (labels 0..K-1).
   *
   * @throws UsageException when their number does not match the labels, or names repeat or are empty
   */
  static List<String> of(String option, Path dataPath, int classes) throws IOException {
    int k = classes;
    List<String> names = new ArrayList<>();
    String from;
    Path file = (Files.isDirectory(dataPath) ? dataPath : dataPath.toAbsolutePath().getParent()).resolve(FILE);
    if (option != null) {
      for (String n : option.split(",", -1)) {
        names.add(n.strip());
      }
      from = "--classes";
    } else if (Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          names.add(line.strip());
        }
      }
      from = file.toString();
    } else {
      return ModelContract.numberedClasses(k);
    }
    if (names.size() != k) {
      throw new UsageException(from + " names " + names.size() + " classes but the data has " + k + " (labels 0-"
          + (k - 1) + "): give one name per label, in label order");
    }
    if (names.stream().anyMatch(String::isEmpty) || new HashSet<>(names).size() != names.size()) {
      throw new UsageException(from + ": class names must be non-empty and different from each other, got " + names);
    }
    return names;
  }
}
