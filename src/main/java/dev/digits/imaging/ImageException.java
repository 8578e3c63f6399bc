package dev.digits.imaging;

/**
 * An image that cannot be classified: unreadable, unsupported, too large or too small, or with no
 * digit in it. The message says why in a few words, without the file name (callers add it).
 */
public class ImageException extends RuntimeException {
  public ImageException(String message) {
    super(message);
  }

  public ImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
