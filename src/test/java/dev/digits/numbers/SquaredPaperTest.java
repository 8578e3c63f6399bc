package dev.digits.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.imaging.GrayImage;
import org.junit.jupiter.api.Test;

/** {@link DrawnLines#eraseUprightLines} on drawn ink: lines of squared paper, and strokes that are not. */
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
    assertTrue(DrawnLines.eraseUprightLines(g));
    assertEquals(0f, g.v[5 * 200 + 40], "the line above the stroke");
    assertEquals(0f, g.v[55 * 200 + 121], "the line below it");
    assertEquals(1f, g.v[30 * 200 + 40], "the stroke where it crosses the line");
    assertEquals(1f, g.v[30 * 200 + 80], "the stroke between the lines");
  }

  @Test
  void oneLineOrThickStrokesFromEdgeToEdgeAreNotThePapers() {
    GrayImage one = bars(2, 100);
    assertFalse(DrawnLines.eraseUprightLines(one), "a single line: a margin's rule, or a 1 cropped close");
    assertEquals(1f, one.v[30 * 200 + 100]);
    GrayImage ones = bars(12, 60, 120); // "11" cropped to its ink
    assertFalse(DrawnLines.eraseUprightLines(ones));
    assertEquals(1f, ones.v[30 * 200 + 65]);
  }
}
