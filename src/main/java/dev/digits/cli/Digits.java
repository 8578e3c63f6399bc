package dev.digits.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one entry point of the packaged application ({@code tools/digits COMMAND [OPTIONS]}, or
 * {@code java -jar target/digit-recognizer.jar COMMAND ...}): hands over to the command named
 * first, with the rest of the arguments, exactly as {@code mvn exec:java -Dexec.mainClass=Train}
 * and the other launchers do.
 */
public final class Digits {
  /** What each command name runs, in the order --help lists them. */
  private static final Map<String, Cli.Command> COMMANDS = new LinkedHashMap<>();
  private static final Map<String, String> SUMMARIES = new LinkedHashMap<>();

  static {
    add("train", TrainCommand::main, "train the network on MNIST, evaluate it and export a SavedModel");
    add("predict", PredictCommand::main, "read the digit in image files or folders");
    add("evaluate", EvaluateCommand::main, "accuracy, confusion matrix and an HTML report on labelled data");
    add("serve", ServeCommand::main, "a TF-Serving-compatible REST server with a drawing page");
    add("fetch-data", FetchDataCommand::main, "fetch and verify the MNIST files");
    add("spark-predict", Digits::sparkPredict, "read every image under a folder on Apache Spark (embedded or a cluster)");
  }

  private Digits() {}

  private static void add(String name, Cli.Command command, String summary) {
    COMMANDS.put(name, command);
    SUMMARIES.put(name, summary);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the named command and returns its exit status (0 ok, 1 failed, 2 bad usage). */
  public static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      (args.length == 0 ? System.err : System.out).print(help());
      return args.length == 0 ? Cli.USAGE : Cli.OK;
    }
    Cli.Command command = COMMANDS.get(args[0]);
    if (command == null) {
      System.err.println("digits: no command '" + args[0] + "'; the commands are "
          + String.join(", ", COMMANDS.keySet()) + " (see --help)");
      return Cli.USAGE;
    }
    int status = Cli.execute(args[0], command, Arrays.copyOfRange(args, 1, args.length));
    System.out.flush();
    System.err.flush();
    return status;
  }

  /**
   * The Spark job is not in this jar (Spark stays out of the way of everyone who does not use it):
   * it runs when tools/digits puts target/digit-recognizer-spark.jar and Spark on the class path.
   */
  private static int sparkPredict(String[] args) throws Exception {
    Class<?> job;
    try {
      job = Class.forName("dev.digits.spark.SparkPredict");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("spark-predict needs Spark and the job's jar on the class path: run it as"
          + " tools/digits spark-predict, or submit target/digit-recognizer-spark.jar with spark-submit");
    }
    return (int) job.getMethod("run", String[].class).invoke(null, (Object) args);
  }

  static String help() {
    StringBuilder sb = new StringBuilder("usage: tools/digits COMMAND [OPTIONS]   (COMMAND --help for its options)\n\n");
    SUMMARIES.forEach((name, summary) -> sb.append(String.format("  %-12s %s%n", name, summary)));
    return sb.toString();
  }

  /**
   * The usage line of a command: how the packaged launcher runs it, and how Maven does. {@code
   * mainClass} is the default-package launcher's name.
   */
  static String usage(String name, String mainClass, String arguments) {
    return "tools/digits " + name + " " + arguments + "\n   or: mvn -q compile exec:java -Dexec.mainClass=" + mainClass
        + " -Dexec.args=\"" + arguments + "\"";
  }
}
