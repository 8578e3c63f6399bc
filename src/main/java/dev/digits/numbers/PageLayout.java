package dev.digits.numbers;

import static dev.digits.numbers.Tuning.*;

import dev.digits.imaging.Box;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.GrayImage;
import dev.digits.imaging.Greyscale;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Where the lines of a page lie. Lines are found from the pieces of ink, not from blank rows:
 * handwritten lines stand close, a digit's tail reaches into the next line's rows, and a sheet
 * photographed a few degrees askew has no blank row between its lines at all. So:
 * <ol>
 *   <li>the page's ink is cut into pieces (connected strokes), its drawn lines (a ruling, an
 *       underline) erased first; specks are left out;
 *   <li>the page's skew is the angle at which the digit-sized pieces' centres pile up most
 *       tightly into rows;
 *   <li>along that angle, digit-sized pieces are taken tallest first, each joining the line whose
 *       band it reaches well into, or else starting one; smaller pieces (a detached bar, a dot, a
 *       stray mark) go to the line they lie nearest, flat ones (a dash, a ruled line) to none;
 *   <li>a line's pieces stand in groups where its ink leaves a word's space blank ("No. 17").
 * </ol>
 * Ink as high as a stroke that belongs to no line (what is left of a drawn line) is kept, to be
 * listed as skipped.
 */
final class PageLayout {
  private PageLayout() {}

  /**
   * A line of the page: its box in the decoded image's pixels, and its groups of pieces of ink (a
   * word's space apart), left to right, each with its box.
   */
  record Found(Box box, List<Group> groups) {}

  /**
   * Pieces of ink of one line that stand together: their box, and the box they are cut out by
   * (with a margin of paper), in the decoded image's pixels; {@code low}, the share of their
   * columns whose ink starts well below the top of the line's digits ({@link #lowShare});
   * {@code lone}: one stroke by itself in a line written spaced out ({@link Tuning#PAGE_SPACED_OUT}).
   */
  record Group(Box box, Box crop, int[] pieces, double low, boolean lone) {}

  /**
   * The page's ink at work resolution (its drawn lines erased), the label of each of its pixels'
   * piece (0: paper), the line of each piece by label ({@code lineOf[label]}; -1 for a speck), the
   * lines found, and the angle (radians) by which they run down to the right; {@code unread}: the
   * boxes (in the decoded image's pixels) of the pieces as high as a stroke that belong to no line
   * (what is left of a drawn line that could not be told from what stands on it), to be listed.
   */
  record Layout(GrayImage ink, int[] label, int[] lineOf, List<Found> lines, double skew, boolean[] walls,
      List<Box> unread) {
    /** Whether the pixel of the ink image at (x, y) was a wall of a form's boxes, erased. */
    boolean wall(int x, int y) {
      return walls != null && walls[y * ink.width + x];
    }
  }

