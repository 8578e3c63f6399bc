package dev.digits.numbers;

import static dev.digits.numbers.InkPieces.components;
import static dev.digits.numbers.InkPieces.crop;
import static dev.digits.numbers.InkPieces.find;
import static dev.digits.numbers.Tuning.*;

import dev.digits.imaging.Box;
import dev.digits.imaging.DigitPreprocessor;
import dev.digits.imaging.GrayImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ink written with a fainter pen than the rest: each piece given its own contrast, and the pieces
 * with nowhere a stroke's contrast (a pencilled digit beside inked ones, or the paper's shading)
 * lifted only where the one-digit model takes them, alone or together, for a digit. What it takes
 * for no digit where a digit would stand is returned, to be listed as skipped.
 */
final class FaintInk {
  private FaintInk() {}

  /**
   * Gives every digit its own contrast: contrast was normalized over the whole line, so a digit
   * written with a finer or lighter pen than its neighbours is faint, and at a single digit's ink
   * level it would break up or vanish. Each piece of ink found at a low level is scaled so that its
   * own typical (median) ink is 1. Leaves {@code label} cleared. Returns the faint ink left
   * faint where a digit would stand (as tall as the bold digits beside it), which the one-digit
   * model took for no digit: to be listed as skipped, not lost in silence.
   */
  static List<Piece> evenOutInk(GrayImage g, int[] label, boolean judge) {
    return evenOutInk(g, label, judge, Float.POSITIVE_INFINITY, 0);
  }

  /**
   * Gives a piece written with a fainter pen than the rest of a page its own contrast, leaving
   * the rest as it is: most of a pencilled digit's ink among bold ones falls short of half the
   * page's, so it would break into crumbs or vanish (a light pencil's median ink is 0.35-0.45 of a
   * marker's). A piece whose typical ink reaches half is left alone, and so is one lower than
   * {@code minHeight} (a crumb of a faint ruled line the eraser below missed), and so is one that
   * reaches the image's edge: what is left of a ruling that runs off the page, or the shadow at a
   * photo's edge (lifted, a stub of ruling joined the "17" of a "917" standing on it and the line
   * read "9"; a digit cut by the edge is no whole digit to lift).
   *
   * <p>Drawn lines (runs longer than {@code longLine} along about the writing's {@code slope}, in
   * rows per column: ruled paper, an underline) are left out of the judgement and are not lifted:
   * lifted, a faint ruling would join every digit standing on it, and counted, it would make the
   * digits touching it look faint. The judgement is made on a copy with them erased; each pixel
   * of the page is then lifted as much as its piece was on the copy. Leaves {@code label} cleared.
   */
  static void liftFaintPieces(GrayImage g, int[] label, int longLine, double slope, int minHeight) {
    GrayImage probe = DrawnLines.withoutDrawnLines(g, longLine, slope);
    float[] before = probe.v.clone();
    evenOutInk(probe, label, true, 0.5f, minHeight);
    for (int i = 0; i < g.v.length; i++) {
      if (probe.v[i] > before[i]) {
        g.v[i] = Math.min(1f, g.v[i] * probe.v[i] / before[i]);
      }
    }
  }

  /**
   * {@link #evenOutInk(GrayImage, int[], boolean)} of the pieces whose typical ink is under
   * {@code below} and that are {@code minHeight} pixels high or more (and, lifting a page's faint
   * pieces, do not reach the image's edge).
   */
  private static List<Piece> evenOutInk(GrayImage g, int[] label, boolean judge, float below, int minHeight) {
    boolean lift = below < 1; // a page's faint pieces lifted, not a line's ink evened out
    List<Piece> faint = components(g, label, FAINT);
    float[][] values = new float[faint.size()][];
    int[] count = new int[faint.size()];
    for (Piece p : faint) {
      values[p.comp - 1] = new float[p.area];
    }
    for (int i = 0; i < label.length; i++) {
      if (label[i] != 0 && g.v[i] >= FAINT) {
        values[label[i] - 1][count[label[i] - 1]++] = g.v[i];
      }
    }
    float[] scale = new float[faint.size()];
    List<Integer> doubtful = new ArrayList<>();
    List<Integer> bits = new ArrayList<>();
    List<Integer> anchors = new ArrayList<>();
    for (int c = 0; c < scale.length; c++) {
      float[] v = Arrays.copyOf(values[c], count[c]);
      Arrays.sort(v);
      float typical = v.length == 0 ? 1 : v[v.length / 2];
      float peak = v.length == 0 ? 0 : v[v.length - 1];
      if (typical >= below || faint.get(c).height() < minHeight || (lift && touchesBorder(faint.get(c), g))) {
        scale[c] = 1f;
        continue;
      }
      scale[c] = Math.max(1f, 1f / Math.max(typical, FAINT));
      if (peak < STROKE) {
        // Nowhere a stroke's contrast: shading of the paper, or a digit written with a much fainter
        // pen than its neighbours. The one-digit model tells them apart (a light pencil "1" beside
        // bold digits would otherwise vanish); without it, such a piece stays as faint as it is.
        if (judge) {
          bits.add(c);
          if (peak >= FAINT_DIGIT && faint.get(c).height() >= 4) {
            doubtful.add(c);
          }
        }
      } else if (judge && peak < FAINT_ANCHOR) {
        anchors.add(c);
      }
    }
    float[] wanted = scale.clone();
    for (int c : bits) {
      scale[c] = 1f; // until the one-digit model says it is (part of) a digit
    }
    List<Piece> leftFaint = new ArrayList<>();
    if (!bits.isEmpty()) {
      leftFaint = judgeFaint(g, label, faint, bits, anchors, doubtful, wanted, scale);
      if (lift) {
        besideLifted(faint, doubtful, scale, wanted);
      }
    }
    for (int i = 0; i < label.length; i++) {
      if (label[i] != 0) {
        g.v[i] = Math.min(1f, g.v[i] * scale[label[i] - 1]);
      }
    }
    Arrays.fill(label, 0);
    return leftFaint;
  }

