package dev.digits.numbers;

import dev.digits.imaging.Box;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.GrayImage;
import dev.digits.imaging.Greyscale;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reads a page: a photo or scan of a sheet with several lines of digits (a list on paper, a form).
 * Its lines are found by {@link PageLayout}; then, top to bottom:
 * <ol>
 *   <li>each line is cut out of the image with its own ink only (other lines' strokes that reach
 *       into its box are painted over with the paper) and read as one line;
 *   <li>a line whose ink stands in groups a word's space apart ("No. 17", "42 kg") has each group
 *       judged first: a group at either end written in small letters, or that read alone does not
 *       read as digits (the readers disagree, or the one-digit model finds its letters no digits),
 *       is a word or a mark, listed as skipped; the rest is read as the line.
 * </ol>
 * A line that holds no digits is not read as one; it is listed as skipped beside the nearest line
 * that is, as is ink that belongs to no line.
 */
final class PageReader {
  private PageReader() {}

  /**
   * Reads each line of the page laid out as {@code layout}; a line without digits is not one of
   * them, and is listed as skipped beside the nearest that is.
   */
  static List<PageLine> read(NumberReader reader, ImageDecoder.Decoded decoded, PageLayout.Layout layout) {
    List<PageLine> out = new ArrayList<>();
    List<NumberReading.Skipped> unread = new ArrayList<>();
    for (PageLayout.Found line : layout.lines()) {
      NumberReading reading = readLine(reader, layout, line, decoded);
      if (reading != null) {
        out.add(new PageLine(reading, line.box()));
      } else {
        unread.add(new NumberReading.Skipped(line.box(), "a line of its own that reads as no digits (marks, a word)"));
      }
    }
    for (Box b : layout.unread()) {
      unread.add(new NumberReading.Skipped(b, "ink along a drawn line (a ruling, an underline) that could not be told"
          + " apart from it: crop that line and read it alone"));
    }
    return withUnread(out, unread);
  }

