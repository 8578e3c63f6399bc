package dev.digits.data;

/** Missing, corrupt or mismatched data; the message names the file and what to do. */
public class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
