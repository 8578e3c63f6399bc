package dev.digits.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.imaging.GrayImage;
import org.junit.jupiter.api.Test;

/**
 * {@link DrawnLines#eraseUprightLines} and {@link DrawnLines#eraseLevelLines} on drawn ink: lines of
 * squared paper, strokes that are not, and strokes written along its lines.
 */
class SquaredPaperTest {
  /** 200x60 of no ink, with bars of ink 1 from the top edge to the bottom edge at {@code xs}, {@code width} wide. */
  private static GrayImage bars(int width, int... xs) {
    GrayImage g = new GrayImage(200, 60, new float[200 * 60]);
    for (int x0 : xs) {
      for (int y = 0; y < 60; y++) {
        for (int x = x0; x < x0 + width; x++) {
          g.v[y * 200 + x] = 1f;
        }
      }
    }
    return g;
  }

  @Test
  void thinLinesFromEdgeToEdgeAreErasedAndAStrokeCrossingThemKeepsItsInk() {
    GrayImage g = bars(2, 40, 120);
    for (int x = 20; x < 180; x++) { // a level stroke of writing, 10 rows thick, across both lines
      for (int y = 25; y < 35; y++) {
        g.v[y * 200 + x] = 1f;
      }
    }
    assertTrue(DrawnLines.eraseUprightLines(g, null));
    assertEquals(0f, g.v[5 * 200 + 40], "the line above the stroke");
    assertEquals(0f, g.v[55 * 200 + 121], "the line below it");
    assertEquals(1f, g.v[30 * 200 + 40], "the stroke where it crosses the line");
    assertEquals(1f, g.v[30 * 200 + 80], "the stroke between the lines");
  }

  @Test
  void oneLineOrThickStrokesFromEdgeToEdgeAreNotThePapers() {
    GrayImage one = bars(2, 100);
    assertFalse(DrawnLines.eraseUprightLines(one, null), "a single line: a margin's rule, or a 1 cropped close");
    assertEquals(1f, one.v[30 * 200 + 100]);
    GrayImage ones = bars(12, 60, 120); // "11" cropped to its ink
    assertFalse(DrawnLines.eraseUprightLines(ones, null));
    assertEquals(1f, ones.v[30 * 200 + 65]);
  }

  private static final int W = 120;
  private static final int H = 60;

