package dev.digits.spark;

import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import dev.digits.numbers.NumberReader;
import dev.digits.numbers.NumberReading;
import dev.digits.predict.Prediction;
import dev.digits.predict.Predictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The work of one partition: rows of {@code (path, content)} in, one result row per file out. The
 * files go through exactly what {@code Predict} does to a file (the same decoder, preprocessing and
 * second look when unsure), a batch of them per inference call, on the executor's one model. A file
 * that cannot be read is a row with its {@code error}, never a failed task.
 */
final class ReadImages implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /**
   * Where the executors find the model: files shipped with the job ({@code shipped}: each file of the
   * SavedModel by its path in the folder, shipped under {@code prefix} + that path with '/' as "__":
   * Spark ships files, not folders, to a cluster), or a folder every executor sees
   * ({@code sharedPath}). {@code key} names the model (where the driver found it, and when it was
   * written), so that jobs after the first in a JVM use the model that JVM already holds.
   */
  record ModelSource(String prefix, List<String> shipped, String sharedPath, String key)
      implements java.io.Serializable {
    static String shippedName(String prefix, String relative) {
      return prefix + relative.replace("/", "__");
    }

    /** The SavedModel folder on this machine: shared, or put together from the shipped files. */
    Path dir() {
      if (sharedPath != null) {
        return Path.of(sharedPath);
      }
      try {
        Path dir = java.nio.file.Files.createTempDirectory("digits-spark-model-");
        for (String relative : shipped) {
          Path target = dir.resolve(relative);
          java.nio.file.Files.createDirectories(target.getParent());
          java.nio.file.Files.copy(Path.of(SparkFiles.get(shippedName(prefix, relative))), target);
        }
        return dir;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot put the shipped model together: " + e.getMessage(), e);
      }
    }
  }

  private final ModelSource model;
  private final boolean numbers;
  private final int batchSize;
  private final LongAccumulator done;
  private final LongAccumulator failed;

  /** {@code done} counts the files read and {@code failed} those that could not be: the driver's progress line. */
  ReadImages(ModelSource model, boolean numbers, int batchSize, LongAccumulator done, LongAccumulator failed) {
    this.model = model;
    this.numbers = numbers;
    this.batchSize = batchSize;
    this.done = done;
    this.failed = failed;
  }

  /** The rows written: the fields of {@code Predict --json}, one row per file. */
  static StructType schema(boolean numbers) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("file", DataTypes.StringType, false));
    if (numbers) {
      fields.add(DataTypes.createStructField("number", DataTypes.StringType, true));
      fields.add(DataTypes.createStructField("probability", DataTypes.FloatType, true));
      fields.add(DataTypes.createStructField("digits", DataTypes.createArrayType(DataTypes.createStructType(List.of(
          DataTypes.createStructField("digit", DataTypes.IntegerType, false),
          DataTypes.createStructField("probability", DataTypes.FloatType, false),
          DataTypes.createStructField("box", DataTypes.createArrayType(DataTypes.IntegerType, false), false))), false),
          true));
    } else {
      fields.add(DataTypes.createStructField("digit", DataTypes.IntegerType, true));
      fields.add(DataTypes.createStructField("probability", DataTypes.FloatType, true));
      fields.add(DataTypes.createStructField("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false),
          true));
    }
    fields.add(DataTypes.createStructField("error", DataTypes.StringType, true));
    return DataTypes.createStructType(fields);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> files) {
    Predictor predictor = ExecutorModel.get(model.key(), model::dir);
    return new Iterator<>() {
      private final List<Row> ready = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next == ready.size() && files.hasNext()) {
          ready.clear();
          next = 0;
          List<Row> batch = new ArrayList<>(batchSize);
          while (batch.size() < batchSize && files.hasNext()) {
            batch.add(files.next());
          }
          List<Row> results = numbers ? readNumbers(predictor, batch) : readDigits(predictor, batch);
          ready.addAll(results);
          done.add(batch.size());
          failed.add(results.stream().filter(r -> !r.isNullAt(r.size() - 1)).count());
        }
        return next < ready.size();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.get(next++);
      }
    };
  }

  /** A batch of files, each decoded and preprocessed, then read by one batched inference call. */
  private static List<Row> readDigits(Predictor predictor, List<Row> batch) {
    Row[] out = new Row[batch.size()];
    List<List<float[]>> inputs = new ArrayList<>();
    List<Integer> read = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      Row file = batch.get(i);
      try {
        inputs.add(DigitPreprocessor.variants(ImageDecoder.decode(file.getAs("content")), Set.of()));
        read.add(i);
      } catch (ImageException e) {
        out[i] = RowFactory.create(file(file), null, null, null, e.getMessage());
      } catch (RuntimeException | OutOfMemoryError e) {
        out[i] = RowFactory.create(file(file), null, null, null, unexpected(e));
      }
    }
    List<Prediction> predictions = inputs.isEmpty() ? List.of() : predictor.predictEach(inputs);
    for (int k = 0; k < read.size(); k++) {
      Prediction p = predictions.get(k);
      List<Float> probabilities = new ArrayList<>(p.probabilities().length);
      for (float v : p.probabilities()) {
        probabilities.add(v);
      }
      out[read.get(k)] = RowFactory.create(file(batch.get(read.get(k))), p.digit(), p.probability(), seq(probabilities),
          null);
    }
    return List.of(out);
  }

  /** Each file read as a whole number (the reader batches the candidate digits of a line itself). */
  private static List<Row> readNumbers(Predictor predictor, List<Row> batch) {
    NumberReader reader = new NumberReader(predictor);
    List<Row> out = new ArrayList<>(batch.size());
    for (Row file : batch) {
      try {
        NumberReading n = reader.read((byte[]) file.getAs("content"));
        List<Row> digits = new ArrayList<>();
        for (NumberReading.Digit d : n.digits()) {
          int[] box = d.box().toArray();
          digits.add(RowFactory.create(d.digit(), d.probability(), seq(List.of(box[0], box[1], box[2], box[3]))));
        }
        out.add(RowFactory.create(file(file), n.number(), n.probability(), seq(digits), null));
      } catch (ImageException e) {
        out.add(RowFactory.create(file(file), null, null, null, e.getMessage()));
      } catch (RuntimeException | OutOfMemoryError e) {
        out.add(RowFactory.create(file(file), null, null, null, unexpected(e)));
      }
    }
    return out;
  }

  /** A list as the Scala sequence a Row's array column holds. */
  private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
  }

  /** The file as Predict names it: a local file by its path, anything else by its URI. */
  static String file(Row row) {
    String path = row.getAs("path");
    return path.startsWith("file:") ? path.replaceFirst("^file:(//)?", "") : path;
  }

  private static String unexpected(Throwable e) {
    return e instanceof OutOfMemoryError ? "out of memory while decoding; give the executors more memory"
        : "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
