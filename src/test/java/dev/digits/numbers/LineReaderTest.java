package dev.digits.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.bench.NumberImages;
import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import dev.digits.imaging.Box;
import dev.digits.imaging.ImageException;
import dev.digits.predict.Predictor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The line reader (the bundled line model in the jar, read with CTC) and its judgement of the
 * segmenter: on the bundled digit model (saved-model/1) with numbers of MNIST test digits drawn
 * here, which neither model trained on.
 */
class LineReaderTest {
  static Predictor predictor;
  static MnistDataset test;

  @BeforeAll
  static void load() {
    predictor = Predictor.load(TestData.BUNDLED_MODEL);
    test = Mnist.load(Path.of("data"), s -> { }).test();
  }

  @AfterAll
  static void close() {
    predictor.close();
  }

  /**
   * Overlapping digits are where cutting fails (the segmenter reads about half of such 4-digit
   * numbers exactly, the benchmark says): judged by the line reader, clearly more are read.
   */
  @Test
  void overlappingDigitsAreReadBetterWithTheLineReadersJudgement() {
    SplittableRandom rng = new SplittableRandom(31);
    NumberReader segmenter = new NumberReader(predictor).using(NumberReader.Readers.SEGMENTER);
    NumberReader both = new NumberReader(predictor);
    int segmenterRight = 0;
    int bothRight = 0;
    int n = 40;
    for (int i = 0; i < n; i++) {
      NumberImages.Sample s = sample(4, NumberImages.Spacing.OVERLAPPING, rng);
      segmenterRight += read(segmenter, s.image()).equals(s.number()) ? 1 : 0;
      bothRight += read(both, s.image()).equals(s.number()) ? 1 : 0;
    }
    assertTrue(bothRight >= segmenterRight + 6, "judged " + bothRight + "/" + n + ", segmenter alone " + segmenterRight);
    assertTrue(bothRight >= 0.75 * n, "judged " + bothRight + "/" + n);
  }

  /** Digits apart are the segmenter's strength; the judgement must not cost them. */
  @Test
  void digitsApartReadAsWellAsByTheSegmenter() {
    SplittableRandom rng = new SplittableRandom(32);
    NumberReader segmenter = new NumberReader(predictor).using(NumberReader.Readers.SEGMENTER);
    NumberReader both = new NumberReader(predictor);
    int segmenterRight = 0;
    int bothRight = 0;
    for (int i = 0; i < 30; i++) {
      NumberImages.Sample s = sample(3 + i % 4, NumberImages.Spacing.APART, rng);
      segmenterRight += read(segmenter, s.image()).equals(s.number()) ? 1 : 0;
      bothRight += read(both, s.image()).equals(s.number()) ? 1 : 0;
    }
    assertTrue(bothRight >= segmenterRight - 1 && bothRight >= 27, "judged " + bothRight + "/30, segmenter " + segmenterRight);
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
    List<NumberImages.Glyph> glyphs = new ArrayList<>();
    StringBuilder number = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int index = rng.nextInt(test.count());
      glyphs.add(NumberImages.Glyph.fromMnist(test, index));
      number.append(test.label(index));
    }
    BufferedImage img = NumberImages.render(NumberImages.line(glyphs, 60, spacing, rng), NumberImages.Paper.DARK_ON_LIGHT,
        0, 0, rng);
    return new NumberImages.Sample(img, number.toString(), spacing, "mnist");
  }
}
