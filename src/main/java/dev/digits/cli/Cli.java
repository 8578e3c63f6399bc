package dev.digits.cli;

import dev.digits.data.DataException;
import dev.digits.util.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Runs a command's {@code run(args)} and turns its outcome into an exit status: 0 ok, 1 failed,
 * 2 bad usage. Every failure is one line on stderr naming the problem; set DIGITS_DEBUG=1 to see
 * the stack trace as well.
 */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /** A command body; returns the exit status. */
  @FunctionalInterface
  public interface Command {
    int run(String[] args) throws Exception;
  }

  private Cli() {}

  /** Runs a command and exits the JVM with its status (for launchers' main methods). */
  public static void main(String name, Command command, String[] args) {
    int status = execute(name, command, args);
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  /** Runs a command and returns its status without exiting (for tests). */
  public static int execute(String name, Command command, String[] args) {
    try {
      return command.run(args);
    } catch (UsageException e) {
      System.err.println(name + ": " + Text.oneLine(e.getMessage()) + " (see --help)");
      return USAGE;
    } catch (DataException | IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
      fail(name, e.getMessage(), e);
    } catch (IOException e) {
      fail(name, "I/O error: " + e.getMessage(), e);
    } catch (TensorFlowException e) {
      fail(name, "TensorFlow: " + firstLine(e.getMessage()), e);
    } catch (OutOfMemoryError e) {
      fail(name, "out of memory; " + (name.equals("train") ? "try a smaller --batch-size or " : "")
          + "give Java more heap (tools/digits: DIGITS_JAVA_OPTS=-Xmx4g; Maven: MAVEN_OPTS=-Xmx4g)", e);
    } catch (Exception | Error e) {
      fail(name, "unexpected " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), e);
    }
    return FAILED;
  }

  private static void fail(String name, String message, Throwable e) {
    System.err.println(name + ": error: " + Text.oneLine(message));
    if (System.getenv("DIGITS_DEBUG") != null) {
      e.printStackTrace();
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
