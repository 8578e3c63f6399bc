package dev.digits.imaging;

/**
 * An image that cannot be classified: unreadable, unsupported, too large or too small, or with no
 * digit in it. The message says why in a few words, without the file name (callers add it).
 */
public class ImageException extends RuntimeException {
  private final boolean noDigit;

  public ImageException(String message) {
    this(message, null, false);
  }

  public ImageException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private ImageException(String message, Throwable cause, boolean noDigit) {
    super(message, cause);
    this.noDigit = noDigit;
  }

  /** A readable image in which no digit was found: the image is fine, its content is not a digit. */
  public static ImageException noDigit(String message) {
    return new ImageException(message, null, true);
  }

  /**
   * Whether the image was read and holds no digit (a server answers 422), as opposed to an image
   * that could not be read at all (400).
   */
  public boolean noDigit() {
    return noDigit;
  }
}
