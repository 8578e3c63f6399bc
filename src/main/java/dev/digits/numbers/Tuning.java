package dev.digits.numbers;

/**
 * The number reader's tuning constants in one place. Sizes are relative to the line height H (the
 * median height of the line's large pieces), so the same rules work for a 28-pixel strip and a
 * 4000-pixel photo; costs are log-probabilities added to the classifier's.
 */
final class Tuning {
  private Tuning() {}

  /** The lowest ink level that counts when each digit's own contrast is found. */
  static final float FAINT = 0.15f;

  /** A faint piece is given a stroke's contrast only if it reaches this somewhere (else it may be shading). */
  static final float STROKE = 0.35f;

  /**
   * A fainter piece that reaches this is asked of the one-digit model: a digit written with a much
   * fainter pen than its neighbours is one digit, shading is none. Measured (tools/benchmark
   * numbers --parts mixed): a digit at 30% of its neighbours' ink was kept in 6 of 20 numbers
   * before, 19 of 20 with every such piece kept, which also read two more photos wrong. At 0.2
   * (until the thirteenth pass), a digit at 18% of its neighbours' ink was lost in 4 of 5 numbers.
   */
  static final float FAINT_DIGIT = 0.15f;

  /**
   * Such a piece is kept as a digit only if the one-digit model is this sure that it is one (its
   * "none" under this): faint digits score 0.01-0.04, the shading of a photographed page 0.38.
   */
  static final float FAINT_DIGIT_DOUBT = 0.2f;

  /**
   * Faint pieces whose boxes stand this close (of the line's tallest piece with a stroke's
   * contrast) are judged together as well as alone: the bits of one faint stroke (a pencilled "3"
   * in four bits 11-12% of a digit's height apart). A group lower than {@link #FAINT_GROUP_HEIGHT}
   * of that piece is no digit, not asked; bits within {@link #FAINT_EDGE} of it from the image's
   * edge join no group.
   */
  static final double FAINT_JOIN = 0.25;
  static final double FAINT_GROUP_HEIGHT = 0.3;
  static final double FAINT_EDGE = 0.1;

  /**
   * A piece whose ink peaks between {@link #STROKE} and this is given its own contrast unasked,
   * and may join a group of fainter bits (the stretch of a pencil stroke pressed harder).
   */
  static final float FAINT_ANCHOR = 0.5f;

  /**
   * A faint group as tall as this (of the bold pieces beside it) stands where a digit stands, and
   * is left faint only if the one-digit model is {@link #FAINT_TALL_DOUBT} sure it is no digit:
   * that model doubts a lone faint "1" or "3" (0.2-0.6) that the digit model reads at once.
   */
  static final double FAINT_TALL = 0.6;
  static final float FAINT_TALL_DOUBT = 0.7f;

  /**
   * A group of more bits than this is held to {@link #FAINT_DIGIT_DOUBT} however tall: a cloud of
   * specks (the grain of a faint word in a shadow, 45 bits) was one digit to the one-digit model
   * at 0.27. A faint digit is 2-6 bits on clean paper, 17-24 in a shadow's grain, more in a
   * photo's (asked bit by bit instead, a digit at 18% of its neighbours' ink on photographed
   * paper was read in 14 numbers of 40; held to 20% together, 28; unbounded, 32).
   */
  static final int FAINT_GROUP_BITS = 24;

  /** The longer side the ink is found at: plenty for a line of digits, and fast. */
  static final int WORK_SIDE = 800;

  /** A line of more pieces than this is not a number (a page of text, a texture). */
  static final int MAX_PIECES = 120;
  /**
   * A page of more digit-sized pieces than this is not a list of numbers (a page of text, a
   * texture): about 30 lines of 20 digits. Each piece costs about 4 ms to read on one core, so this
   * also bounds what one image can hold a server's core for (a 1600-pixel page of 53 lines of
   * small digits took 16 s).
   */
  static final int MAX_PAGE_PIECES = 600;