  /** The page's ink, its pieces, and its lines top to bottom, each in groups left to right. */
  static Layout of(ImageDecoder.Decoded decoded) {
    GrayImage grey = Greyscale.of(decoded.image(), WORK_SIDE);
    GrayImage dark = DrawnLines.darkness(grey);
    GrayImage ink = DigitPreprocessor.ink(grey, Set.of(), true);
    boolean[] walls = null;
    if (DrawnLines.eraseUprightLines(ink, dark)) { // squared paper: its columns would join every line into one piece
      DrawnLines.eraseLevelLines(ink, dark);
    } else {
      // A form's boxes, one for each digit: each wall would be a piece of the line, and each strip
      // cut out of the page to be read has its walls painted over (PageReader.ownInk).
      float[] beforeWalls = ink.v.clone();
      walls = DrawnLines.eraseBoxWalls(ink) ? erased(beforeWalls, ink) : null;
    }
    int[] label = new int[ink.v.length];
    List<Piece> all = InkPieces.components(ink, label);
    // A line written with a fainter pen than the rest (pencil among marker) is given its own
    // contrast, the ruled lines of the paper (longer than the writing is high) left as they are.
    List<Piece> firstPieces = withoutSpecks(all);
    double bold = writingHeight(firstPieces);
    if (bold > 0) {
      double slope = Math.tan(skew(core(firstPieces, bold), bold));
      double ruled = rulingSlope(firstPieces, ink, label, bold, slope);
      Arrays.fill(label, 0);
      FaintInk.liftFaintPieces(ink, label, (int) Math.ceil(LONG_LINE * bold), slope,
          (int) Math.ceil(PAGE_STROKE * bold));
      // Cut into pieces without the drawn lines (at the ruling's own slope, which a single line's
      // digits do not tell): a digit standing on a ruled line is one piece with it, a ruling
      // belongs to no line, and with it went the digit ("1762" read "62"). The digits are cut out
      // of the image itself (PageReader.ownInk), and the line reader erases the ruling there.
      ink = DrawnLines.withoutDrawnLines(ink, (int) Math.ceil(LONG_LINE * bold), ruled);
      all = InkPieces.components(ink, label);
    }
    List<Piece> pieces = withoutSpecks(all);
    double h = writingHeight(pieces);
    if (h > 0 && eraseLinesLeft(pieces, ink, label, h)) {
      Arrays.fill(label, 0);
      all = InkPieces.components(ink, label);
      pieces = withoutSpecks(all);
    }
    int[] lineOf = new int[all.size() + 1];
    Arrays.fill(lineOf, -1);
    if (h == 0) { // a blank page, or only its ruling
      return new Layout(ink, label, lineOf, List.of(), 0, walls, List.of());
    }
    List<Piece> core = core(pieces, h);
    if (core.size() > MAX_PAGE_PIECES) {
      throw new ImageException("too many pieces of ink (" + core.size() + ") for a page of numbers (at most "
          + MAX_PAGE_PIECES + "): crop the image to the lines you need");
    }
    double skew = skew(core, h);
    double sin = Math.sin(skew);
    double cos = Math.cos(skew);
    List<List<Piece>> rows = rows(pieces, core, h, sin, cos);
    List<Found> lines = new ArrayList<>();
    double sx = (double) decoded.width() / ink.width;
    double sy = (double) decoded.height() / ink.height;
    int margin = (int) Math.ceil(PAGE_MARGIN * h) + 1;
    for (int r = 0; r < rows.size(); r++) {
      List<Piece> row = rows.get(r);
      for (Piece p : row) {
        lineOf[p.comp] = r;
      }
      List<Group> groups = new ArrayList<>();
      List<List<Piece>> parts = groups(row, h, walls, ink.width);
      boolean spacedOut = parts.size() > 1 && typicalGap(strokes(row, h)) >= PAGE_SPACED_OUT * h;
      for (List<Piece> group : parts) {
        groups.add(new Group(box(group, 0, sx, sy, decoded), box(group, margin, sx, sy, decoded),
            group.stream().mapToInt(p -> p.comp).toArray(), lowShare(group, row, ink, label, h, sin, cos),
            spacedOut && strokes(group, h).size() == 1));
      }
      lines.add(new Found(box(row, margin, sx, sy, decoded), groups));
    }
    List<Box> unread = new ArrayList<>();
    for (Piece p : pieces) {
      if (lineOf[p.comp] < 0 && p.height() >= PAGE_STROKE * h) {
        unread.add(box(List.of(p), 0, sx, sy, decoded));
      }
    }
    return new Layout(ink, label, lineOf, lines, skew, walls, List.copyOf(unread));
  }

  /**
   * The pieces of each line, top to bottom: {@code core} (the digit-sized ones) set the lines out
   * along the skew ({@code sin}, {@code cos}); {@code h} is a digit's height.
   */
  private static List<List<Piece>> rows(List<Piece> pieces, List<Piece> core, double h, double sin, double cos) {
    // The tallest pieces first: whole digits set out the lines, the parts of a broken one join them.
    List<Piece> tallestFirst = new ArrayList<>(core);
    tallestFirst.sort(Comparator.comparingInt(Piece::height).reversed());
    List<List<Piece>> rows = new ArrayList<>();
    for (Piece p : tallestFirst) {
      List<Piece> best = null;
      double most = PAGE_LINE_OVERLAP * p.height();
      for (List<Piece> row : rows) {
        double o = overlap(p, row, sin, cos);
        if (o >= most) {
          best = row;
          most = o;
        }
      }
      if (best == null) {
        rows.add(best = new ArrayList<>());
      }
      best.add(p);
    }
    rows.sort(Comparator.comparingDouble(r -> centre(r, sin, cos)));
    double[] centre = rows.stream().mapToDouble(r -> centre(r, sin, cos)).toArray();
    for (Piece p : pieces) {
      // A flat bit (a dash, a piece of a ruled line or an underline) belongs to no line: lying
      // between two, it would be cut away from the digits that touch it as the other line's ink.
      boolean flat = p.height() < PAGE_STROKE * h && p.width() >= 3 * p.height() || ruling(p, h);
      if (p.height() < PAGE_CORE * h && !flat && !rows.isEmpty()) { // no rows: nothing as high as half a digit
        int nearest = 0;
        for (int r = 1; r < rows.size(); r++) {
          if (Math.abs(across(p, sin, cos) - centre[r]) < Math.abs(across(p, sin, cos) - centre[nearest])) {
            nearest = r;
          }
        }
        rows.get(nearest).add(p);
      }
    }
    return rows;
  }

