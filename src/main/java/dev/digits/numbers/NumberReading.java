package dev.digits.numbers;

import dev.digits.imaging.Box;
import dev.digits.predict.Prediction;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link NumberReader} read in an image of a number: its digits left to right.
 *
 * @param digits each digit found, left to right
 * @param skipped each piece of ink that is not part of a digit, and why (specks of dust aside)
 * @param imageWidth the width of the image as displayed (EXIF orientation applied), which the
 *     boxes refer to
 * @param imageHeight its height
 * @param otherReading what the other reader read when the two readers disagree (the line reader's
 *     reading when the segmenter's was kept, and the other way round), else null
 */
public record NumberReading(List<Digit> digits, List<Skipped> skipped, int imageWidth, int imageHeight,
    NumberReading otherReading) {
  /** Below this probability a reading is flagged unsure, and its runner-up reading given. */
  public static final float SURE = 0.9f;

  /** A reading that no other reader disputes. */
  public NumberReading(List<Digit> digits, List<Skipped> skipped, int imageWidth, int imageHeight) {
    this(digits, skipped, imageWidth, imageHeight, null);
  }

  /** A reading without skipped ink. */
  public NumberReading(List<Digit> digits, int imageWidth, int imageHeight) {
    this(digits, List.of(), imageWidth, imageHeight);
  }

  /** This reading, disputed by another reader's {@code other} (null: undisputed). */
  public NumberReading withOtherReading(NumberReading other) {
    return new NumberReading(digits, skipped, imageWidth, imageHeight, other);
  }

  /** This reading with {@code more} ink listed as skipped after its own (a page's words, ink in no line). */
  NumberReading withSkipped(List<Skipped> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Skipped> all = new java.util.ArrayList<>(skipped);
    all.addAll(more);
    return new NumberReading(digits, List.copyOf(all), imageWidth, imageHeight, otherReading);
  }

  /** A piece of ink that was not read as (part of) a digit: where it is, and why. */
  public record Skipped(Box box, String reason) {}

  /**
   * One digit of the number.
   *
   * @param prediction the model's reading of this part (its input is the 28x28 the part became)
   * @param box where the part lies in the image as displayed
   */
  public record Digit(Prediction prediction, Box box) {
    public int digit() {
      return prediction.digit();
    }

    public float probability() {
      return prediction.probability();
    }
  }

  /**
   * The reading as JSON-ready maps, the shape {@code Predict --number --json} and {@code POST
   * /v1/read} answer: {@code number}, {@code probability}, and per digit {@code digit},
   * {@code probability}, {@code box} [x, y, width, height] and the {@code top} k candidates.
   */
  public java.util.Map<String, Object> toMap(int top) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("number", number());
    m.put("probability", probability());
    List<Object> each = new java.util.ArrayList<>();
    for (Digit d : digits) {
      java.util.Map<String, Object> dm = new java.util.LinkedHashMap<>();
      dm.put("digit", d.digit());
      dm.put("probability", d.probability());
      dm.put("box", d.box().toArray());
      List<Object> candidates = new java.util.ArrayList<>();
      for (Prediction.Candidate c : d.prediction().top(top)) {
        java.util.Map<String, Object> cm = new java.util.LinkedHashMap<>();
        cm.put("digit", c.digit());
        cm.put("probability", c.probability());
        candidates.add(cm);
      }
      dm.put("top", candidates);
      each.add(dm);
    }
    m.put("digits", each);
    if (!skipped.isEmpty()) {
      List<Object> out = new java.util.ArrayList<>();
      for (Skipped k : skipped) {
        java.util.Map<String, Object> km = new java.util.LinkedHashMap<>();
        km.put("box", k.box().toArray());
        km.put("reason", k.reason());
        out.add(km);
      }
      m.put("skipped", out);
    }
    if (unsure()) {
      m.put("unsure", true);
      NumberReading second = runnerUp();
      if (second != null) {
        java.util.Map<String, Object> rm = new java.util.LinkedHashMap<>();
        rm.put("number", second.number());
        rm.put("probability", second.probability());
        rm.put("why", runnerUpWhy());
        m.put("runner_up", rm);
      }
    }
    return m;
  }

  /**
   * Whether the reading is less sure than {@link #SURE} as a whole, the two readers disagree, or a
   * 1 inside a long number may be a slash (a date's "12/06/2026" read "1210612026": {@link Slashes}).
   */
  public boolean unsure() {
    return probability() < SURE || otherReading != null || mayHoldSlashes();
  }

  /** Whether a 1 inside this long reading may be a slash ({@link Slashes}): the reading is then unsure. */
  public boolean mayHoldSlashes() {
    return !Slashes.among(digits).isEmpty();
  }

  /**
   * The next most likely reading: the other reader's when the readers disagree, else the reading
   * without the 1s that may be slashes, else the least sure digit read as its second candidate
   * instead (the other digits as they are), or null for a reading without digits.
   */
  public NumberReading runnerUp() {
    if (otherReading != null) {
      return otherReading;
    }
    List<Integer> slashes = Slashes.among(digits);
    if (!slashes.isEmpty()) {
      List<Digit> others = new java.util.ArrayList<>(digits);
      for (int i = slashes.size() - 1; i >= 0; i--) {
        others.remove((int) slashes.get(i));
      }
      return new NumberReading(List.copyOf(others), skipped, imageWidth, imageHeight);
    }
    int weakest = -1;
    for (int i = 0; i < digits.size(); i++) {
      if (weakest < 0 || digits.get(i).probability() < digits.get(weakest).probability()) {
        weakest = i;
      }
    }
    if (weakest < 0) {
      return null;
    }
    Prediction p = digits.get(weakest).prediction();
    Prediction.Candidate second = p.top(2).get(1);
    List<Digit> others = new java.util.ArrayList<>(digits);
    others.set(weakest, new Digit(new Prediction(second.digit(), p.probabilities(), p.input()), digits.get(weakest).box()));
    return new NumberReading(List.copyOf(others), skipped, imageWidth, imageHeight);
  }

  /** Why {@link #runnerUp()} is the runner-up, in a few words for a person. */
  public String runnerUpWhy() {
    if (otherReading != null) {
      return "the other reader's reading";
    }
    return mayHoldSlashes() ? "without the 1s that may be slashes (straight leaning strokes)"
        : "the least sure digit's second candidate";
  }

  /** The digits as a string, for example {@code "2025"}. */
  public String number() {
    return digits.stream().map(d -> Integer.toString(d.digit())).collect(Collectors.joining());
  }

  /**
   * How sure the reading is as a whole: the product of the digits' probabilities, which is the
   * chance that every digit is right if each one's probability is honest.
   */
  public float probability() {
    double p = 1;
    for (Digit d : digits) {
      p *= d.probability();
    }
    return (float) p;
  }
}
