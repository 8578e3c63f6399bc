package dev.digits.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

import dev.digits.cli.Args;
import dev.digits.cli.Cli;
import dev.digits.cli.UsageException;
import dev.digits.export.ModelExporter;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageFiles;
import dev.digits.model.ModelContract;
import dev.digits.util.Text;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code tools/digits spark-predict INPUT OUTPUT}: reads every image under INPUT on Apache Spark
 * and writes one row per file. Embedded by default (Spark in local mode inside this process); the
 * same class runs on a cluster under {@code spark-submit}, which sets the master.
 *
 * <p>The way of the data: Spark's {@code binaryFile} source lists the files (a folder recursively,
 * or a glob) → image files only, as {@code Predict} collects them from folders → each partition
 * decoded, preprocessed and read in batches on its executor's one model ({@link ReadImages},
 * {@link ExecutorModel}) → parquet, JSON lines or CSV, as Spark writes them (part files and
 * {@code _SUCCESS}).
 */
public final class SparkPredict {
  /** Spark lists about this many bytes per file when it packs files into tasks: a few hundred small images a task. */
  private static final String OPEN_COST = "262144";

  private SparkPredict() {}

  static Args spec() {
    return new Args("tools/digits spark-predict [OPTIONS] INPUT OUTPUT\n"
        + "   or: spark-submit --class dev.digits.spark.SparkPredict --master URL --jars JARS"
        + " target/digit-recognizer-spark.jar [OPTIONS] INPUT OUTPUT",
        "Reads the digit (or, with --number, the whole number) in every image file under INPUT on Apache Spark, and\n"
            + "writes one row per file to OUTPUT: file, digit, probability, probabilities, or error for a file that\n"
            + "could not be read. Runs Spark inside this process (--master local[*]) unless spark-submit sets the master.")
        .positional("INPUT OUTPUT  a folder (searched recursively for image files), a file or a glob; the folder to write")
        .option("format", "F", "parquet", "parquet, json (JSON lines with the fields of Predict --json) or csv")
        .option("model", "DIR", "saved-model", "a SavedModel folder, or a folder of versions (the highest is used),"
            + " on this machine: shipped to the executors with the job")
        .option("shared-model", "DIR", null, "instead of --model: a SavedModel folder that every executor reads at this"
            + " path itself (shared storage mounted on every node); nothing is shipped")
        .flag("number", "read each image as a whole number: number, probability and digits (digit, probability, box)")
        .option("master", "URL", "local[*]", "Spark's master when not run by spark-submit: local[N], spark://HOST:PORT,"
            + " yarn, k8s://...")
        .option("batch-size", "N", "256", "images per inference call on an executor")
        .flag("overwrite", "replace OUTPUT if it is an earlier output of this job (a folder holding other files is"
            + " never replaced)");
  }

  public static void main(String[] argv) {
    Cli.main("spark-predict", SparkPredict::run, argv);
  }

  /** Runs the job; returns the exit status. */
  public static int run(String[] argv) throws Exception {
    Args args = spec().parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    Summary s = run(args, System.out, System.err);
    return s == null ? Cli.FAILED : Cli.OK;
  }

  /** What a run did: files read, of which could not be read, and the seconds from Spark's start. */
  record Summary(long files, long errors, double seconds, double jobSeconds) {}

