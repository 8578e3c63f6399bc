package dev.digits.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.bench.NumberImages;
import dev.digits.imaging.Box;
import dev.digits.imaging.ImageException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The line reader (the bundled line model in the jar, read with CTC) and its judgement of the
 * segmenter: on the bundled digit model (saved-model/1) with numbers of MNIST test digits drawn
 * here, which neither model trained on.
 */
class LineReaderTest extends MnistNumbersFixture {
  /**
   * Overlapping digits are where cutting fails (the segmenter reads about half of such 4-digit
   * numbers exactly, the benchmark says): judged by the line reader, clearly more are read.
   */
  @Test
  void overlappingDigitsAreReadBetterWithTheLineReadersJudgement() {
    SplittableRandom rng = new SplittableRandom(31);
    List<NumberImages.Sample> samples = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      samples.add(sample(4, NumberImages.Spacing.OVERLAPPING, rng));
    }
    int segmenter = exact(new NumberReader(predictor).using(NumberReader.Readers.SEGMENTER), samples);
    int both = exact(new NumberReader(predictor), samples);
    assertTrue(both >= segmenter + 6, "judged " + both + "/40, segmenter alone " + segmenter);
    assertTrue(both >= 30, "judged " + both + "/40");
  }

  /** Digits apart are the segmenter's strength; the judgement must not cost them. */
  @Test
  void digitsApartReadAsWellAsByTheSegmenter() {
    SplittableRandom rng = new SplittableRandom(32);
    List<NumberImages.Sample> samples = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      samples.add(sample(3 + i % 4, NumberImages.Spacing.APART, rng));
    }
    int segmenter = exact(new NumberReader(predictor).using(NumberReader.Readers.SEGMENTER), samples);
    int both = exact(new NumberReader(predictor), samples);
    assertTrue(both >= segmenter - 1 && both >= 27, "judged " + both + "/30, segmenter " + segmenter);
  }

  /** How many of the samples the reader reads exactly. */
  private static int exact(NumberReader reader, List<NumberImages.Sample> samples) {
    int right = 0;
    for (NumberImages.Sample s : samples) {
      right += read(reader, s.image()).equals(s.number()) ? 1 : 0;
    }
    return right;
  }

  /**
   * Where the two readers disagree, whichever wins, the reading is flagged unsure and the other
   * reader's reading is its runner-up, in Java and in the JSON answer.
   */
  @Test
  void whenTheReadersDisagreeTheOtherReadingIsTheRunnerUp() {
    SplittableRandom rng = new SplittableRandom(34);
    NumberReader both = new NumberReader(predictor);
    int disputed = 0;
    for (int i = 0; i < 40; i++) {
      NumberImages.Sample s = sample(4, NumberImages.Spacing.OVERLAPPING, rng);
      NumberReading r = both.read(s.image());
      if (r.otherReading() == null) {
        continue;
      }
      disputed++;
      assertTrue(r.unsure(), r.number() + " disputed by " + r.otherReading().number());
      assertTrue(r.runnerUp() == r.otherReading());
      assertTrue(!r.number().equals(r.runnerUp().number()), r.number());
      java.util.Map<String, Object> json = r.toMap(3);
      assertEquals(Boolean.TRUE, json.get("unsure"));
      assertEquals(r.otherReading().number(), ((java.util.Map<?, ?>) json.get("runner_up")).get("number"));
    }
    assertTrue(disputed >= 3, "overlapping digits, where the readers often disagree: " + disputed + " of 40 disputed");
  }

  /** The line reader alone: its digits come with boxes around their own ink, left to right, inside the image. */
  @Test
  void theLineReadersDigitsHaveBoxesLeftToRight() {
    SplittableRandom rng = new SplittableRandom(33);
    NumberReader line = new NumberReader(predictor).using(NumberReader.Readers.LINE_READER);
    int checked = 0;
    for (int i = 0; i < 10; i++) {
      NumberImages.Sample s = sample(5, NumberImages.Spacing.TOUCHING, rng);
      NumberReading r = line.read(s.image());
      if (!r.number().equals(s.number())) {
        continue;
      }
      checked++;
      int previous = -1;
      for (NumberReading.Digit d : r.digits()) {
        Box b = d.box();
        assertTrue(b.x() > previous, "left to right: " + r.digits());
        assertTrue(b.x() >= 0 && b.x1() < s.image().getWidth() && b.y() >= 0 && b.y1() < s.image().getHeight(), "inside: " + b);
        assertTrue(b.height() > 30 && b.width() > 5 && b.width() < 80, "a digit's box (digits 60 px high): " + b);
        assertTrue(d.probability() > 0.5f, "the line reader's probability of the digit it read: " + d.probability());
        assertEquals(10, d.prediction().probabilities().length);
        previous = b.x();
      }
    }
    assertTrue(checked >= 7, "the line reader read " + checked + " of 10 five-digit numbers exactly");
  }

  private static String read(NumberReader reader, BufferedImage image) {
    try {
      return reader.read(image).number();
    } catch (ImageException e) {
      return "";
    }
  }

  private static NumberImages.Sample sample(int length, NumberImages.Spacing spacing, SplittableRandom rng) {
    return NumberImages.plainMnist(test, length, spacing, 60, rng);
  }

}
