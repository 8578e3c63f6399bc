import dev.digits.cli.Cli;
import dev.digits.cli.FetchDataCommand;

/** {@code mvn -q compile exec:java -Dexec.mainClass=FetchData}: see {@link FetchDataCommand}. */
public final class FetchData {
  private FetchData() {}

  public static void main(String[] args) {
    Cli.main("fetch-data", FetchDataCommand::main, args);
  }
}
