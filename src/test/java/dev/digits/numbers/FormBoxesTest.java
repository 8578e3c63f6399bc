package dev.digits.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.bench.NumberImages;
import dev.digits.imaging.GrayImage;
import dev.digits.imaging.ImageException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A form's fields, a digit written in each box: {@link DrawnLines#eraseBoxWalls} on drawn ink, and
 * fields of MNIST test digits (data/, as {@code tools/fetch-data} fetches it) drawn in boxes by
 * {@link NumberImages#boxed}, read with the bundled model ({@link TestData#BUNDLED_MODEL}).
 */
class FormBoxesTest extends MnistNumbersFixture {
  /** 300x100 of no ink with level lines at rows 20 and 80 from x 20 to 280, and upright lines between them at {@code xs}. */
  private static GrayImage lines(int... xs) {
    return boxLines(300, 280, xs);
  }

  /** {@code width}x100 of no ink with level lines at rows 20 and 80 from x 20 to {@code end}, and upright lines at {@code xs}. */
  private static GrayImage boxLines(int width, int end, int... xs) {
    GrayImage g = new GrayImage(width, 100, new float[width * 100]);
    for (int x = 20; x <= end; x++) {
      g.v[20 * width + x] = 1f;
      g.v[80 * width + x] = 1f;
    }
    for (int x : xs) {
      for (int y = 20; y <= 80; y++) {
        g.v[y * width + x] = 1f;
      }
    }
    return g;
  }

  @Test
  void theWallsOfBoxesAreErasedAndTheDigitInABoxKeepsItsInk() {
    GrayImage g = lines(20, 85, 150, 215, 280);
    for (int y = 35; y < 65; y++) { // a stroke of a digit in the second box, 6 pixels wide
      for (int x = 110; x < 116; x++) {
        g.v[y * 300 + x] = 1f;
      }
    }
    assertTrue(DrawnLines.eraseBoxWalls(g));
    assertEquals(0f, g.v[50 * 300 + 85], "a wall");
    assertEquals(0f, g.v[20 * 300 + 100], "the boxes' top line");
    assertEquals(1f, g.v[50 * 300 + 112], "the digit's stroke");
  }

  @Test
  void aDigitsUprightStemInABoxIsNoWall() {
    // A 7's stem, upright and stopping two rows short of the boxes' lines, passed for a wall: it
    // was erased, and the bar left of the 7 dropped as a dash ("714023" read "14023").
    GrayImage g = lines(20, 85, 150, 215, 280);
    for (int y = 23; y <= 77; y++) {
      g.v[y * 300 + 117] = 1f;
      g.v[y * 300 + 118] = 1f;
    }
    assertTrue(DrawnLines.eraseBoxWalls(g));
    assertEquals(0f, g.v[50 * 300 + 85], "a wall");
    assertEquals(1f, g.v[50 * 300 + 117], "the digit's stem");
  }

  @Test
  void aShortRowOfBoxesLosesItsWallsWhereTheyCloseIt() {
    // Three boxes for a day and month beside longer fields: their lines run across a third of the
    // form, and the walls, left, were read as 1s ("418" read "41118").
    GrayImage boxes = boxLines(600, 200, 20, 80, 140, 200); // lines under half the width
    assertTrue(DrawnLines.eraseBoxWalls(boxes));
    assertEquals(0f, boxes.v[50 * 600 + 80], "a wall");
    assertEquals(0f, boxes.v[20 * 600 + 100], "the boxes' top line");
    // Strokes standing between two short lines, not at their ends, are no boxes' walls.
    GrayImage strokes = boxLines(600, 200, 50, 110, 170);
    assertFalse(DrawnLines.eraseBoxWalls(strokes));
    assertEquals(1f, strokes.v[50 * 600 + 110]);
  }

  @Test
  void twoUprightStrokesBetweenRulingsAreNoBoxes() {
    // "11" written from one ruled line to the next: two upright lines between two level ones.
    GrayImage g = lines(120, 180);
    assertFalse(DrawnLines.eraseBoxWalls(g));
    assertEquals(1f, g.v[50 * 300 + 120]);
  }

  @Test
  void fieldsAndFormsWrittenInBoxesAreReadWithoutTheirWalls() {
    // Each wall was read as a "1" between every two digits: "27176" read "12171117161", and a
    // form's fields, read as a page, no better (tools/benchmark numbers --parts boxes: 4% and 4%).
    SplittableRandom rng = new SplittableRandom(55);
    int fields = 0;
    int fieldsRead = 0;
    int lines = 0;
    int linesRead = 0;
    NumberReader reader = new NumberReader(predictor);
    for (int i = 0; i < 8; i++) {
      List<String> numbers = new ArrayList<>();
      List<List<NumberImages.Glyph>> rows = mnistRows(i % 2 == 0 ? 1 : 2, 4, 3, rng, numbers);
      java.awt.image.BufferedImage image = NumberImages.render(
          NumberImages.boxed(rows, 50 + rng.nextInt(30), 1 + rng.nextInt(2), 0.5f, rng).withBoxes(),
          NumberImages.Paper.DARK_ON_LIGHT, 0, 0, rng);
      if (rows.size() == 1) {
        fields++;
        fieldsRead += reader.read(image).number().equals(numbers.get(0)) ? 1 : 0;
      } else {
        lines += numbers.size();
        linesRead += linesRead(reader, image, numbers);
      }
    }
    assertTrue(fieldsRead >= fields - 1, fieldsRead + " of " + fields + " fields read");
    assertTrue(linesRead >= lines - 2, linesRead + " of " + lines + " lines of forms read");
  }

  @Test
  void aFormsDigitsWrittenSpacedOutWithoutBoxesAreNotTakenForWords() {
    // One digit to a box, the boxes left out: every digit stands a word's space from the next, and
    // each was judged alone as a word could be; a lone small 4, or a lone 1, was dropped as one
    // ("4100" read "00"; tools/benchmark numbers --parts boxes, forms without boxes: 81.7% of lines).
    SplittableRandom rng = new SplittableRandom(77);
    int lines = 0;
    int linesRead = 0;
    NumberReader reader = new NumberReader(predictor);
    for (int i = 0; i < 8; i++) {
      List<String> numbers = new ArrayList<>();
      List<List<NumberImages.Glyph>> rows = mnistRows(2 + rng.nextInt(2), 3, 5, rng, numbers);
      java.awt.image.BufferedImage image = NumberImages.render(
          NumberImages.boxed(rows, 50 + rng.nextInt(30), 1, 0.5f, rng).withoutBoxes(),
          NumberImages.Paper.DARK_ON_LIGHT, 0, 0, rng);
      lines += numbers.size();
      linesRead += linesRead(reader, image, numbers);
    }
    assertTrue(linesRead >= lines - 2, linesRead + " of " + lines + " lines of forms without boxes read");
  }

  /**
   * {@code count} rows of {@code shortest} to {@code shortest + spread - 1} MNIST test digits drawn
   * at random, each row's number added to {@code numbers}.
   */
  private List<List<NumberImages.Glyph>> mnistRows(int count, int shortest, int spread, SplittableRandom rng,
      List<String> numbers) {
    List<List<NumberImages.Glyph>> rows = new ArrayList<>();
    for (int r = count; r > 0; r--) {
      List<NumberImages.Glyph> row = new ArrayList<>();
      StringBuilder number = new StringBuilder();
      for (int k = shortest + rng.nextInt(spread); k > 0; k--) {
        int index = rng.nextInt(test.count());
        row.add(NumberImages.Glyph.fromMnist(test, index));
        number.append(test.label(index));
      }
      rows.add(row);
      numbers.add(number.toString());
    }
    return rows;
  }

  /** How many of a form's lines, read as a page, read {@code numbers} in their places (none when lines are missed). */
  private static int linesRead(NumberReader reader, java.awt.image.BufferedImage image, List<String> numbers) {
    int right = 0;
    try {
      List<PageLine> read = reader.readPage(image);
      for (int l = 0; l < read.size() && read.size() == numbers.size(); l++) {
        right += read.get(l).reading().number().equals(numbers.get(l)) ? 1 : 0;
      }
    } catch (ImageException e) {
      // nothing read: every line missed
    }
    return right;
  }
}
