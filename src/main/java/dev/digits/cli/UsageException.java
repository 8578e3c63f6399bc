package dev.digits.cli;

/** The command line is wrong: exit status 2, with a hint to look at --help. */
public class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