  /**
   * A faint line is lifted whole: a broken stroke of it that the one-digit model doubts alone (a
   * part of a digit is no digit) goes with a lifted piece it stands beside, at its height and
   * within a digit's height of it, and so on along the line. Judged part by part, a pencilled
   * "1126939" broken at the faint level kept only its lifted "6939", and the layout's line ended
   * where the lifted ink did.
   */
  private static void besideLifted(List<Piece> faint, List<Integer> doubtful, float[] scale, float[] wanted) {
    java.util.ArrayDeque<Integer> lifted = new java.util.ArrayDeque<>();
    for (int c = 0; c < scale.length; c++) {
      if (scale[c] > 1f) {
        lifted.add(c);
      }
    }
    while (!lifted.isEmpty()) {
      Piece q = faint.get(lifted.poll());
      for (int c : doubtful) {
        Piece p = faint.get(c);
        if (scale[c] == 1f && Math.min(p.y1, q.y1) - Math.max(p.y0, q.y0) >= 0.5 * p.height()
            && Math.max(p.x0 - q.x1, q.x0 - p.x1) <= q.height()) {
          scale[c] = wanted[c];
          lifted.add(c);
        }
      }
    }
  }

  /**
   * Asks the one-digit model which faint pieces are digits, and gives those their {@code wanted}
   * contrast in {@code scale}: first each group of {@code bits} that may make one digit together
   * ({@link #strokesTogether}; a lone bit only if it is {@code doubtful}, faint but high enough to
   * be a digit alone), then, of a group that is no digit together, each doubtful member alone.
   */
  private static List<Piece> judgeFaint(GrayImage g, int[] label, List<Piece> faint, List<Integer> bits, List<Integer> anchors,
      List<Integer> doubtful, float[] wanted, float[] scale) {
    boolean[] bit = new boolean[faint.size()];
    bits.forEach(c -> bit[c] = true);
    boolean[] faintPen = bit.clone();
    anchors.forEach(c -> faintPen[c] = true);
    List<Integer> members = new ArrayList<>(bits);
    members.addAll(anchors);
    int tallest = 0;
    for (int c = 0; c < faint.size(); c++) {
      if (!faintPen[c]) {
        tallest = Math.max(tallest, faint.get(c).height());
      }
    }
    if (tallest == 0) {
      tallest = bits.stream().mapToInt(c -> faint.get(c).height()).max().orElse(0);
    }
    double least = FAINT_GROUP_HEIGHT * tallest;
    boolean[] alsoAlone = new boolean[faint.size()];
    doubtful.forEach(c -> alsoAlone[c] = true);
    List<List<Integer>> groups = strokesTogether(faint, members, FAINT_JOIN * tallest, g).stream()
        .filter(gr -> gr.stream().anyMatch(c -> bit[c]))
        .filter(gr -> gr.size() > 1 ? outline(faint, gr).height() >= Math.max(4, least) : alsoAlone[gr.get(0)]).toList();
    if (groups.isEmpty()) {
      return List.of();
    }
    float[] notOne = OneDigitJudge.notOneDigit(groups.stream().map(gr -> judged(g, label, faint, gr, wanted)).toList());
    List<Integer> alone = new ArrayList<>();
    for (int k = 0; k < groups.size(); k++) {
      boolean tall = groups.get(k).size() <= FAINT_GROUP_BITS && asTallAsItsNeighbours(faint, groups.get(k), faintPen);
      if (notOne[k] < (tall ? FAINT_TALL_DOUBT : FAINT_DIGIT_DOUBT)) {
        groups.get(k).forEach(c -> scale[c] = wanted[c]);
      } else if (groups.get(k).size() > 1) {
        groups.get(k).stream().filter(c -> alsoAlone[c]).forEach(alone::add); // perhaps one of them is a digit alone
      }
    }
    if (!alone.isEmpty()) {
      float[] notOneAlone = OneDigitJudge.notOneDigit(alone.stream().map(c -> judged(g, label, faint, List.of(c), wanted)).toList());
      for (int k = 0; k < alone.size(); k++) {
        if (notOneAlone[k] < FAINT_DIGIT_DOUBT) {
          scale[alone.get(k)] = wanted[alone.get(k)];
        }
      }
    }
    List<Piece> leftFaint = new ArrayList<>();
    for (List<Integer> group : groups) {
      if (group.stream().allMatch(c -> bit[c] && scale[c] == 1f) && asTallAsItsNeighbours(faint, group, faintPen)) {
        leftFaint.add(outline(faint, group));
      }
    }
    return leftFaint;
  }

