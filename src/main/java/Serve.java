import dev.digits.cli.Cli;
import dev.digits.cli.ServeCommand;

/** {@code mvn -q compile exec:java -Dexec.mainClass=Serve}: see {@link ServeCommand}. */
public final class Serve {
  private Serve() {}

  public static void main(String[] args) {
    Cli.main("serve", ServeCommand::main, args);
  }
}