  /**
   * Squared paper's grid (upright lines at x = 20, 60, 100; level lines at y = 10, 50), a pixel
   * wide, as scaled ink 1 and written darkness 50; and two strokes of a pen written along two of
   * its lines, as scaled ink 1 too (scaling makes the grid's pixels and the pen's alike) but
   * darkness 200: down x = 60 from y = 20 to 40, and along y = 50 from x = 30 to 50.
   */
  private static GrayImage[] squaredPaperWithStrokesAlongItsLines() {
    GrayImage ink = new GrayImage(W, H);
    GrayImage dark = new GrayImage(W, H);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        if (x == 20 || x == 60 || x == 100 || y == 10 || y == 50) {
          ink.v[y * W + x] = 1f;
          dark.v[y * W + x] = 50f;
        }
      }
    }
    for (int y = 20; y <= 40; y++) {
      dark.v[y * W + 60] = 200f;
    }
    for (int x = 30; x <= 50; x++) {
      dark.v[50 * W + x] = 200f;
    }
    return new GrayImage[] {ink, dark};
  }

  private static int inkLeft(GrayImage ink, boolean onStrokes) {
    int n = 0;
    for (int i = 0; i < ink.v.length; i++) {
      int x = i % W;
      int y = i / W;
      boolean stroke = x == 60 && y >= 20 && y <= 40 || y == 50 && x >= 30 && x <= 50;
      n += stroke == onStrokes && ink.v[i] > 0 ? 1 : 0;
    }
    return n;
  }

  @Test
  void theGridIsErasedAndWritingAlongItsLinesIsKept() {
    GrayImage[] paper = squaredPaperWithStrokesAlongItsLines();
    GrayImage ink = paper[0];
    assertTrue(DrawnLines.eraseUprightLines(ink, paper[1]), "three upright lines: squared paper");
    DrawnLines.eraseLevelLines(ink, paper[1]);
    assertEquals(0, inkLeft(ink, false), "every pixel of the grid erased");
    assertEquals(21 + 21, inkLeft(ink, true), "every pixel of both strokes kept");
  }

  @Test
  void withoutTheDarknessAsWrittenTheStrokesGoWithTheLines() {
    // What the reader did before it kept the darkness as written: a 9's stem on an upright line
    // went with it, and a loop lying on a level line opened (a 9 read as a 5).
    GrayImage ink = squaredPaperWithStrokesAlongItsLines()[0];
    assertTrue(DrawnLines.eraseUprightLines(ink, null));
    DrawnLines.eraseLevelLines(ink, null);
    assertEquals(0, inkLeft(ink, true), "the strokes erased with the grid");
  }

  @Test
  void aLineOfTheGridBrokenAtTheEdgeIsErasedWhereThePitchPutsItAndAPensStrokeThereIsKept() {
    // Upright lines at x = 40 and 80, whole; the next one, at 120, shows only in its lower half
    // (a photo cut near it, or fainter there): too broken to be found as a whole line, it was
    // read as a "1". At x = 0, where the pitch puts a line too, a pen's stroke, darker than the grid.
    int w = 140;
    GrayImage ink = new GrayImage(w, H);
    GrayImage dark = new GrayImage(w, H);
    for (int y = 0; y < H; y++) {
      for (int x : new int[] {40, 80}) {
        ink.v[y * w + x] = 1f;
        dark.v[y * w + x] = 50f;
      }
      if (y >= 30) {
        ink.v[y * w + 120] = 1f;
        dark.v[y * w + 120] = 50f;
      }
      if (y >= 10 && y < 50) {
        ink.v[y * w] = 1f;
        dark.v[y * w] = 200f;
      }
    }
    assertTrue(DrawnLines.eraseUprightLines(ink, dark));
    int broken = 0;
    int stroke = 0;
    for (int y = 0; y < H; y++) {
      broken += ink.v[y * w + 120] > 0 ? 1 : 0;
      stroke += ink.v[y * w] > 0 ? 1 : 0;
    }
    assertEquals(0, broken, "what was left of the broken line");
    assertEquals(40, stroke, "the pen's stroke where the pitch puts a line");
  }

  @Test
  void aStrokeAlongALineInAPenAsDarkAsTheGridKeepsWhatStandsBesideTheLine() {
    // Lines two pixels wide at x = 20, 60 and 100; a pencil stroke four pixels wide down the line
    // at 60 (x = 58-61, y = 20-40), as dark as the grid, so its darkness cannot tell it: all of it
    // went with the line, and an 8 lost its left side ("8049" read "3049").
    GrayImage ink = new GrayImage(W, H);
    GrayImage dark = new GrayImage(W, H);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean line = x == 20 || x == 21 || x == 60 || x == 61 || x == 100 || x == 101;
        boolean stroke = x >= 58 && x <= 61 && y >= 20 && y <= 40;
        if (line || stroke) {
          ink.v[y * W + x] = 1f;
          dark.v[y * W + x] = 50f;
        }
      }
    }
    assertTrue(DrawnLines.eraseUprightLines(ink, dark));
    int beside = 0;
    int lines = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean stroke = x >= 58 && x <= 59 && y >= 20 && y <= 40;
        beside += stroke && ink.v[y * W + x] > 0 ? 1 : 0;
        lines += !stroke && ink.v[y * W + x] > 0 ? 1 : 0;
      }
    }
    assertEquals(2 * 21, beside, "the stroke's ink beside the line");
    assertEquals(0, lines, "every pixel of the lines");
  }
}