  // All relative to the line height H.
  /** At most this many pieces (of {@link #CUT_STEP} or more) make one digit. */
  static final int MAX_PIECES_PER_DIGIT = 14;
  /** Where cuts through a wide piece start: every this many line heights. */
  static final double CUT_STEP = 0.12;
  /** A piece wider than this may be digits that touch, and is offered cut. */
  static final double SPLIT_WIDTH = 0.95;
  /**
   * A piece narrower than that but wider than this may still be two digits that touch (a "1"
   * against its neighbour is as wide as one digit), and is offered cut when the one-digit model
   * doubts that it is one digit.
   */
  static final double MAY_BE_TWO_WIDTH = 0.55;
  /** A group of pieces wider than this is not read as one digit. */
  static final double MAX_DIGIT_WIDTH = 1.6;
  /** Pieces further apart than this are never one digit. */
  static final double MAX_GAP = 0.3;
  /** A piece under this size (both sides) away from any digit is a speck or a dot. */
  static final double DOT = 0.35;
  /**
   * A small piece beside the digits (smaller than {@link #DOT}) is shown to the one-digit model
   * when it is at least this high (in line heights) and a stroke rather than a blot or a full stop
   * (inked over less than {@link #SMALL_DIGIT_FILL} of its box, or at least
   * {@link #SMALL_DIGIT_UPRIGHT} times as high as wide, like a 1), and kept as a digit written small when the
   * model's doubt that it is one digit is under {@link #SMALL_DIGIT_DOUBT}.
   */
  static final double SMALL_DIGIT = 0.2;
  static final double SMALL_DIGIT_FILL = 0.5;
  static final double SMALL_DIGIT_UPRIGHT = 1.8;
  static final float SMALL_DIGIT_DOUBT = 0.2f;
  /** Separate pieces grouped wider than this are penalized, by this much per line height. */
  static final double WIDE = 1.0;
  static final double WIDE_COST = 8;
  /** A horizontal run of ink longer than this is a line, not part of a digit. */
  static final double LONG_LINE = 2.5;
  /** The steepest slope (rows per column, about 5 degrees) along which a long line is looked for. */
  static final double LONG_LINE_SLOPE = 0.09;
  /** The step between slopes tried: a run of 2.5 digit heights drifts less than a pixel from one. */
  static final double LONG_LINE_SLOPE_STEP = 0.006;
  /** A sloped run is a thin line where there is paper this many pixels above or below it. */
  static final int THIN_LINE = 3;

  /**
   * How much the one-digit model's log-probability counts beside the classifier's. Measured
   * ({@code tools/benchmark numbers --parts four,real,fonts --per-cell 50 --seed 0}), 4 touching
   * MNIST digits: 87.0% at 1, 89.0% at 1.5 and at 2; real hand-made and fonts the same at all three
   * (before narrower pieces were offered cut).
   */
  static final double ONE_DIGIT_WEIGHT = 1.5;

  /** Pixels of two small pieces at most this far apart (in both directions) join them. */
  static final int MIN_FRAGMENT_GAP = 2;
  /**
   * ... and at most this far apart (in line heights; {@link #MAX_FRAGMENT_GAP} pixels at most)
   * when what they join is no larger than a digit ({@link #MAX_DIGIT_WIDTH} wide,
   * {@link #FRAGMENT_GROUP_HEIGHT} high). A light hairline "3" beside bold digits came out as a
   * dozen dots 3-5 pixels apart in a 36-pixel line; joined only 2 pixels apart they stayed dots
   * and the digit was dropped. Measured (tools/benchmark numbers --parts real): 92.5% at 2 pixels,
   * 94.0% at 0.1 line heights, 94.5% at 0.15 and 0.2 on seed 0 (94.0% at 0.15 with the limits);
   * 93.5% at 2 pixels and at 0.15 on seed 1; the other parts as before. Without the limits, the specks of a noisy photo
   * (a tenth of its pixels) joined into blobs read as "0"s beside its one digit, and a 700-pixel
   * line looked 100 pixels around each speck (2.5 times the time).
   */
  static final double FRAGMENT_GAP = 0.15;
  static final int MAX_FRAGMENT_GAP = 6;
  static final double FRAGMENT_GROUP_HEIGHT = 1.2;
  /** The hairline "3" lay in 12 dots; a group of many more is specks. */
  static final int MAX_FRAGMENTS = 30;