  static Summary run(Args args, PrintStream out, PrintStream err) throws Exception {
    List<String> paths = args.positionals();
    if (paths.size() != 2) {
      throw new UsageException("expected INPUT and OUTPUT, got " + paths.size() + " argument" + (paths.size() == 1 ? "" : "s"));
    }
    String input = paths.get(0);
    String output = paths.get(1);
    String format = args.get("format").toLowerCase(Locale.ROOT);
    if (!List.of("parquet", "json", "csv").contains(format)) {
      throw new UsageException("--format must be parquet, json or csv, got '" + args.get("format") + "'");
    }
    boolean numbers = args.has("number");
    int batchSize = args.getInt("batch-size", 1, 4096);
    Path local = localPath(input);
    if (local != null && !Files.exists(local)) {
      throw new IllegalArgumentException("no such file or folder: " + input);
    }
    OutputFolder.check(output, args.has("overwrite"));
    Path shipped = args.get("shared-model") == null ? modelDir(Path.of(args.get("model"))) : null;

    long start = System.nanoTime();
    SparkSession spark = session(args.get("master"), args.has("master"));
    try {
      ReadImages.ModelSource model;
      if (shipped != null) {
        model = ship(spark, shipped);
      } else {
        model = new ReadImages.ModelSource(null, null, args.get("shared-model"), "shared:" + args.get("shared-model"));
      }
      Dataset<Row> files = listFiles(spark, input);
      // How many files, from the listing Spark already holds (no pass over the files for it).
      long total = java.util.Arrays.stream(files.inputFiles()).filter(f -> !filtered(input) || ImageFiles.looksLikeImage(f))
          .count();
      if (total == 0) {
        err.println("spark-predict: no image files in " + Text.oneLine(input) + "; writing an empty result");
      }
      LongAccumulator done = spark.sparkContext().longAccumulator("files read");
      LongAccumulator failed = spark.sparkContext().longAccumulator("files not read");
      // Files over the decoder's limit are error rows without their bytes ever being read.
      long limit = ImageDecoder.MAX_BYTES;
      Dataset<Row> read = files.filter(col("length").leq(limit)).select("path", "content")
          .mapPartitions(new ReadImages(model, numbers, batchSize, done, failed),
              Encoders.row(ReadImages.schema(numbers)));
      String tooLargeMessage = "file is larger than " + (limit >> 20) + " MB";
      Dataset<Row> tooLarge = files.filter(col("length").gt(limit)).select("path")
          .map((MapFunction<Row, Row>) r -> {
            done.add(1);
            failed.add(1);
            return RowFactory.create(ReadImages.file(r), null, null, null, tooLargeMessage);
          }, Encoders.row(ReadImages.schema(numbers)));
      Dataset<Row> rows = read.unionByName(tooLarge);
      if (format.equals("csv")) { // CSV holds no lists: they are written as JSON arrays
        rows = rows.withColumn(numbers ? "digits" : "probabilities", to_json(col(numbers ? "digits" : "probabilities")));
      }
      double jobStart = (System.nanoTime() - start) / 1e9;
      try (ProgressLine progress = ProgressLine.start(done, total, err)) {
        rows.write().format(format).mode(args.has("overwrite") ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
            .option("header", "true").option("escape", "\"").save(output); // CSV: quotes doubled, as RFC 4180
      }
      long errors = failed.value();
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "spark-predict: %,d files (%,d could not be read: see their error) in %.1f s, %,.0f"
              + " files/s after Spark's start; %s written to %s%n", total, errors, seconds,
          total / Math.max(1e-9, seconds - jobStart), format, Text.oneLine(output));
      return new Summary(total, errors, seconds, seconds - jobStart);
    } catch (Exception e) {
      // Scala throws AnalysisException (a checked exception to Java) without declaring it.
      if (e instanceof AnalysisException a) {
        throw new IllegalArgumentException(analysisMessage(a, input), a);
      }
      throw e;
    } finally {
      spark.stop();
    }
  }

