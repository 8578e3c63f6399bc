package dev.digits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {
  enum Colour { RED, DARK_BLUE }

  private static Args spec() {
    return new Args("test [OPTIONS] FILE...", "A test command.")
        .option("epochs", "N", "20", "passes")
        .option("lr", "RATE", "0.001", "rate")
        .option("colour", "NAME", "red", "a colour")
        .option("out", "DIR", null, "where")
        .flag("quiet", "say less")
        .positional("FILE...: the inputs");
  }

  @Test
  void valuesDefaultsSwitchesAndPositionals() {
    Args a = spec().parse(new String[] {"--epochs", "3", "--lr=0.5", "a.png", "--quiet", "--", "--not-a-flag"});
    assertEquals(3, a.getInt("epochs", 1, 100));
    assertEquals(0.5f, a.getFloat("lr", 0f, 1f));
    assertEquals(Colour.RED, a.getEnum("colour", Colour.class), "the default");
    assertEquals(null, a.get("out"));
    assertTrue(a.has("quiet"));
    assertFalse(a.has("out"));
    assertEquals(List.of("a.png", "--not-a-flag"), a.positionals(), "after --, everything is positional");
    assertEquals(Colour.DARK_BLUE, spec().parse(new String[] {"--colour", "dark_blue"}).getEnum("colour", Colour.class));
  }

  @Test
  void badInputNamesTheFlag() {
    assertEquals("unknown option --epoch", message("--epoch", "3"));
    assertEquals("--epochs needs a value (N)", message("--epochs"));
    assertEquals("--epochs needs a whole number, got 'many'", usage(() -> spec().parse(new String[] {"--epochs", "many"})
        .getInt("epochs", 1, 100)));
    assertEquals("--epochs must be between 1 and 100, got 0", usage(() -> spec().parse(new String[] {"--epochs", "0"})
        .getInt("epochs", 1, 100)));
    assertEquals("--lr needs a number, got 'fast'", usage(() -> spec().parse(new String[] {"--lr", "fast"})
        .getFloat("lr", 0f, 1f)));
    assertEquals("--lr must be between 0.0 and 1.0, got NaN", usage(() -> spec().parse(new String[] {"--lr", "NaN"})
        .getFloat("lr", 0f, 1f)));
    assertEquals("--colour must be one of red, dark_blue, got 'green'", usage(() -> spec()
        .parse(new String[] {"--colour", "green"}).getEnum("colour", Colour.class)));
    assertTrue(message("--quiet=yes").contains("quiet"), message("--quiet=yes"));
    Args noPositionals = new Args("x", "y");
    assertEquals("unexpected argument 'file.png'",
        usage(() -> noPositionals.parse(new String[] {"file.png"})));
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    String help = spec().help();
    assertTrue(help.startsWith("usage: test [OPTIONS] FILE...\n\nA test command.\n\nFILE...: the inputs\n"), help);
    assertTrue(help.contains("  --epochs N               passes (default: 20)\n"), help);
    assertTrue(help.contains("  --quiet                  say less\n"), help);
    assertTrue(help.contains("  --out DIR                where\n"), help);
    assertTrue(spec().parse(new String[] {"--help"}).helpRequested());
  }

  private static String message(String... argv) {
    return usage(() -> spec().parse(argv));
  }

  private static String usage(Runnable r) {
    return assertThrows(UsageException.class, r::run).getMessage();
  }
}