  /**
   * The lines, each listing as skipped the ink of the page that no line read and that lies
   * nearest it (up and down the page): never dropped without a word. Ink that mostly lies where
   * the line already shows a digit or something skipped (its strip held it) is not listed twice.
   */
  static List<PageLine> withUnread(List<PageLine> lines, List<NumberReading.Skipped> unread) {
    if (lines.isEmpty() || unread.isEmpty()) {
      return lines;
    }
    List<List<NumberReading.Skipped>> added = new ArrayList<>();
    lines.forEach(l -> added.add(new ArrayList<>()));
    for (NumberReading.Skipped k : unread) {
      Box b = k.box();
      int nearest = 0;
      for (int i = 1; i < lines.size(); i++) {
        if (Math.abs(middle(lines.get(i).box()) - middle(b)) < Math.abs(middle(lines.get(nearest).box()) - middle(b))) {
          nearest = i;
        }
      }
      NumberReading r = lines.get(nearest).reading();
      if (r.digits().stream().anyMatch(d -> mostlyIn(b, d.box())) || r.skipped().stream().anyMatch(s -> mostlyIn(b, s.box()))) {
        continue;
      }
      added.get(nearest).add(k);
    }
    List<PageLine> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      out.add(new PageLine(lines.get(i).reading().withSkipped(added.get(i)), lines.get(i).box()));
    }
    return out;
  }

  /** Whether half or more of box {@code a} lies within box {@code b}. */
  private static boolean mostlyIn(Box a, Box b) {
    long w = Math.max(0, Math.min(a.x1(), b.x1()) - Math.max(a.x(), b.x()) + 1);
    long h = Math.max(0, Math.min(a.y1(), b.y1()) - Math.max(a.y(), b.y()) + 1);
    return 2 * w * h >= (long) a.width() * a.height();
  }

  private static double middle(Box b) {
    return b.y() + b.height() / 2.0;
  }

  /**
   * A line's reading, boxes in the page's pixels, or null when it holds no digits. Groups a word's
   * space apart are each judged ({@link #readsAsDigits}): from the first that reads as digits to the
   * last is the number (a number written in groups, "0612 3456", stays whole); groups outside are
   * skipped, each listed. When none reads as digits, the group whose digits the one-digit model
   * finds most like digits is the number (a number one reader reads badly beside a word; read
   * whole, the word was read into it); when no group was read at all, the line is read whole.
   */
  private static NumberReading readLine(NumberReader reader, PageLayout.Layout layout, PageLayout.Found line,
      ImageDecoder.Decoded decoded) {
    List<PageLayout.Group> groups = line.groups();
    int first = 0;
    int last = groups.size() - 1;
    Alone[] alone = new Alone[groups.size()];
    if (groups.size() > 1) {
      boolean[] digits = new boolean[groups.size()];
      for (int g = 0; g < groups.size(); g++) {
        if (groups.get(g).lone()) {
          digits[g] = true; // one stroke by itself in a line written spaced out: a digit, not a word
          continue;
        }
        alone[g] = groups.get(g).low() >= Tuning.PAGE_WORD_LOW ? null
            : read(reader, layout, groups.get(g).pieces(), groups.get(g).crop(), decoded, true);
        digits[g] = readsAsDigits(alone[g]);
      }
      while (first <= last && !digits[first]) {
        first++;
      }
      while (last >= first && !digits[last]) {
        last--;
      }
      if (first > last) {
        first = mostLikeDigits(alone);
        last = first;
        if (first < 0) {
          first = 0;
          last = groups.size() - 1;
        }
      }
    }
    List<PageLayout.Group> number = groups.subList(first, last + 1);
    Box crop = number.get(0).crop();
    for (PageLayout.Group g : number) {
      crop = crop.including(g.crop().x(), g.crop().y(), g.crop().x1(), g.crop().y1());
    }
    NumberReading reading = first == last && alone[first] != null ? alone[first].reading() // that group, already read
        : readPieces(reader, layout, number.stream().flatMapToInt(g -> Arrays.stream(g.pieces())).toArray(), crop, decoded);
    if (reading == null) {
      return null;
    }
    List<NumberReading.Skipped> words = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      if (g < first || g > last) {
        words.add(new NumberReading.Skipped(groups.get(g).box(), "a word or mark beside the number (small letters, or"
            + " read alone it does not read as digits)"));
      }
    }
    return reading.withSkipped(words);
  }

  /**
   * Whether a group of a line, read alone, is digits, not a word (null: not read, being written in
   * small letters, {@link Tuning#PAGE_WORD_LOW} or more of its columns starting low): it holds
   * digits on which the two readers agree, or differ by one digit, and which the one-digit model
   * takes for digits ({@link Tuning#PAGE_WORD_NOT_DIGITS}); where the readers differ by more, the
   * one-digit model's being sure they are digits ({@link Tuning#PAGE_SURE_DIGITS}) is enough: the
   * readers differ so on digits one of them reads badly (a faint 0 lost). On words and numbers typed alone in 25
   * handwriting faces (500 of each) the readers differ by more than one digit on 80% of the words
   * and 4% of the numbers; half or more of the columns are low in 66% of the words beside numbers
   * and 2.8% of the groups of digits. Chosen on the benchmark's pages (seeds 0-2: docs/NUMBERS.md).
   */
  private static boolean readsAsDigits(Alone group) {
    NumberReading alone = group == null ? null : group.reading();
    return alone != null && group.notDigits() < Tuning.PAGE_WORD_NOT_DIGITS
        && (alone.otherReading() == null || differByOne(alone.number(), alone.otherReading().number())
            || group.notDigits() < Tuning.PAGE_SURE_DIGITS);
  }

  /**
   * The group whose digits the one-digit model finds most like digits, of those read alone, or -1
   * when none was read (every group in small letters, or without digits).
   */
  private static int mostLikeDigits(Alone[] alone) {
    int best = -1;
    for (int g = 0; g < alone.length; g++) {
      if (alone[g] != null && alone[g].reading() != null
          && (best < 0 || alone[g].notDigits() < alone[best].notDigits())) {
        best = g;
      }
    }
    return best;
  }

  /** A group of a line read alone: its reading (null: it holds no digits), and {@link #notDigits} of it. */
  private record Alone(NumberReading reading, double notDigits) {}

  /**
   * How little the digits of a reading look like digits: the one-digit model's mean chance that
   * each, cut out of {@code image} by its box, is not one digit.
   */
  private static double notDigits(BufferedImage image, NumberReading line) {
    List<float[]> inputs = new ArrayList<>();
    for (NumberReading.Digit d : line.digits()) {
      Box b = d.box();
      int x = Math.max(0, b.x());
      int y = Math.max(0, b.y());
      int w = Math.min(b.x() + b.width(), image.getWidth()) - x;
      int h = Math.min(b.y() + b.height(), image.getHeight()) - y;
      try {
        GrayImage ink = DigitPreprocessor.ink(Greyscale.of(image.getSubimage(x, y, w, h)), Set.of(), true);
        inputs.add(DigitPreprocessor.modelInputs(ink, true).get(0));
      } catch (ImageException | java.awt.image.RasterFormatException e) {
        // a box with no ink of its own to judge (a digit the line reader placed on blank paper)
      }
    }
    if (inputs.isEmpty()) {
      return 1;
    }
    double sum = 0;
    for (float v : OneDigitJudge.notOneDigit(inputs)) {
      sum += v;
    }
    return sum / inputs.size();
  }

  /** Whether two readings differ by one digit: one changed, added or left out. */
  private static boolean differByOne(String a, String b) {
    if (a.length() == b.length()) {
      int changed = 0;
      for (int i = 0; i < a.length(); i++) {
        changed += a.charAt(i) != b.charAt(i) ? 1 : 0;
      }
      return changed <= 1;
    }
    String longer = a.length() > b.length() ? a : b;
    String shorter = longer == a ? b : a;
    if (longer.length() != shorter.length() + 1) {
      return false;
    }
    for (int i = 0; i < longer.length(); i++) {
      if ((longer.substring(0, i) + longer.substring(i + 1)).equals(shorter)) {
        return true;
      }
    }
    return false;
  }

  /** Some pieces of the page read as one line, boxes in the page's pixels; null when they hold no digits. */
  private static NumberReading readPieces(NumberReader reader, PageLayout.Layout layout, int[] pieces, Box crop,
      ImageDecoder.Decoded decoded) {
    return read(reader, layout, pieces, crop, decoded, false).reading();
  }

  /** The pieces cut out with their own ink ({@link #ownInk}) and read; {@code judged}: with {@link #notDigits} (else 0). */
  private static Alone read(NumberReader reader, PageLayout.Layout layout, int[] pieces, Box crop,
      ImageDecoder.Decoded decoded, boolean judged) {
    BufferedImage image = ownInk(layout, pieces, crop, decoded);
    NumberReading line;
    try {
      line = reader.read(new ImageDecoder.Decoded(image, crop.width(), crop.height()));
    } catch (ImageException e) {
      return new Alone(null, 1);
    }
    return new Alone(shifted(line, crop, turn(layout), decoded), judged ? notDigits(image, line) : 0);
  }

  /** How far a line is turned back to be read level: the page's skew, when it is enough to matter. */
  private static double turn(PageLayout.Layout layout) {
    return Math.abs(layout.skew()) >= Math.toRadians(Tuning.PAGE_LEVEL) ? -layout.skew() : 0;
  }

  /**
   * A box cut out of the decoded image with only the given pieces' ink: strokes of other lines and
   * groups that reach into it, and the walls of a form's boxes, are painted over in the colour of
   * the box's paper (its median where there is no ink). On a turned page it is turned level about its centre ({@link #turn}): the
   * line reader expects a level line, and a ruled line under the digits, level, is erased as one.
   */
  private static BufferedImage ownInk(PageLayout.Layout layout, int[] pieces, Box box, ImageDecoder.Decoded decoded) {
    BufferedImage image = decoded.image();
    double scale = (double) image.getHeight() / decoded.height();
    int x0 = (int) Math.floor(box.x() * scale);
    int y0 = (int) Math.floor(box.y() * scale);
    int w = Math.max(1, Math.min(image.getWidth(), (int) Math.ceil(box.x1() * scale) + 1) - x0);
    int h = Math.max(1, Math.min(image.getHeight(), (int) Math.ceil(box.y1() * scale) + 1) - y0);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    GrayImage ink = layout.ink();
    boolean[] own = new boolean[layout.lineOf().length];
    for (int id : pieces) {
      own[id] = true;
    }
    double toInk = (double) ink.width / image.getWidth();
    boolean[] foreign = new boolean[w * h];
    int[][] paper = new int[3][256]; // each channel's histogram where there is no ink
    int paperCount = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x0 + x, y0 + y);
        out.setRGB(x, y, rgb);
        int ix = Math.min(ink.width - 1, (int) ((x0 + x) * toInk));
        int iy = Math.min(ink.height - 1, (int) ((y0 + y) * toInk));
        foreign[y * w + x] = othersNear(layout, own, ix, iy) || layout.wall(ix, iy);
        if (!foreign[y * w + x] && layout.label()[iy * ink.width + ix] == 0) {
          paper[0][rgb >> 16 & 0xff]++;
          paper[1][rgb >> 8 & 0xff]++;
          paper[2][rgb & 0xff]++;
          paperCount++;
        }
      }
    }
    int fill = paperCount == 0 ? 0xffffff : medianColour(paper, paperCount);
    for (int i = 0; i < foreign.length; i++) {
      if (foreign[i]) {
        out.setRGB(i % w, i / w, fill);
      }
    }
    double turn = turn(layout);
    if (turn == 0) {
      return out;
    }
    BufferedImage level = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = level.createGraphics();
    g.setColor(new java.awt.Color(fill));
    g.fillRect(0, 0, w, h);
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(out, java.awt.geom.AffineTransform.getRotateInstance(turn, w / 2.0, h / 2.0), null);
    g.dispose();
    return level;
  }

  /** Whether ink of the page's lines that is not {@code own} lies at or next to a pixel of the ink image. */
  private static boolean othersNear(PageLayout.Layout layout, boolean[] own, int x, int y) {
    GrayImage ink = layout.ink();
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int xx = x + dx;
        int yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < ink.width && yy < ink.height) {
          int id = layout.label()[yy * ink.width + xx];
          if (id != 0 && layout.lineOf()[id] >= 0 && !own[id]) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The median of each channel, from its histogram of {@code count} pixels. */
  private static int medianColour(int[][] histograms, int count) {
    int rgb = 0;
    for (int[] channel : histograms) {
      int value = 0;
      for (int seen = channel[0]; 2 * seen <= count && value < 255; seen += channel[++value]) { }
      rgb = rgb << 8 | value;
    }
    return rgb;
  }

  /**
   * A line's reading with its boxes moved from the line's own pixels to the page's: turned back by
   * {@code turn} about the crop's centre (each box the bounding box of its turned corners), then
   * shifted to where the crop lies.
   */
  private static NumberReading shifted(NumberReading line, Box crop, double turn, ImageDecoder.Decoded decoded) {
    List<NumberReading.Digit> digits = new ArrayList<>();
    for (NumberReading.Digit d : line.digits()) {
      digits.add(new NumberReading.Digit(d.prediction(), moved(d.box(), crop, turn)));
    }
    List<NumberReading.Skipped> skipped = new ArrayList<>();
    for (NumberReading.Skipped k : line.skipped()) {
      skipped.add(new NumberReading.Skipped(moved(k.box(), crop, turn), k.reason()));
    }
    NumberReading other = line.otherReading() == null ? null : shifted(line.otherReading(), crop, turn, decoded);
    return new NumberReading(List.copyOf(digits), List.copyOf(skipped), decoded.width(), decoded.height(), other);
  }

  private static Box moved(Box b, Box crop, double turn) {
    if (turn == 0) {
      return new Box(b.x() + crop.x(), b.y() + crop.y(), b.width(), b.height());
    }
    double cx = crop.width() / 2.0;
    double cy = crop.height() / 2.0;
    double cos = Math.cos(-turn);
    double sin = Math.sin(-turn);
    double x0 = Double.MAX_VALUE;
    double y0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    double y1 = -Double.MAX_VALUE;
    for (double[] c : new double[][] {{b.x(), b.y()}, {b.x1() + 1, b.y()}, {b.x(), b.y1() + 1}, {b.x1() + 1, b.y1() + 1}}) {
      double x = cx + (c[0] - cx) * cos - (c[1] - cy) * sin;
      double y = cy + (c[0] - cx) * sin + (c[1] - cy) * cos;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    int bx = Math.max(0, (int) Math.floor(x0) + crop.x());
    int by = Math.max(0, (int) Math.floor(y0) + crop.y());
    return new Box(bx, by, Math.max(1, (int) Math.ceil(x1) + crop.x() - bx), Math.max(1, (int) Math.ceil(y1) + crop.y() - by));
  }
}