  /**
   * A line's pieces in groups, left to right: where the line's strokes leave a blank wider than a
   * word's space ({@link Tuning#PAGE_WORD_GAP}), another group starts. Every piece as high as a
   * stroke ({@link Tuning#PAGE_STROKE}) counts, a faint digit broken into small ones as much as a
   * bold one. A blank that the wall of a form's box crosses ({@code walls}, erased) is no space:
   * a digit in each box, the boxes hold one number.
   */
  private static List<List<Piece>> groups(List<Piece> row, double h, boolean[] walls, int width) {
    List<Piece> byX = strokes(row, h);
    int top = row.stream().mapToInt(p -> p.y0).min().orElse(0);
    int bottom = row.stream().mapToInt(p -> p.y1).max().orElse(0);
    List<List<Piece>> groups = new ArrayList<>();
    List<int[]> spans = new ArrayList<>();
    for (Piece p : byX) {
      int[] last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
      if (last == null || p.x0 - last[1] > PAGE_WORD_GAP * h && !wallBetween(walls, width, last[1], p.x0, top, bottom)) {
        groups.add(new ArrayList<>());
        spans.add(last = new int[] {p.x0, p.x1});
      }
      groups.get(groups.size() - 1).add(p);
      last[1] = Math.max(last[1], p.x1);
    }
    if (groups.isEmpty()) {
      return List.of(row);
    }
    // Flat bits (the pieces of a faint ruled line, a dot, a dash) do not bridge a space: each goes
    // with the group it stands under or nearest.
    for (Piece p : row) {
      if (p.height() < PAGE_STROKE * h) {
        int nearest = 0;
        for (int g = 1; g < spans.size(); g++) {
          if (away(p, spans.get(g)) < away(p, spans.get(nearest))) {
            nearest = g;
          }
        }
        groups.get(nearest).add(p);
      }
    }
    return groups;
  }

  /** The pieces as high as a stroke ({@link Tuning#PAGE_STROKE}), left to right. */
  private static List<Piece> strokes(List<Piece> pieces, double h) {
    List<Piece> byX = new ArrayList<>(pieces.stream().filter(p -> p.height() >= PAGE_STROKE * h).toList());
    byX.sort(Comparator.comparingInt(p -> p.x0));
    return byX;
  }

  /**
   * The median blank between the line's strokes, left to right (pieces that overlap, as a broken
   * digit's do, leave none): the writer's own spacing.
   */
  private static double typicalGap(List<Piece> byX) {
    List<Integer> gaps = new ArrayList<>();
    int end = Integer.MIN_VALUE;
    for (Piece p : byX) {
      if (end != Integer.MIN_VALUE && p.x0 > end) {
        gaps.add(p.x0 - end);
      }
      end = Math.max(end, p.x1);
    }
    if (gaps.isEmpty()) {
      return 0;
    }
    gaps.sort(null);
    return gaps.get(gaps.size() / 2);
  }

