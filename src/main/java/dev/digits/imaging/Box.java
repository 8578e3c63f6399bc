package dev.digits.imaging;

/**
 * A rectangle of pixels: its top-left corner and its size. The one box type of the project: the
 * ink of a digit, a candidate digit of a number, a digit's place in the image a user sent.
 */
public record Box(int x, int y, int width, int height) {
  /** The box from its corners, both inclusive. */
  public static Box corners(int x0, int y0, int x1, int y1) {
    return new Box(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  }

  /** The last column inside the box. */
  public int x1() {
    return x + width - 1;
  }

  /** The last row inside the box. */
  public int y1() {
    return y + height - 1;
  }

  /** The smallest box holding this one and the corners given. */
  public Box including(int x0, int y0, int x1, int y1) {
    return corners(Math.min(x, x0), Math.min(y, y0), Math.max(x1(), x1), Math.max(y1(), y1));
  }

  /** {@code [x, y, width, height]}, as the JSON answers give it. */
  public int[] toArray() {
    return new int[] {x, y, width, height};
  }
}
