import dev.digits.cli.Cli;
import dev.digits.cli.TrainCommand;

/** {@code mvn -q compile exec:java -Dexec.mainClass=Train}: see {@link TrainCommand}. */
public final class Train {
  private Train() {}

  public static void main(String[] args) {
    Cli.main("train", TrainCommand::main, args);
  }
}