  /** A piece that is only a box around a group of pieces (no pixels of its own: {@code comp} 0). */
  private static Piece outline(List<Piece> faint, List<Integer> group) {
    Piece out = new Piece(0, 0, null, null);
    for (int c : group) {
      Piece p = faint.get(c);
      out.x0 = Math.min(out.x0, p.x0);
      out.y0 = Math.min(out.y0, p.y0);
      out.x1 = Math.max(out.x1, p.x1);
      out.y1 = Math.max(out.y1, p.y1);
      out.area += p.area;
    }
    return out;
  }

  /**
   * Faint pieces in groups that may make one digit together: a faint pen's stroke breaks into
   * bits at the faint level (a pencilled "5" into its flag and its belly, a light "1" into dashes),
   * and no bit alone is a digit to the one-digit model, so each was left faint and the digit
   * vanished. Pieces join when the blank between their boxes is at most {@code reach}; a piece
   * within {@link Tuning#FAINT_EDGE} of a digit's height from the image's edge joins none (a
   * photo's dark rim, what is left of a box's wall: joined, their bits passed for a "1" or an "8").
   */
  private static List<List<Integer>> strokesTogether(List<Piece> faint, List<Integer> pieces, double reach, GrayImage g) {
    int margin = (int) Math.ceil(FAINT_EDGE * reach / FAINT_JOIN);
    int n = pieces.size();
    int[] group = new int[n];
    boolean[] atEdge = new boolean[n];
    for (int k = 0; k < n; k++) {
      group[k] = k;
      atEdge[k] = nearEdge(faint.get(pieces.get(k)), g, margin);
    }
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n && !atEdge[a]; b++) {
        Piece p = faint.get(pieces.get(a));
        Piece q = faint.get(pieces.get(b));
        boolean close = Math.max(p.x0 - q.x1, q.x0 - p.x1) <= reach && Math.max(p.y0 - q.y1, q.y0 - p.y1) <= reach;
        if (close && !atEdge[b]) {
          int ra = find(group, a);
          int rb = find(group, b);
          group[Math.max(ra, rb)] = Math.min(ra, rb);
        }
      }
    }
    java.util.Map<Integer, List<Integer>> byRoot = new java.util.TreeMap<>();
    for (int k = 0; k < n; k++) {
      byRoot.computeIfAbsent(find(group, k), r -> new ArrayList<>()).add(pieces.get(k));
    }
    return new ArrayList<>(byRoot.values());
  }

  /**
   * Whether a group of faint pieces stands beside pieces with a stroke's contrast (half its height
   * or more alongside theirs) and is at least {@link Tuning#FAINT_TALL} as tall as the tallest of
   * them: a digit's place in a line, where a faint pen's digit is far likelier than shading.
   */
  private static boolean asTallAsItsNeighbours(List<Piece> faint, List<Integer> group, boolean[] bit) {
    Piece around = outline(faint, group);
    int y0 = around.y0;
    int y1 = around.y1;
    int tallest = 0;
    for (int c = 0; c < faint.size(); c++) {
      Piece p = faint.get(c);
      if (!bit[c] && Math.min(y1, p.y1) - Math.max(y0, p.y0) + 1 >= 0.5 * (y1 - y0 + 1)) {
        tallest = Math.max(tallest, p.height());
      }
    }
    return tallest > 0 && y1 - y0 + 1 >= FAINT_TALL * tallest;
  }


  /** The model input of a group of faint pieces, each at the contrast it would be given. */
  private static float[] judged(GrayImage g, int[] label, List<Piece> faint, List<Integer> group, float[] scale) {
    Piece around = outline(faint, group);
    Box box = Box.corners(around.x0, around.y0, around.x1, around.y1);
    GrayImage crop = crop(g, label, group.stream().map(faint::get).toList(), box);
    for (int y = 0; y < crop.height; y++) {
      for (int x = 0; x < crop.width; x++) {
        int l = label[(y + box.y()) * g.width + x + box.x()];
        if (l != 0) {
          crop.v[y * crop.width + x] = Math.min(1f, crop.v[y * crop.width + x] * scale[l - 1]);
        }
      }
    }
    return DigitPreprocessor.modelInputs(crop, true).get(0);
  }

  /** Whether a piece comes within {@code margin} pixels of the image's edge. */
  private static boolean nearEdge(Piece p, GrayImage g, int margin) {
    return p.x0 <= margin || p.y0 <= margin || p.x1 >= g.width - 1 - margin || p.y1 >= g.height - 1 - margin;
  }

  /** Whether a piece reaches the image's edge. */
  private static boolean touchesBorder(Piece p, GrayImage g) {
    return p.x0 == 0 || p.y0 == 0 || p.x1 == g.width - 1 || p.y1 == g.height - 1;
  }
}
