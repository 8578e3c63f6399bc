package dev.digits.numbers;

import static dev.digits.numbers.Tuning.*;

import dev.digits.imaging.Box;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.GrayImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pieces of ink of a line: connected components with their faint fringe (each digit's own
 * contrast is {@link FaintInk}'s), the dots of a hairline stroke joined, specks and dots dropped.
 * Pieces live in a label image: {@code label[i]} is the piece (1, 2, ...) that pixel {@code i}
 * belongs to.
 */
final class InkPieces {
  private InkPieces() {}

  /**
   * Labels the 8-connected components of ink (values of at least 0.5), then gives each unlabelled
   * pixel with some ink (the anti-aliased fringe) the label of a neighbour, so a digit keeps its
   * soft edges when it is cut out. Labels start at 1; the list is indexed by label - 1.
   */
  static List<Piece> components(GrayImage g, int[] label) {
    return components(g, label, 0.5f);
  }

  /** {@link #components(GrayImage, int[])} of the ink at {@code level} and above. */
  static List<Piece> components(GrayImage g, int[] label, float level) {
    int w = g.width;
    int hgt = g.height;
    int next = g.labelComponents(level, label);
    int[] grown = label.clone();
    for (int y = 0; y < hgt; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        if (label[p] != 0 || g.v[p] <= 0f) {
          continue;
        }
        for (int dy = -1; dy <= 1 && grown[p] == 0; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int qx = x + dx;
            int qy = y + dy;
            if (qx >= 0 && qy >= 0 && qx < w && qy < hgt && label[qy * w + qx] != 0) {
              grown[p] = label[qy * w + qx];
              break;
            }
          }
        }
      }
    }
    System.arraycopy(grown, 0, label, 0, label.length);
    List<Piece> comps = new ArrayList<>(next);
    for (int id = 1; id <= next; id++) {
      comps.add(new Piece(id, 0, null, null));
    }
    for (int y = 0; y < hgt; y++) {
      for (int x = 0; x < w; x++) {
        int id = label[y * w + x];
        if (id != 0) {
          add(comps.get(id - 1), x, y);
        }
      }
    }
    return comps;
  }

  static void add(Piece c, int x, int y) {
    c.area++;
    c.x0 = Math.min(c.x0, x);
    c.y0 = Math.min(c.y0, y);
    c.x1 = Math.max(c.x1, x);
    c.y1 = Math.max(c.y1, y);
  }

  /**
   * Joins small pieces that lie within {@link #MIN_FRAGMENT_GAP} pixels of each other into one: a
   * hairline stroke (a fine pen, written lightly) comes out of anti-aliasing as a dotted line, and
   * its dots would each be dropped as a speck. Dots further apart (up to {@link #FRAGMENT_GAP}
   * line heights, at most {@link #MAX_FRAGMENT_GAP} pixels) are joined too when all they join
   * makes no more than a digit's size, of at most {@link #MAX_FRAGMENTS} pieces: a light pencil
   * stroke, not the specks of a noisy photo (which would join into one blob across the image).
   * Only small pieces are joined, so that digits which nearly touch stay apart. Relabels
   * {@code label} and returns the pieces.
   */
  static List<Piece> joinFragments(GrayImage g, int[] label, List<Piece> comps, double h) {
    boolean[] small = new boolean[comps.size() + 1];
    for (Piece c : comps) {
      small[c.comp] = Math.max(c.width(), c.height()) < DOT * h;
    }
    int[] parent = unite(g, label, small, MIN_FRAGMENT_GAP, identity(comps.size() + 1));
    int wide = Math.min(MAX_FRAGMENT_GAP, (int) Math.round(FRAGMENT_GAP * h));
    if (wide > MIN_FRAGMENT_GAP) {
      int[] further = unite(g, label, small, wide, parent.clone());
      int[][] box = new int[parent.length][]; // x0, y0, x1, y1 of each wider group
      int[] members = new int[parent.length];
      for (Piece c : comps) {
        int r = find(further, c.comp);
        members[r]++;
        box[r] = box[r] == null ? new int[] {c.x0, c.y0, c.x1, c.y1}
            : new int[] {Math.min(box[r][0], c.x0), Math.min(box[r][1], c.y0), Math.max(box[r][2], c.x1), Math.max(box[r][3], c.y1)};
      }
      for (Piece c : comps) {
        int[] b = box[find(further, c.comp)];
        if (members[find(further, c.comp)] <= MAX_FRAGMENTS && b[2] - b[0] + 1 <= MAX_DIGIT_WIDTH * h
            && b[3] - b[1] + 1 <= FRAGMENT_GROUP_HEIGHT * h) {
          int a = find(parent, c.comp);
          int r = find(parent, find(further, c.comp));
          if (a != r) {
            parent[a] = r;
          }
        }
      }
    }
    boolean joined = false;
    for (int id = 1; id < parent.length && !joined; id++) {
      joined = find(parent, id) != id;
    }
    if (!joined) {
      return comps;
    }
    int[] newId = new int[parent.length];
    int next = 0;
    for (int id = 1; id < parent.length; id++) {
      int root = find(parent, id);
      if (newId[root] == 0) {
        newId[root] = ++next;
      }
      newId[id] = newId[root];
    }
    List<Piece> out = new ArrayList<>(next);
    for (int id = 1; id <= next; id++) {
      out.add(new Piece(id, 0, null, null));
    }
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        int i = y * g.width + x;
        if (label[i] != 0) {
          label[i] = newId[label[i]];
          add(out.get(label[i] - 1), x, y);
        }
      }
    }
    return out;
  }

  private static int[] identity(int n) {
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    return parent;
  }

  /** Unites, in {@code parent}, the small pieces with pixels within {@code gap} of each other (both directions). */
  private static int[] unite(GrayImage g, int[] label, boolean[] small, int gap, int[] parent) {
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        int a = label[y * g.width + x];
        if (a == 0 || !small[a]) {
          continue;
        }
        for (int dy = 0; dy <= gap; dy++) {
          for (int dx = -gap; dx <= gap; dx++) {
            int qx = x + dx;
            int qy = y + dy;
            if (qx < 0 || qy >= g.height || qx >= g.width) {
              continue;
            }
            int b = label[qy * g.width + qx];
            if (b != 0 && b != a && small[b] && find(parent, a) != find(parent, b)) {
              parent[find(parent, a)] = find(parent, b);
            }
          }
        }
      }
    }
    return parent;
  }

  static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** The large pieces: at least 15% of the largest one's area, and not flat. */
  static List<Piece> large(List<Piece> comps) {
    int maxArea = comps.stream().mapToInt(c -> c.area).max().orElse(0);
    return comps.stream().filter(c -> c.area >= 0.15 * maxArea && c.width() <= 3 * c.height()).toList();
  }

  /**
   * The line's height: the median height of its large pieces, or, where digits are in pieces
   * (a broken stroke halves a digit's height), the height of the band that holds the line's ink
   * (2% to 98% of the ink of the pieces that are not specks), whichever is larger.
   */
  static double lineHeight(List<Piece> comps, int[] label, int width) {
    int[] heights = large(comps).stream().mapToInt(Piece::height).sorted().toArray();
    if (heights.length == 0) {
      return Math.max(1, comps.stream().mapToInt(Piece::height).max().orElse(1));
    }
    int maxArea = comps.stream().mapToInt(c -> c.area).max().orElse(0);
    int rows = label.length / width;
    long[] inkPerRow = new long[rows];
    long total = 0;
    for (int i = 0; i < label.length; i++) {
      if (label[i] != 0 && comps.get(label[i] - 1).area >= 0.05 * maxArea) {
        inkPerRow[i / width]++;
        total++;
      }
    }
    int top = 0;
    int bottom = rows - 1;
    for (long seen = 0; top < rows && (seen += inkPerRow[top]) < 0.02 * total; top++) { }
    for (long seen = 0; bottom > 0 && (seen += inkPerRow[bottom]) < 0.02 * total; bottom--) { }
    return Math.max(1, Math.max(heights[heights.length / 2], bottom - top + 1));
  }

  /**
   * A piece not read as (part of) a digit, and why; {@code beside} when it lies beside the digits,
   * within the line (a dot, a small mark), where the line reader still sees it.
   */
  record Dropped(Piece piece, String reason, boolean beside) {}

  /**
   * Drops what is not part of a digit: specks (a hundredth of the largest piece), small pieces
   * (dots, decimal points, dirt) that lie beside the digits rather than within their columns or
   * far above or below the line, and a flat piece under the line (a short underline). With
   * {@code judge}, a small stroke beside the digits is kept when the one-digit model is sure it is
   * a digit written small ({@link Tuning#SMALL_DIGIT}).
   */
  static List<Piece> withoutSpecks(List<Piece> comps, double h, List<Dropped> dropped, GrayImage g, int[] label,
      boolean judge) {
    int maxArea = comps.stream().mapToInt(c -> c.area).max().orElse(0);
    // The line's band is where its large pieces lie. Where every large piece is wider than a
    // digit (the whole number written in one joined stroke, or touching digits), they are the line.
    List<Piece> large = large(comps);
    if (large.isEmpty()) {
      large = comps.stream().filter(c -> c.area >= 0.15 * maxArea).toList();
    }
    double top = median(large.stream().mapToInt(c -> c.y0).toArray());
    double bottom = median(large.stream().mapToInt(c -> c.y1).toArray());
    List<Piece> kept = new ArrayList<>();
    List<Piece> smallStrokes = new ArrayList<>();
    for (Piece c : comps) {
      if (c.area < Math.max(3, 0.01 * maxArea)) {
        continue; // a speck: not listed (a photo of paper has hundreds)
      }
      boolean small = Math.max(c.width(), c.height()) < DOT * h;
      boolean outsideLine = c.y1 < top - 0.25 * h || c.y0 > bottom + 0.25 * h;
      if (small && (outsideLine || large.stream().noneMatch(l -> overlap(c, l) >= 0.5 * c.width()))) {
        if (judge && !outsideLine && c.height() >= SMALL_DIGIT * h && c.height() >= 4
            && (c.area < SMALL_DIGIT_FILL * c.width() * c.height() || c.height() >= SMALL_DIGIT_UPRIGHT * c.width())) {
          smallStrokes.add(c); // a stroke (open, or upright like a 1), not a blot: perhaps a digit written small
        } else {
          dropped.add(new Dropped(c, outsideLine ? "a small mark above or below the line" : "a dot beside the digits",
              !outsideLine));
        }
        continue;
      }
      boolean underline = c.height() < 0.25 * h && c.width() >= 0.5 * h && c.y0 >= bottom - 0.05 * h;
      if (underline || (outsideLine && !large.contains(c))) {
        dropped.add(new Dropped(c, underline ? "an underline" : "a mark above or below the line", false));
        continue;
      }
      kept.add(c);
    }
    if (!smallStrokes.isEmpty()) {
      // The one-digit model decides, at a digit's size, whether each small stroke is a digit.
      List<float[]> inputs = new ArrayList<>();
      for (Piece c : smallStrokes) {
        inputs.add(DigitPreprocessor.modelInputs(crop(g, label, List.of(c), Box.corners(c.x0, c.y0, c.x1, c.y1)), true).get(0));
      }
      float[] notOne = OneDigitJudge.notOneDigit(inputs);
      for (int k = 0; k < smallStrokes.size(); k++) {
        if (notOne[k] < SMALL_DIGIT_DOUBT) {
          kept.add(smallStrokes.get(k));
        } else {
          dropped.add(new Dropped(smallStrokes.get(k), "a mark beside the digits that is not a digit", true));
        }
      }
    }
    return kept;
  }

  static double median(int[] values) {
    if (values.length == 0) {
      return 0;
    }
    int[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  static int overlap(Piece a, Piece b) {
    return Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) + 1);
  }

  /** The pixels of some pieces (and nothing else of what lies in their box), cut out. */
  static GrayImage crop(GrayImage g, int[] label, List<Piece> pieces, Box box) {
    int w = box.width();
    int hgt = box.height();
    GrayImage out = new GrayImage(w, hgt);
    for (Piece p : pieces) {
      for (int y = p.y0; y <= p.y1; y++) {
        for (int x = p.x0; x <= p.x1; x++) {
          int i = y * g.width + x;
          if (label[i] == p.comp && p.holds(x, y)) {
            out.v[(y - box.y()) * w + (x - box.x())] = g.v[i];
          }
        }
      }
    }
    return out;
  }
}