  /** The Spark session: local mode inside this process, unless spark-submit (or --master) says otherwise. */
  static SparkSession session(String master, boolean masterGiven) {
    quietLogging();
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName("digits spark-predict");
    if (masterGiven || !conf.contains("spark.master")) {
      b.master(master);
    }
    setIfUnset(conf, b, "spark.sql.files.openCostInBytes", OPEN_COST);
    // Listing a few hundred folders is faster in the driver than as a job of a hundred tasks.
    setIfUnset(conf, b, "spark.sql.sources.parallelPartitionDiscovery.threshold", "10000");
    // Local files without Hadoop's checksum layer: no .crc file looked for beside every image, none
    // written beside every part file (files on HDFS and object stores are not affected).
    setIfUnset(conf, b, "spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    b.config("spark.ui.showConsoleProgress", "false"); // our own progress line says files and images/s
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /**
   * Spark's log lines at WARN and above, on stderr, from its start (its own default is INFO: some
   * forty lines before the first result). A log4j2 configuration the user gives is kept.
   */
  private static void quietLogging() {
    if (System.getProperty("log4j2.configurationFile") != null || System.getProperty("log4j.configurationFile") != null) {
      return;
    }
    var config = org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory.newConfigurationBuilder();
    config.add(config.newAppender("stderr", "Console").addAttribute("target", "SYSTEM_ERR")
        .add(config.newLayout("PatternLayout").addAttribute("pattern", "spark-predict: %p %c{1}: %m%n")));
    config.add(config.newRootLogger(org.apache.logging.log4j.Level.WARN).add(config.newAppenderRef("stderr")));
    // Warnings that say nothing to a user of this job: no native Hadoop library, a loopback address.
    config.add(config.newLogger("org.apache.hadoop.util.NativeCodeLoader", org.apache.logging.log4j.Level.ERROR));
    config.add(config.newLogger("org.apache.spark.util.Utils", org.apache.logging.log4j.Level.ERROR));
    org.apache.logging.log4j.core.config.Configurator.reconfigure(config.build());
  }

  private static void setIfUnset(SparkConf conf, SparkSession.Builder b, String key, String value) {
    if (!conf.contains(key)) {
      b.config(key, value);
    }
  }

  /** Whether the files under INPUT are filtered to image names: all but a single file named on its own. */
  private static boolean filtered(String input) {
    Path local = localPath(input);
    return local == null || !Files.isRegularFile(local);
  }

  /** The files under INPUT: Spark's binaryFile source, image files only when INPUT is not a single file. */
  private static Dataset<Row> listFiles(SparkSession spark, String input) {
    Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(input);
    if (!filtered(input)) {
      return files; // a file named on its own is read whatever its name, as Predict does
    }
    spark.udf().register("looks_like_image", (UDF1<String, Boolean>) ImageFiles::looksLikeImage, DataTypes.BooleanType);
    return files.filter(org.apache.spark.sql.functions.callUDF("looks_like_image", col("path")));
  }

  /** The SavedModel folder to ship: the folder itself, or the highest version in a base folder. */
  static Path modelDir(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve(ModelContract.SAVED_MODEL_FILE))) {
      return dir;
    }
    int version = Files.isDirectory(dir) ? ModelExporter.latestModel(dir) : 0;
    if (version <= 0) {
      throw new IllegalArgumentException("no SavedModel in " + dir.toAbsolutePath() + " (expected saved_model.pb"
          + " or numbered version folders); pass --model DIR, or --shared-model DIR for a path every executor sees");
    }
    return dir.resolve(Integer.toString(version));
  }

  /** Ships every file of a SavedModel folder with the job (Spark ships files to a cluster, not folders). */
  private static ReadImages.ModelSource ship(SparkSession spark, Path modelDir) throws IOException {
    String key = key(modelDir);
    String prefix = "digits-model-" + Integer.toHexString(key.hashCode()) + "-";
    List<String> relative;
    try (var files = Files.walk(modelDir)) {
      relative = files.filter(Files::isRegularFile).map(f -> modelDir.relativize(f).toString().replace('\\', '/'))
          .sorted().toList();
    }
    Path staging = Files.createTempDirectory("digits-ship-"); // Spark ships a file by its own name: copies, named
    staging.toFile().deleteOnExit();
    for (String r : relative) {
      Path copy = Files.copy(modelDir.resolve(r), staging.resolve(ReadImages.ModelSource.shippedName(prefix, r)));
      copy.toFile().deleteOnExit();
      spark.sparkContext().addFile(copy.toString());
    }
    return new ReadImages.ModelSource(prefix, relative, null, key);
  }

  /** A model's name across jobs: its folder, and when its graph was written (a version folder never changes). */
  private static String key(Path modelDir) throws IOException {
    Path graph = modelDir.resolve(ModelContract.SAVED_MODEL_FILE);
    return modelDir.toAbsolutePath().normalize() + "@" + Files.getLastModifiedTime(graph).toMillis() + "/" + Files.size(graph);
  }

  /** A local path for INPUT, or null for a URI of another file system or a glob. */
  static Path localPath(String input) {
    if (input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !input.startsWith("file:")) {
      return null;
    }
    if (input.contains("*") || input.contains("?") || input.contains("[") || input.contains("{")) {
      return null;
    }
    return Path.of(input.replaceFirst("^file:(//)?", ""));
  }

  private static String analysisMessage(AnalysisException e, String input) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("PATH_NOT_FOUND") || m.contains("Path does not exist")) {
      return "no such file or folder: " + input + " (a folder, a file or a glob that matches something)";
    }
    return "Spark: " + m.lines().findFirst().orElse(m);
  }
}
