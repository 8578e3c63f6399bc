package dev.digits.serve;

/** A request the server refuses: an HTTP status and a message for {@code {"error": ...}}. */
final class ApiException extends RuntimeException {
  final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }
}
