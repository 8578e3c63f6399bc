import dev.digits.cli.Cli;
import dev.digits.cli.EvaluateCommand;

/** {@code mvn -q compile exec:java -Dexec.mainClass=Evaluate}: see {@link EvaluateCommand}. */
public final class Evaluate {
  private Evaluate() {}

  public static void main(String[] args) {
    Cli.main("evaluate", EvaluateCommand::main, args);
  }
}
