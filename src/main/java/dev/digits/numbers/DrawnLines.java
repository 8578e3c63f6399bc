package dev.digits.numbers;

import static dev.digits.numbers.Tuning.*;

import dev.digits.imaging.GrayImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lines drawn on the paper, not written: the rulings of lined paper, an underline, the grid of
 * squared paper. They are found by their shape (straight, thin, as long as the image or longer than
 * a digit's height) and erased before the ink is cut into pieces, since a piece that holds one
 * would join digits to it, or to each other, or be read as a "1".
 */
final class DrawnLines {
  private DrawnLines() {}

  /**
   * Erases the lines of squared paper that run upright: straight lines of ink (within a pixel
   * either way of a straight path, leaning up to {@link Tuning#UPRIGHT_LINE_TILT}) from the image's
   * top edge to its bottom edge, when there are two or more of them. Such a line is as tall as
   * the image, so on a single line it is no longer than a digit and the long-line eraser, which
   * tells a ruling from writing by length, kept it: it was read as a "1" between every two
   * digits, and on a page it joined every line into one piece. (Its ink cannot tell it: the ink is
   * scaled so that the typical pixel of ink is 1, and on squared paper that pixel is the grid's.)
   * A digit reaches both edges only in an image cropped to its ink (a page's lines are cut out
   * with a margin), and is thick in most of its rows unless it is tiny. Only the
   * thin part of each row goes ({@link Tuning#UPRIGHT_LINE_WIDTH} pixels
   * either side), so a stroke that crosses the line keeps its ink there.
   *
   * <p>Writing that runs along a line is spared where {@code dark} is given: each pixel's darkness
   * as written ({@link #darkness}: before the ink was scaled, which makes the grid's pixels and the
   * pen's alike 1). A pixel of a thin row darker than {@link Tuning#ALONG_A_LINE} times the line's
   * own darkness is a stroke on it, kept: erased with the line, a 9's loop lying on a level line
   * opened into a 5, and a 9's stem on an upright one went. A pen no darker than the grid (a
   * pencil) is told by its width: where the thin ink of a row is wider than the line's own width
   * (its median along it) by more than a pixel, only that width goes, about the line's middle, and
   * the stroke keeps what stands beside it (an 8 lying along a line lost its left side: "8049" read
   * "3049"). Lines the first search missed, broken where the image cuts them, are looked for where
   * the grid's pitch puts them ({@link #restOfTheGrid}).
   */
  static boolean eraseUprightLines(GrayImage g, GrayImage dark) {
    return eraseUprightLines(g, 2, UPRIGHT_LINE_WIDTH, dark, 0.1);
  }

  /**
   * Each pixel's darkness as written, for {@link #eraseUprightLines(GrayImage, GrayImage)}: its
   * difference from the paper (the border's median), either way; of the grey copy the ink is made from.
   */
  static GrayImage darkness(GrayImage grey) {
    float paper = grey.borderMedian();
    float[] v = new float[grey.v.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.max(0f, paper > 127 ? paper - grey.v[i] : grey.v[i] - paper);
    }
    return new GrayImage(grey.width, grey.height, v);
  }

  /**
   * {@link #eraseUprightLines(GrayImage, GrayImage)}, when there are at least {@code fewest} such
   * lines, thin where at most {@code halfWidth} pixels either side of their path, and inked in all
   * but {@code missed} of the rows between their ends (as a share of the image's height).
   */
  private static boolean eraseUprightLines(GrayImage g, int fewest, int halfWidth, GrayImage dark, double missed) {
    List<int[]> lines = uprightLines(g, halfWidth, missed);
    if (lines.size() < fewest) {
      return false;
    }
    List<int[]> rest = dark == null ? List.of() : restOfTheGrid(g, lines, halfWidth);
    float[] seen = new float[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      seen[i] = dark == null ? 0f : darkness(g, lines.get(i), dark);
      thinRows(g, lines.get(i), g.v, halfWidth, dark, ALONG_A_LINE * seen[i]);
    }
    if (!rest.isEmpty()) {
      // The grid's own darkness, not the path's: where a pen's stroke is all the path holds, it is kept.
      Arrays.sort(seen);
      for (int[] path : rest) {
        thinRows(g, path, g.v, halfWidth, dark, ALONG_A_LINE * seen[seen.length / 2]);
      }
    }
    return true;
  }

  /**
   * The paths of squared paper's lines that {@link #uprightLines} missed, where the grid's pitch
   * puts them: before the first line found, after the last and between two found further apart.
   * Such a line is broken in more rows than a whole line may be (it runs along the image's edge,
   * where a photo is cut through it, or the ink there is fainter), and what was left of it was
   * read as a "1" or, with the end of a level line, a "7": "665" read "6651", "131" read "1131".
   * Its ink is looked for within a few pixels of where the pitch puts it, leaning as its nearest
   * found line leans, and must be thin in most of the rows it is inked in.
   */
  private static List<int[]> restOfTheGrid(GrayImage g, List<int[]> lines, int halfWidth) {
    int mid = g.height / 2;
    List<Integer> gaps = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      gaps.add(lines.get(i)[mid] - lines.get(i - 1)[mid]);
    }
    List<Integer> sorted = new ArrayList<>(gaps);
    sorted.sort(null);
    double pitch = sorted.get(0); // a missed line doubles a gap: the narrowest is one square
    if (pitch < 4 * halfWidth) {
      return List.of();
    }
    int reach = (int) Math.max(2, Math.round(GRID_PLAY * pitch));
    List<int[]> out = new ArrayList<>();
    List<double[]> wanted = new ArrayList<>(); // {x at mid-height, index of the nearest found line}
    int[] first = lines.get(0);
    for (double x = first[mid] - pitch; x > -reach; x -= pitch) {
      wanted.add(new double[] {x, 0});
    }
    for (int i = 1; i < lines.size(); i++) {
      int squares = (int) Math.round(gaps.get(i - 1) / pitch);
      for (int k = 1; k < squares; k++) {
        wanted.add(new double[] {lines.get(i - 1)[mid] + gaps.get(i - 1) * (double) k / squares, k * 2 < squares ? i - 1 : i});
      }
    }
    int[] last = lines.get(lines.size() - 1);
    for (double x = last[mid] + pitch; x < g.width - 1 + reach; x += pitch) {
      wanted.add(new double[] {x, lines.size() - 1});
    }
    for (double[] w : wanted) {
      int[] near = lines.get((int) w[1]);
      int[] best = null;
      int bestInked = 0;
      for (int dx = -reach; dx <= reach; dx++) {
        int[] path = new int[g.height];
        int inked = 0;
        for (int y = 0; y < g.height; y++) {
          int x = (int) Math.round(w[0] + dx + near[y] - near[mid]);
          int c = inkNear(g, x, y);
          path[y] = c >= 0 ? c : Math.max(0, Math.min(g.width - 1, x));
          inked += c >= 0 ? 1 : 0;
        }
        if (inked > bestInked) {
          best = path;
          bestInked = inked;
        }
      }
      if (best != null && bestInked >= GRID_SEEN * g.height
          && thinRows(g, best, null, halfWidth, null, 0f) - (g.height - bestInked) >= bestInked / 2) {
        out.add(best);
      }
    }
    return out;
  }

  /** The paths (a column in each row) of the upright lines that {@link #eraseUprightLines} erases. */
  private static List<int[]> uprightLines(GrayImage g, int halfWidth, double missed) {
    int w = g.width;
    int h = g.height;
    List<int[]> lines = new ArrayList<>();
    if (h < 8) {
      return lines;
    }
    int maxShift = (int) Math.ceil(UPRIGHT_LINE_TILT * h);
    for (int x0 = 0; x0 < w; x0++) {
      if (!inkNearTop(g, x0) || !lines.isEmpty() && Math.abs(lines.get(lines.size() - 1)[0] - x0) <= 2) {
        continue; // every such line has ink near the top; one line is found once
      }
      for (int shift = -maxShift; shift <= maxShift; shift++) {
        int[] path = uprightPath(g, x0, shift, (int) (missed * h));
        if (path != null) {
          if (thinRows(g, path, null, halfWidth, null, 0f) >= h / 2) { // a line of the paper is thin wherever it crosses no writing
            lines.add(path);
          }
          break;
        }
      }
    }
    return lines;
  }

  /** The median darkness, as written, of the ink a line's path lies in. */
  private static float darkness(GrayImage g, int[] path, GrayImage dark) {
    float[] seen = new float[path.length];
    int n = 0;
    for (int y = 0; y < path.length; y++) {
      int i = y * g.width + path[y];
      if (g.v[i] >= UPRIGHT_LINE_SEEN) {
        seen[n++] = dark.v[i];
      }
    }
    if (n == 0) {
      return Float.MAX_VALUE;
    }
    Arrays.sort(seen, 0, n);
    return seen[n / 2];
  }

  /**
   * Erases the walls of boxes drawn one for each digit, as forms print them: between two level
   * lines that each run across at least {@link Tuning#BOX_LINE} of the image (the boxes' top and
   * bottom), the upright lines that run from one to the other, {@link Tuning#BOX_WALLS} or more,
   * found and erased as {@link #eraseUprightLines} finds squared paper's from edge to edge; then
   * the two level lines. Each wall was read as a "1" between every two digits: "27176" in five
   * boxes read "12171117161". (Left to the long-line eraser, what was left of the level lines at
   * the edges of a page's strip made its border dark, and the strip was read as light on dark.)
   */
  static boolean eraseBoxWalls(GrayImage g) {
    // A photo turned a little turns the boxes: they are found on a copy sheared level by the
    // slope of the ink's top edge (the top line of the first row of boxes), and erased there.
    int[] shift = shifts(g.width, topSlope(g));
    int low = Arrays.stream(shift).min().orElse(0);
    int high = Arrays.stream(shift).max().orElse(0);
    GrayImage level = new GrayImage(g.width, g.height + high - low);
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        level.v[(y - shift[x] + high) * g.width + x] = g.v[y * g.width + x];
      }
    }
    if (!eraseLevelBoxWalls(level)) {
      return false;
    }
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        g.v[y * g.width + x] = level.v[(y - shift[x] + high) * g.width + x];
      }
    }
    return true;
  }

  /** How far each column is moved up by a shear of {@code slope} rows per column about the middle. */
  private static int[] shifts(int width, double slope) {
    int[] shift = new int[width];
    for (int x = 0; x < width; x++) {
      shift[x] = (int) Math.round(slope * (x - width / 2.0));
    }
    return shift;
  }

  /**
   * The slope (rows per column) of the top edge of the ink, where that edge is a straight line
   * across at least {@link Tuning#BOX_LINE} of the image's columns (within a pixel or two of its
   * least-squares line, up to 4 degrees); else 0.
   */
  private static double topSlope(GrayImage g) {
    List<int[]> tops = new ArrayList<>();
    for (int x = 0; x < g.width; x++) {
      for (int y = 0; y < g.height; y++) {
        if (g.v[y * g.width + x] >= FAINT) { // a form's boxes may be printed in a light grey
          tops.add(new int[] {x, y});
          break;
        }
      }
    }
    if (tops.size() < BOX_LINE * g.width) {
      return 0;
    }
    double mx = tops.stream().mapToDouble(t -> t[0]).average().orElse(0);
    double my = tops.stream().mapToDouble(t -> t[1]).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (int[] t : tops) {
      sxy += (t[0] - mx) * (t[1] - my);
      sxx += (t[0] - mx) * (t[0] - mx);
    }
    double slope = sxx == 0 ? 0 : sxy / sxx;
    long near = tops.stream().filter(t -> Math.abs(t[1] - (my + slope * (t[0] - mx))) <= 2).count();
    return Math.abs(slope) <= 0.07 && near >= 0.9 * tops.size() ? slope : 0;
  }

  /**
   * {@link #eraseBoxWalls} of boxes that stand level: rows whose lines run across half the image
   * or more, then shorter rows (a short field beside longer ones on a form: a day and a month),
   * each taken only when it is closed as a row of boxes is ({@link #closedRow}): the tops of a
   * line of blurred digits and their stems pass for short lines and walls.
   */
  private static boolean eraseLevelBoxWalls(GrayImage g) {
    int length = (int) Math.ceil(BOX_LINE * g.width);
    List<int[]> longLines = levelLines(g, length);
    boolean erased = eraseBoxRows(g, longLines, length, false);
    int shorter = (int) Math.ceil(BOX_ROW * g.width);
    List<int[]> shortLines = levelLines(g, shorter).stream().filter(l -> !among(l, longLines)).toList();
    return eraseBoxRows(g, shortLines, shorter, true) | erased;
  }

  /**
   * Erases the walls between each two of the level {@code lines} (first row, last row; top to
   * bottom) that {@link Tuning#BOX_WALLS} or more upright lines join (and that close a row of
   * boxes, with {@code closed}), and then the two lines' runs at least {@code length} long.
   */
  private static boolean eraseBoxRows(GrayImage g, List<int[]> lines, int length, boolean closed) {
    boolean[] boxed = new boolean[lines.size()];
    for (int i = 0; i + 1 < lines.size(); i++) {
      int top = (lines.get(i)[0] + lines.get(i)[1]) / 2;
      int bottom = (lines.get(i + 1)[0] + lines.get(i + 1)[1]) / 2;
      GrayImage band = new GrayImage(g.width, bottom - top + 1,
          Arrays.copyOfRange(g.v, top * g.width, (bottom + 1) * g.width));
      // A wall is thin beside its box: a photo's blur widens its faint edge past squared paper's width.
      int halfWidth = Math.max(UPRIGHT_LINE_WIDTH, (int) Math.round(BOX_WALL_WIDTH * band.height));
      List<int[]> walls = uprightLines(band, halfWidth, BOX_WALL_GAPS);
      if (walls.size() >= BOX_WALLS && (!closed || closedRow(band, walls, halfWidth, length))) {
        for (int[] path : walls) {
          thinRows(band, path, band.v, halfWidth, null, 0f);
        }
        System.arraycopy(band.v, 0, g.v, top * g.width, band.v.length);
        boxed[i] = boxed[i + 1] = true;
      }
    }
    boolean erased = false;
    for (int i = 0; i < lines.size(); i++) {
      for (int y = lines.get(i)[0]; boxed[i] && y <= lines.get(i)[1]; y++) {
        eraseLevelRuns(g, y, length);
      }
      erased |= boxed[i];
    }
    return erased;
  }

  /** Whether the level line (first row, last row) shares a row with one of {@code lines}. */
  private static boolean among(int[] line, List<int[]> lines) {
    return lines.stream().anyMatch(l -> l[0] <= line[1] && line[0] <= l[1]);
  }

  /**
   * Whether the band's top and bottom lines (its first and last rows) and upright lines close a row
   * of boxes: a wall stands at each end of both lines, and the walls stand evenly, the same
   * distance apart (within {@link Tuning#BOX_PITCH_PLAY}), from 1/{@link Tuning#BOX_SHAPE} to
   * {@link Tuning#BOX_SHAPE} box heights. Paths a few pixels apart are one wall, found twice.
   */
  private static boolean closedRow(GrayImage band, List<int[]> walls, int halfWidth, int length) {
    int near = 2 * halfWidth + 2;
    List<Integer> xs = new ArrayList<>();
    for (int[] path : walls) {
      int x = path[path.length / 2];
      if (xs.isEmpty() || x - xs.get(xs.size() - 1) > near) {
        xs.add(x);
      }
    }
    if (xs.size() < BOX_WALLS) {
      return false;
    }
    for (int y : new int[] {0, band.height - 1}) {
      int[] run = longestRun(band, y);
      if (run[1] - run[0] < length || Math.abs(xs.get(0) - run[0]) > near
          || Math.abs(xs.get(xs.size() - 1) - run[1]) > near) {
        return false;
      }
    }
    List<Integer> apart = new ArrayList<>();
    for (int k = 1; k < xs.size(); k++) {
      apart.add(xs.get(k) - xs.get(k - 1));
    }
    List<Integer> sorted = new ArrayList<>(apart);
    sorted.sort(null);
    double pitch = sorted.get(sorted.size() / 2);
    if (pitch < band.height / BOX_SHAPE || pitch > band.height * BOX_SHAPE) {
      return false;
    }
    return apart.stream().allMatch(d -> Math.abs(d - pitch) <= BOX_PITCH_PLAY * pitch);
  }

  /** The first and last column of the longest run of ink in row {@code y} (a pixel's wobble allowed). */
  private static int[] longestRun(GrayImage g, int y) {
    int[] best = {0, -1};
    for (int x = 0; x < g.width; ) {
      int end = x;
      while (end < g.width && lined(g, end, y)) {
        end++;
      }
      if (end - x > best[1] - best[0] + 1) {
        best = new int[] {x, end - 1};
      }
      x = Math.max(end, x + 1);
    }
    return best;
  }

  /** Erases the runs of ink at least {@code length} long in row {@code y} and the rows beside it. */
  private static void eraseLevelRuns(GrayImage g, int y, int length) {
    for (int x = 0; x < g.width; ) {
      int end = x;
      while (end < g.width && lined(g, end, y)) {
        end++;
      }
      if (end - x >= length) {
        for (int yy = Math.max(0, y - 1); yy <= Math.min(g.height - 1, y + 1); yy++) {
          Arrays.fill(g.v, yy * g.width + x, yy * g.width + end, 0f);
        }
      }
      x = Math.max(end, x + 1);
    }
  }

  /** Whether there is ink at (x, y) or a pixel above or below it: a level line's, a pixel's wobble allowed. */
  private static boolean lined(GrayImage g, int x, int y) {
    return inked(g, x, y, UPRIGHT_LINE_SEEN) || inked(g, x, y - 1, UPRIGHT_LINE_SEEN)
        || inked(g, x, y + 1, UPRIGHT_LINE_SEEN);
  }

  /**
   * The level lines of the image, as (first row, last row): rows holding a run of ink at least
   * {@code length} long, a pixel's wobble up or down allowed.
   */
  private static List<int[]> levelLines(GrayImage g, int length) {
    List<int[]> lines = new ArrayList<>();
    for (int y = 0; y < g.height; y++) {
      int run = 0;
      boolean lined = false;
      for (int x = 0; x < g.width && !lined; x++) {
        run = lined(g, x, y) ? run + 1 : 0;
        lined = run >= length;
      }
      if (lined && !lines.isEmpty() && lines.get(lines.size() - 1)[1] == y - 1) {
        lines.get(lines.size() - 1)[1] = y;
      } else if (lined) {
        lines.add(new int[] {y, y});
      }
    }
    return lines;
  }

  /**
   * How many rows of the image the path crosses where the ink it lies in is thin (at most
   * {@code halfWidth} pixels either side of it) or absent; with {@code erase}
   * (the image's pixels), that thin ink is erased, but for pixels of {@code dark} darker than
   * {@code spare} (where {@code dark} is given), and, where {@code dark} is given, only the line's
   * own width of a row whose ink is wider ({@link #ownWidth}, about {@link #lineCentre}).
   */
  private static int thinRows(GrayImage g, int[] path, float[] erase, int halfWidth, GrayImage dark, float spare) {
    int w = g.width;
    int thin = 0;
    int[] left = new int[g.height];
    int[] right = new int[g.height];
    Arrays.fill(right, -1); // no thin ink in the row
    for (int y = 0; y < g.height; y++) {
      if (g.v[y * w + path[y]] < UPRIGHT_LINE_SEEN) {
        thin++; // a gap in the line
        continue;
      }
      int l = path[y];
      int r = path[y];
      while (l > 0 && g.v[y * w + l - 1] >= UPRIGHT_LINE_SEEN) {
        l--;
      }
      while (r < w - 1 && g.v[y * w + r + 1] >= UPRIGHT_LINE_SEEN) {
        r++;
      }
      if (r - l + 1 <= 2 * halfWidth + 1) {
        thin++;
        left[y] = l;
        right[y] = r;
      }
    }
    if (erase != null) {
      int own = dark == null ? 0 : ownWidth(left, right); // without the darkness as written, as before: all of it
      for (int y = 0; y < g.height; y++) {
        int l = left[y];
        int r = right[y];
        if (own > 0 && r - l + 1 > own + 1) { // a stroke along the line: only the line's own width of it goes
          double centre = lineCentre(left, right, path, y, own);
          l = Math.max(l, (int) Math.round(centre - (own - 1) / 2.0));
          r = Math.min(r, l + own - 1);
        }
        for (int i = y * w + l; r >= 0 && i <= y * w + r; i++) {
          if (dark == null || dark.v[i] <= spare) {
            erase[i] = 0f;
          }
        }
      }
    }
    return thin;
  }

  /** The line's own width: the median width of the thin ink along it (most of its rows cross no writing). */
  private static int ownWidth(int[] left, int[] right) {
    int[] widths = new int[left.length];
    int n = 0;
    for (int y = 0; y < left.length; y++) {
      if (right[y] >= 0) {
        widths[n++] = right[y] - left[y] + 1;
      }
    }
    if (n == 0) {
      return 0;
    }
    Arrays.sort(widths, 0, n);
    return widths[n / 2];
  }

  /**
   * Where the middle of the line runs in row {@code y}, where a stroke along it widens its ink:
   * between the middles of its ink in the nearest rows above and below where it is its own width
   * (the path itself wanders into the stroke), or in the nearest one, on one side only.
   */
  private static double lineCentre(int[] left, int[] right, int[] path, int y, int own) {
    int above = y - 1;
    while (above >= 0 && !alone(left, right, above, own)) {
      above--;
    }
    int below = y + 1;
    while (below < left.length && !alone(left, right, below, own)) {
      below++;
    }
    double up = above < 0 ? Double.NaN : (left[above] + right[above]) / 2.0;
    double down = below >= left.length ? Double.NaN : (left[below] + right[below]) / 2.0;
    if (Double.isNaN(up) && Double.isNaN(down)) {
      return path[y];
    }
    if (Double.isNaN(up) || Double.isNaN(down)) {
      return Double.isNaN(up) ? down : up;
    }
    return up + (down - up) * (y - above) / (below - above);
  }

  /** Whether the line's thin ink in row {@code y} is no wider than its own width: no stroke along it there. */
  private static boolean alone(int[] left, int[] right, int y, int own) {
    return right[y] >= 0 && right[y] - left[y] + 1 <= own;
  }

  /**
   * On squared paper ({@link #eraseUprightLines} found its upright lines), erases its level lines
   * too, found and erased as those are, from the left edge to the right: on a page they run
   * through the writing wherever the squares are as tall as the digits, and would be taken for a
   * ruling under them. (On ruled paper alone, nothing here changes: its lines are rulings.)
   */
  static void eraseLevelLines(GrayImage g, GrayImage dark) {
    GrayImage turned = transposed(g);
    eraseUprightLines(turned, dark == null ? null : transposed(dark));
    GrayImage back = transposed(turned);
    System.arraycopy(back.v, 0, g.v, 0, g.v.length);
  }

  private static GrayImage transposed(GrayImage g) {
    float[] v = new float[g.v.length];
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        v[x * g.height + y] = g.v[y * g.width + x];
      }
    }
    return new GrayImage(g.height, g.width, v);
  }

  /** Whether column {@code x} has ink within {@link #uprightGap} rows of the top. */
  private static boolean inkNearTop(GrayImage g, int x) {
    for (int y = 0; y <= uprightGap(g) && y < g.height; y++) {
      if (g.v[y * g.width + x] >= UPRIGHT_LINE_SEEN) {
        return true;
      }
    }
    return false;
  }

  /**
   * The most rows on end that a line of squared paper may show no ink, at the edges too: where
   * the paper's level lines crossed it, the ruled-line eraser has already taken a few rows.
   */
  private static int uprightGap(GrayImage g) {
    return Math.max(UPRIGHT_LINE_GAP, (int) Math.round(0.06 * Math.min(g.width, g.height)));
  }

  /**
   * The column of ink in each row along the straight path from ({@code x0}, top) leaning
   * {@code shift} columns by the bottom, a pixel's wobble either way; null where the path leaves
   * the ink for more than {@link #uprightGap} rows on end, or for more than {@code missed} rows in
   * all between its ends (a column of digits stacked in a list leaves it between every two lines;
   * at the ends, a level line that crossed it was erased with a few of its rows: a box's).
   */
  private static int[] uprightPath(GrayImage g, int x0, int shift, int missed) {
    int[] path = new int[g.height];
    int gap = 0;
    int skipped = 0;
    boolean seen = false;
    for (int y = 0; y < g.height; y++) {
      int x = x0 + (int) Math.round((double) shift * y / (g.height - 1));
      path[y] = inkNear(g, x, y);
      if (path[y] >= 0) {
        skipped += seen ? gap : 0; // rows missed at the ends are where a level line crossed and went
        seen = true;
        gap = 0;
      } else {
        gap++;
      }
      if (gap > uprightGap(g) || skipped > missed) {
        return null;
      }
      if (path[y] < 0) {
        path[y] = Math.max(0, Math.min(g.width - 1, x)); // no ink here: nothing to erase
      }
    }
    return path;
  }

  /** The column of ink in row {@code y} at {@code x} or a pixel either side (its own column first), or -1. */
  private static int inkNear(GrayImage g, int x, int y) {
    for (int c : new int[] {x, x + 1, x - 1}) {
      if (c >= 0 && c < g.width && g.v[y * g.width + c] >= UPRIGHT_LINE_SEEN) {
        return c;
      }
    }
    return -1;
  }

  /** A copy of {@code g} without its drawn lines (see {@link FaintInk#liftFaintPieces}), to cut it into pieces. */
  static GrayImage withoutDrawnLines(GrayImage g, int longLine, double slope) {
    GrayImage copy = new GrayImage(g.width, g.height, g.v.clone());
    eraseDrawnLines(copy, longLine, FAINT, slope);
    return copy;
  }

  /**
   * Erases runs of ink longer than {@code length} along a row, or along a slope of up to
   * {@link Tuning#LONG_LINE_SLOPE} (a line of ruled paper or an underline in a photo taken a few
   * degrees askew): the path of a run is followed one column at a time, so a line one or two
   * pixels thick is erased by the paths that run inside it (a sloped run only where it is thin);
   * strokes crossing it lose only its thickness. Slopes are tried only when some piece is that
   * long ({@code longPiece}).
   */
  static boolean eraseLongLines(GrayImage g, int length, boolean longPiece) {
    boolean erased = eraseRuns(g, length, 0, 0.5f, false);
    int steps = longPiece ? (int) Math.round(LONG_LINE_SLOPE / LONG_LINE_SLOPE_STEP) : 0;
    for (int k = 1; k <= steps; k++) {
      erased |= eraseRuns(g, length, k * LONG_LINE_SLOPE_STEP, 0.5f, true);
      erased |= eraseRuns(g, length, -k * LONG_LINE_SLOPE_STEP, 0.5f, true);
    }
    return erased;
  }

  /**
   * Erases every run of ink of at least {@code level} longer than {@code length}, along paths
   * within two slope steps ({@link Tuning#LONG_LINE_SLOPE_STEP}) of {@code slope}, however thick
   * the line it lies in: only to tell drawn lines from writing, since strokes that cross them lose
   * the lines' whole thickness. (Every slope up to 5 degrees would take 50 ms on a page; the ruling
   * runs with the writing.)
   */
  private static void eraseDrawnLines(GrayImage g, int length, float level, double slope) {
    float[] before = g.v.clone();
    long near = Math.round(slope / LONG_LINE_SLOPE_STEP);
    for (long k = near - 2; k <= near + 2; k++) {
      eraseRuns(g, length, k * LONG_LINE_SLOPE_STEP, level, false);
    }
    // And the soft edges of those lines, whose short runs along a turned line no path follows far.
    for (int i = 0; i < before.length; i++) {
      if (before[i] >= level && g.v[i] == 0f) {
        for (int dy = -2; dy <= 2; dy++) {
          int j = i + dy * g.width;
          if (j >= 0 && j < before.length) {
            g.v[j] = 0f;
          }
        }
      }
    }
  }

  /**
   * Erases the runs of ink (at least {@code level}) longer than {@code length} along paths of the
   * given slope (rows per column); with {@code thinOnly}, only where the line they lie in is thin.
   */
  private static boolean eraseRuns(GrayImage g, int length, double slope, float level, boolean thinOnly) {
    boolean erased = false;
    int rise = (int) Math.ceil(Math.abs(slope) * g.width);
    int[] offset = new int[g.width];
    for (int x = 0; x < g.width; x++) {
      offset[x] = (int) Math.round(slope * x);
    }
    int[] path = new int[g.width];
    for (int start = slope > 0 ? -rise : 0; start < g.height + (slope < 0 ? rise : 0); start++) {
      for (int x = 0; x < g.width; x++) {
        path[x] = start + offset[x];
      }
      for (int x = 0; x < g.width; ) {
        if (!inked(g, x, path[x], level)) {
          x++;
          continue;
        }
        int end = x;
        while (end < g.width && inked(g, end, path[end], level)) {
          end++;
        }
        if (end - x > length && (!thinOnly || thin(g, path, x, end, level))) {
          for (int i = x; i < end; i++) {
            g.v[path[i] * g.width + i] = 0f;
          }
          erased = true;
        }
        x = end;
      }
    }
    return erased;
  }

  /**
   * Whether a run along a sloped path is a thin line: in most of its columns there is paper
   * within {@link Tuning#THIN_LINE} pixels above it or below it, as along a ruled line and not
   * through the heart of digits that overlap.
   */
  private static boolean thin(GrayImage g, int[] path, int from, int to, float level) {
    int open = 0;
    for (int x = from; x < to; x++) {
      open += !inked(g, x, path[x] - THIN_LINE, level) || !inked(g, x, path[x] + THIN_LINE, level) ? 1 : 0;
    }
    return open >= 0.8 * (to - from);
  }

  private static boolean inked(GrayImage g, int x, int y, float level) {
    return y >= 0 && y < g.height && g.v[y * g.width + x] >= level;
  }
}