  /** What each stroke beyond the first that a cut goes through costs (log-probability). */
  static final double STROKE_CUT_COST = 2.5;

  /** The width (line heights) at which a piece is as likely one digit as two, and how fast that changes. */
  static final double ONE_DIGIT_WIDTH = 1.3;

  static final double ONE_DIGIT_SPREAD = 0.12;

  /**
   * Tall: at least this share of the line height. Apart: at least this much daylight (line heights).
   * The cost is a log-probability. Measured (tools/benchmark numbers): real hand-made numbers 85.0%
   * -> 87.0% exact, handwriting fonts 86.5% -> 89.0%, MNIST numbers unchanged; 0.04-0.08 apart,
   * 0.5-0.6 tall and a cost of 3-5 all measured the same.
   */
  static final double TALL = 0.6;

  static final double APART = 0.08;

  static final double SIDE_BY_SIDE_COST = 3;

  // Pages: the lines of a sheet, found from its pieces of ink (PageReader); heights are shares of a digit's.
  /** A piece of less than this share of the page's largest is a speck of dust or paper grain. */
  static final double PAGE_SPECK = 0.01;
  /** A piece at least this high is digit-sized: the lines are found from these; smaller ones join the nearest. */
  static final double PAGE_CORE = 0.5;
  /** A page turned by at least this (degrees) has each line turned level before it is read. */
  static final double PAGE_LEVEL = 0.5;
  /** The most a page may be turned (degrees) for its lines to be followed along their slope. */
  static final double PAGE_MAX_SKEW = 6;
  /** A digit-sized piece that reaches less than this share of its height into every line's band starts another line. */
  static final double PAGE_LINE_OVERLAP = 0.4;
  /**
   * Digit-sized pieces of a line further apart than this stand a word's space apart: each group is
   * read alone first, to tell a word beside the number ("No. 17") from digits.
   */
  static final double PAGE_WORD_GAP = 0.6;

  /**
   * A line whose median blank between strokes is at least this (in digit heights) is written
   * spaced out, as a form's digits are, one to a box (with the boxes left out, or not found): each
   * digit stands a word's space from the next, and was judged alone, as a word could be; a lone
   * small 4 was taken for small letters and a lone 1 or 7, cut out by its box, for no digit by the
   * one-digit model ("4100" read "00"). In such a line a single stroke by itself is a digit, not
   * judged; a word of several letters still is. The median is 0.18-0.42 in 95% of the benchmark's
   * pages' lines (at most 0.53) and 0.42-0.97 in its forms' (seed 0).
   */
  static final double PAGE_SPACED_OUT = 0.5;

  /** A piece lower than this is flat (a dot, a dash, a fragment of a ruled line): it neither bridges a space nor is a letter. */
  static final double PAGE_STROKE = 0.25;
  /** A column of ink that starts lower than this below the top of a line's digits is a small letter's. */
  static final double PAGE_LOW = 0.35;
  /**
   * A group of a line with at least this share of low columns is written in small letters: a word.
   * Page lines read exactly (tools/benchmark numbers --parts pages, seeds 0 / 1 / 2): 94.0 / 92.6 /
   * 96.3% at 0.5, 95.3 / 93.1 / 96.1% at 0.6, 94.5 / 92.1 / 95.8% at 0.7.
   */
  static final double PAGE_WORD_LOW = 0.6;
  /**
   * A group of a page's line whose digits, read alone, the one-digit model finds on average at
   * least this likely not to be one digit each is a word. Typed alone in the faces of data/fonts:
   * 77% of words and none of 175 numbers at 0.7 (0.6: 87% and 1; 0.5: 91% and 3). Page lines read
   * exactly (tools/benchmark numbers --parts pages, seeds 0 / 1 / 2): 91.5 / 91.0 / 93.5% without,
   * 91.5 / 90.5 / 94.5% at 0.5, 92.5 / 91.0 / 94.5% at 0.6, 92.8 / 91.0 / 94.5% at 0.7.
   */
  static final double PAGE_WORD_NOT_DIGITS = 0.7;
  /**
   * A group of a page's line whose digits the one-digit model finds on average less likely than
   * this not to be one digit each is digits even where the two readers differ by more than a
   * digit (a faint 0 one of them lost, a 1 the other spelt twice). Page lines read exactly
   * (tools/benchmark numbers --parts pages, seeds 0 / 1 / 2 / 3): 93.3 / 91.0 / 94.5 / 93.9%
   * without, the same but 91.4% on seed 1 at 0.15, 93.3 / 91.7 / 94.5 / 94.4% at 0.3; seeds 4
   * and 5, kept to check: 91.6 / 93.9% with and without.
   */
  static final double PAGE_SURE_DIGITS = 0.3;
  /** How much of the blank space around a line is cut out with it. */
  static final double PAGE_MARGIN = 0.25;

