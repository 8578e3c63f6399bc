package dev.digits.numbers;

/**
 * A piece of ink: the pixels of one component that lie, row by row, between two cut paths
 * ({@code left[row] <= x < right[row]}, rows counted from the component's top {@code top}); a
 * whole component has no paths (null).
 */
final class Piece {
  final int comp;
  final int top;
  final int[] left;
  final int[] right;
  int x0 = Integer.MAX_VALUE;
  int y0 = Integer.MAX_VALUE;
  int x1 = -1;
  int y1 = -1;
  int area;
  /** The width of the whole component the piece was cut from. */
  int compWidth;
  /** How many strokes the cut on this piece's left crosses (0 for an uncut left edge). */
  int strokesCut;
  /** The pieces cut from the same component just left and right of this one, or null. */
  Piece before;
  Piece after;

  Piece(int comp, int top, int[] left, int[] right) {
    this.comp = comp;
    this.top = top;
    this.left = left;
    this.right = right;
  }

  boolean holds(int x, int y) {
    return (left == null || x >= left[y - top]) && (right == null || x < right[y - top]);
  }

  int width() {
    return x1 - x0 + 1;
  }

  int height() {
    return y1 - y0 + 1;
  }

  double centre() {
    return (x0 + x1) / 2.0;
  }
}
