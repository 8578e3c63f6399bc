package dev.digits.bench;

import dev.digits.data.MnistDataset;
import dev.digits.model.ModelContract;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.tensorflow.SavedModelBundle;

/** Run in a child JVM by ModelExporterTest: prints a SavedModel's digit for each IDX image. */
public final class PrintPredictions {
  public static void main(String[] args) {
    MnistDataset data = MnistDataset.read(Path.of(args[1]), Path.of(args[2]));
    try (SavedModelBundle b = SavedModelBundle.load(args[0], ModelContract.SERVE_TAG)) {
      System.out.println(Arrays.stream(dev.digits.train.SessionEvaluator.predict(b.session(), data)).mapToObj(Integer::toString)
          .collect(Collectors.joining(",")));
    }
  }
}
