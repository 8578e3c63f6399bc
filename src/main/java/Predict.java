import dev.digits.cli.Cli;
import dev.digits.cli.PredictCommand;

/** {@code mvn -q exec:java -Dexec.mainClass=Predict -Dexec.args="FILE..."}: see {@link PredictCommand}. */
public final class Predict {
  private Predict() {}

  public static void main(String[] args) {
    Cli.main("predict", PredictCommand::main, args);
  }
}