  /** Whether an erased wall of a box stands between columns {@code x0} and {@code x1}, in rows {@code y0} to {@code y1}. */
  private static boolean wallBetween(boolean[] walls, int width, int x0, int x1, int y0, int y1) {
    for (int y = y0; walls != null && y <= y1; y++) {
      for (int x = x0 + 1; x < x1; x++) {
        if (walls[y * width + x]) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The slope (rows per column) of the page's drawn lines, as the median of theirs, or
   * {@code writing} (the writing's) when there are none.
   */
  private static double rulingSlope(List<Piece> pieces, GrayImage ink, int[] label, double h, double writing) {
    List<Double> slopes = new ArrayList<>();
    for (Piece p : pieces) {
      if (ruling(p, h)) {
        slopes.add(straightest(p, label, ink.width).slope());
      }
    }
    if (slopes.isEmpty()) {
      return writing;
    }
    slopes.sort(null);
    return slopes.get(slopes.size() / 2);
  }

  /**
   * A drawn line's straight path: the slope, up to {@link Tuning#LONG_LINE_SLOPE} either way, and
   * the row along which the most columns of the piece have ink on one straight path. A digit standing on the line is
   * one piece with it and fills its columns from the line up; measured from the middle of the
   * ink at the line's two ends, as until the sixteenth pass, a level ruling with a digit standing
   * at its left end was taken to run down at 1.8 degrees, was not erased, and took the digit with
   * it ("22366" read "2366", the first 2 neither read nor listed as skipped).
   */
  private static Straight straightest(Piece p, int[] label, int width) {
    // Its pixels, column by column (a line across a hatched page has a box as large as the page,
    // and only its pixels are gone through at every slope).
    int n = 0;
    int[] dx = new int[Math.max(1, p.area)];
    int[] dy = new int[dx.length];
    for (int x = p.x0; x <= p.x1; x++) {
      for (int y = p.y0; y <= p.y1; y++) {
        if (label[y * width + x] == p.comp) {
          if (n == dx.length) {
            dx = Arrays.copyOf(dx, 2 * n);
            dy = Arrays.copyOf(dy, 2 * n);
          }
          dx[n] = x - p.x0;
          dy[n++] = y - p.y0;
        }
      }
    }
    double step = LONG_LINE_SLOPE_STEP / 2;
    int steps = (int) Math.round(LONG_LINE_SLOPE / step);
    int reach = (int) Math.ceil(LONG_LINE_SLOPE * p.width()) + 1;
    int[] columns = new int[p.height() + 2 * reach + 1]; // per path (its row at the piece's left edge): columns inked
    int[] lastColumn = new int[columns.length];
    double best = 0;
    int bestPath = 0;
    int most = -1;
    for (int k = -steps; k <= steps; k++) {
      double slope = k * step;
      Arrays.fill(columns, 0);
      Arrays.fill(lastColumn, -1);
      for (int i = 0; i < n; i++) {
        int path = (int) Math.round(dy[i] - slope * dx[i]) + reach;
        if (lastColumn[path] != dx[i]) {
          lastColumn[path] = dx[i];
          columns[path]++;
        }
      }
      for (int c = 0; c < columns.length; c++) {
        if (columns[c] > most || columns[c] == most && Math.abs(slope) < Math.abs(best)) {
          most = columns[c];
          best = slope;
          bestPath = c;
        }
      }
    }
    return new Straight(best, p.y0 + bestPath - reach);
  }

  /** A straight path: its slope (rows per column), and its row at the left edge of the piece it was found in. */
  private record Straight(double slope, int row) {}

  /**
   * Erases the line itself from each piece still taken for a drawn line that stands as high as a
   * stroke: a digit stands on it, or the line is turned between two of the eraser's slope steps
   * and was left whole ({@link DrawnLines#withoutDrawnLines}). Such a piece belongs to no line, and
   * what stood on it was lost without a word ("119292" on a ruling turned 2.6 degrees read "292").
   * The line is followed along its own straight path ({@link #straightest}): in each column, the
   * run of its ink through the path is erased where it is no thicker than the line (the median of
   * those runs), and where a stroke crosses it only the line's thickness, as the drawn-line eraser
   * does. Only these pieces change: the page's other pieces, and so the strips cut out to be read,
   * stay as they were. Returns whether any ink was erased.
   */
  private static boolean eraseLinesLeft(List<Piece> pieces, GrayImage ink, int[] label, double h) {
    boolean erased = false;
    int w = ink.width;
    for (Piece p : pieces) {
      if (!ruling(p, h) || p.height() < PAGE_STROKE * h) {
        continue;
      }
      Straight line = straightest(p, label, w);
      int[] top = new int[p.width()];
      int[] bottom = new int[p.width()];
      List<Integer> runs = new ArrayList<>();
      for (int x = p.x0; x <= p.x1; x++) {
        int c = x - p.x0;
        int on = (int) Math.round(line.row() + line.slope() * c);
        top[c] = -1;
        for (int y : new int[] {on, on - 1, on + 1}) {
          if (y >= p.y0 && y <= p.y1 && label[y * w + x] == p.comp) {
            int t = y;
            int b = y;
            while (t > p.y0 && label[(t - 1) * w + x] == p.comp) {
              t--;
            }
            while (b < p.y1 && label[(b + 1) * w + x] == p.comp) {
              b++;
            }
            top[c] = t;
            bottom[c] = b;
            runs.add(b - t + 1);
            break;
          }
        }
      }
      if (runs.isEmpty()) {
        continue;
      }
      runs.sort(null);
      int thick = runs.get(runs.size() / 2);
      for (int c = 0; c < top.length; c++) {
        if (top[c] < 0) {
          continue;
        }
        int t = top[c];
        int b = bottom[c];
        if (b - t + 1 > thick + 2) { // a stroke crosses the line here: only the line's own band
          int on = (int) Math.round(line.row() + line.slope() * c);
          t = Math.max(t, on - thick / 2 - 1);
          b = Math.min(b, on + thick / 2 + 1);
        }
        for (int y = t; y <= b; y++) {
          int i = y * w + p.x0 + c;
          if (label[i] == p.comp) {
            ink.v[i] = 0f;
            erased = true;
          }
        }
      }
    }
    return erased;
  }

  /** The pieces that set out the lines: as high as half a digit ({@code h}), and not ruled lines. */
  private static List<Piece> core(List<Piece> pieces, double h) {
    return pieces.stream().filter(p -> p.height() >= PAGE_CORE * h && !ruling(p, h)).toList();
  }

  /** The pixels whose ink went from {@code before} to {@code after}, and those beside them (a wall's soft edge). */
  private static boolean[] erased(float[] before, GrayImage after) {
    boolean[] out = new boolean[before.length];
    int w = after.width;
    for (int i = 0; i < before.length; i++) {
      if (after.v[i] < before[i]) {
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int x = i % w + dx;
            int y = i / w + dy;
            if (x >= 0 && y >= 0 && x < w && y < after.height) {
              out[y * w + x] = true;
            }
          }
        }
      }
    }
    return out;
  }

  /** The pieces but the specks: dust, and pieces under a hundredth of the largest. */
  private static List<Piece> withoutSpecks(List<Piece> all) {
    int maxArea = all.stream().mapToInt(p -> p.area).max().orElse(0);
    return all.stream().filter(p -> p.area >= Math.max(3, PAGE_SPECK * maxArea)).toList();
  }

  /**
   * A digit's height among the pieces that are writing, 0 if there are none: the lines of ruled
   * paper (thin and long, turned with the page) are no digits' height, told apart by a first guess
   * that counts them.
   */
  private static double writingHeight(List<Piece> pieces) {
    double first = pieces.isEmpty() ? 0 : digitHeight(pieces);
    List<Piece> writing = pieces.stream().filter(p -> !ruling(p, first)).toList();
    return writing.isEmpty() ? 0 : digitHeight(writing);
  }

  /**
   * Whether a piece is a drawn line (ruled paper, an underline), not writing: longer than two
   * digits are high, and on average thinner than a fifth of one across its length.
   */
  private static boolean ruling(Piece p, double h) {
    return p.width() >= 2 * h && p.area < 0.2 * h * p.width();
  }

  private static double away(Piece p, int[] span) {
    return Math.max(0, Math.max(span[0] - p.centre(), p.centre() - span[1]));
  }

  /**
   * A digit's height: the median height of the page's ink, each piece weighing as much as its
   * area, so that the many small bits of dust, dots, or a faint ruled line broken into fragments
   * do not pull it down to theirs.
   */
  private static double digitHeight(List<Piece> pieces) {
    List<Piece> byHeight = new ArrayList<>(pieces);
    byHeight.sort(Comparator.comparingInt(Piece::height));
    long total = byHeight.stream().mapToLong(p -> p.area).sum();
    long seen = 0;
    for (Piece p : byHeight) {
      seen += p.area;
      if (2 * seen >= total) {
        return p.height();
      }
    }
    return byHeight.get(byHeight.size() - 1).height();
  }

  /**
   * The share of a group's columns of ink whose topmost ink lies more than {@link Tuning#PAGE_LOW}
   * of the line's height below the top of its digits (the median top of its digit-sized pieces,
   * along the skew). Digits reach up to that top over most of their width; the small letters of a
   * word ("o", "e", "m", "r") do not. Measured on words beside numbers typed in 25 faces (500
   * lines): half or more of the columns are low in 66% of the words and 2.8% of the groups of digits.
   */
  private static double lowShare(List<Piece> group, List<Piece> row, GrayImage ink, int[] label, double h, double sin,
      double cos) {
    double[] tops = row.stream().filter(p -> p.height() >= PAGE_CORE * h).mapToDouble(p -> p.y0 * cos - p.centre() * sin)
        .sorted().toArray();
    if (tops.length == 0) {
      return 0;
    }
    double top = tops[tops.length / 2];
    int columns = 0;
    int low = 0;
    for (Piece p : group) {
      if (p.height() < PAGE_STROKE * h) {
        continue; // a dot, a dash, a piece of a ruled line under the digits
      }
      for (int x = p.x0; x <= p.x1; x++) {
        for (int y = p.y0; y <= p.y1; y++) {
          int i = y * ink.width + x;
          if (label[i] == p.comp && ink.v[i] >= 0.5f) {
            columns++;
            low += y * cos - x * sin > top + PAGE_LOW * h ? 1 : 0;
            break;
          }
        }
      }
    }
    return columns == 0 ? 0 : (double) low / columns;
  }

  /** The box of some pieces with a margin around them, in the decoded image's pixels. */
  private static Box box(List<Piece> pieces, int margin, double sx, double sy, ImageDecoder.Decoded decoded) {
    int x0 = pieces.stream().mapToInt(p -> p.x0).min().orElse(0);
    int y0 = pieces.stream().mapToInt(p -> p.y0).min().orElse(0);
    int x1 = pieces.stream().mapToInt(p -> p.x1).max().orElse(0);
    int y1 = pieces.stream().mapToInt(p -> p.y1).max().orElse(0);
    int bx0 = Math.max(0, (int) Math.floor((x0 - margin) * sx));
    int by0 = Math.max(0, (int) Math.floor((y0 - margin) * sy));
    int bx1 = Math.min(decoded.width(), (int) Math.ceil((x1 + 1 + margin) * sx));
    int by1 = Math.min(decoded.height(), (int) Math.ceil((y1 + 1 + margin) * sy));
    return new Box(bx0, by0, bx1 - bx0, by1 - by0);
  }

  /** Where a row's pieces lie on average, across the lines. */
  private static double centre(List<Piece> row, double sin, double cos) {
    return row.stream().mapToDouble(p -> across(p, sin, cos)).average().orElse(0);
  }

  /** How far a piece reaches, across the lines, into the band a row's pieces span. */
  private static double overlap(Piece p, List<Piece> row, double sin, double cos) {
    double top = row.stream().mapToDouble(q -> q.y0 * cos - q.centre() * sin).min().orElse(0);
    double bottom = row.stream().mapToDouble(q -> q.y1 * cos - q.centre() * sin).max().orElse(0);
    return Math.min(bottom, p.y1 * cos - p.centre() * sin) - Math.max(top, p.y0 * cos - p.centre() * sin);
  }

  /** Where a piece's centre lies across the lines, on a page turned by the skew. */
  private static double across(Piece p, double sin, double cos) {
    return (p.y0 + p.y1) / 2.0 * cos - (p.x0 + p.x1) / 2.0 * sin;
  }

  /**
   * The page's skew (radians): of the angles up to {@link Tuning#PAGE_MAX_SKEW} degrees, the one
   * at which the pieces' centres, projected across the lines into bins a quarter of a digit high,
   * pile up most (the sum of the squared counts; the upright page when nothing does better).
   */
  private static double skew(List<Piece> core, double h) {
    double best = 0;
    double bestScore = -1;
    for (double deg = 0; deg <= PAGE_MAX_SKEW; deg += 0.25) {
      for (double angle : deg == 0 ? new double[] {0} : new double[] {Math.toRadians(deg), -Math.toRadians(deg)}) {
        double sin = Math.sin(angle);
        double cos = Math.cos(angle);
        java.util.Map<Long, Integer> bins = new java.util.HashMap<>();
        for (Piece p : core) {
          bins.merge(Math.round(across(p, sin, cos) / (h / 4)), 1, Integer::sum);
        }
        double score = bins.values().stream().mapToDouble(c -> (double) c * c).sum();
        if (score > bestScore * 1.0001) {
          best = angle;
          bestScore = score;
        }
      }
    }
    return best;
  }
}