  /**
   * How much more likely (natural log of the ratio of CTC probabilities) the line reader's reading
   * must be to replace the segmenter's ({@link WholeLine}). High: the segmenter's classifier reads
   * real people's digits better than the line reader (97.7% against 96.0% per digit on the
   * benchmark's real part), so the line reader overrides it only where it is far surer: where
   * digits overlap or touch and cutting them spoiled the segmenter's crops. A reading of another
   * length once needed e⁸; most of what it kept out were 1s spelt twice, which
   * {@link WholeLine#spellsAOneTwice} now keeps out, and e⁵ lets in more digits the segmenter
   * lost in a neighbour. Chosen on {@code tools/benchmark numbers --seed 0}, checked on
   * {@code --seed 1} (docs/NUMBERS.md).
   */
  static final double LINE_READER_MARGIN = 5;

  /** How far a line of squared paper may lean, in columns per row (about 5 degrees either way). */
  static final double UPRIGHT_LINE_TILT = 0.09;

  /** How far from where the grid's pitch puts it a line of squared paper the first search missed may lie, as a share of the pitch. */
  static final double GRID_PLAY = 0.08;

  /** The least share of the rows such a line must be inked in to be erased. */
  static final double GRID_SEEN = 0.2;

  /** The least ink (of the writing's 1) a line of squared paper is followed by. */
  static final float UPRIGHT_LINE_SEEN = 0.08f;

  /** How many pixels either side of its middle a row of a line of squared paper may reach to be erased. */
  static final int UPRIGHT_LINE_WIDTH = 3;

  /**
   * A pixel on a line of squared paper darker than this many times the line's own darkness (its
   * median, as written) is writing along the line, kept when the line is erased.
   */
  static final float ALONG_A_LINE = 1.6f;

  /** The most rows on end a line of squared paper may show no ink (6% of the image's shorter side, if more). */
  static final int UPRIGHT_LINE_GAP = 4;

  /** A level line of boxes drawn for digits (a form's) runs across at least this share of the image. */
  static final double BOX_LINE = 0.5;

  /**
   * ... or, where a wall closes each end of both lines and the walls stand evenly, at least this
   * share: on a form a short field (three or four boxes) stands beside longer ones, and its walls,
   * left, were read as 1s ("418" read "41118") or made its digits a word beside the number.
   */
  static final double BOX_ROW = 0.2;

  /** A short row's boxes are from 1/this to this many times as wide as high. */
  static final double BOX_SHAPE = 2.0;

  /** A short row's walls stand the same distance apart, give or take this share of it. */
  static final double BOX_PITCH_PLAY = 0.2;

  /**
   * The fewest upright lines between two such level lines that are boxes' walls: two boxes have
   * three. (Two could be two 1s written from one ruling to the next.)
   */
  static final int BOX_WALLS = 3;

  /** The most a box's wall may spread either side of its path, as a share of the box's height. */
  static final double BOX_WALL_WIDTH = 0.06;

  /**
   * The most rows, as a share of the boxes' height, that a box's wall may miss between the boxes'
   * top and bottom lines: it is drawn unbroken from one to the other. A digit written in the box
   * stops short of them, yet an upright stem ran close enough to pass for one under squared
   * paper's tenth, and a 7 lost its stem: what was left of it, a bar, was dropped as a dash.
   */
  static final double BOX_WALL_GAPS = 0.03;
}
