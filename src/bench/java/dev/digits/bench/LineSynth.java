package dev.digits.bench;

import dev.digits.data.Augmenter;
import dev.digits.data.MnistDataset;
import dev.digits.imaging.GrayImage;
import dev.digits.model.ModelContract;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic lines of handwritten digits for the line reader: MNIST digits (training digits to
 * train, test digits to check) laid out the ways the number reader meets them — apart, touching,
 * overlapping, with a baseline that wanders; one digit or all written with a thinner or bolder
 * pen, a thick "1", one digit much smaller or larger than the rest; some lines turned a few
 * degrees or blurred; a share of the MNIST digits distorted the way the digit classifier's training
 * distorts them to read real people's digits ({@link Augmenter.Kind#REAL}: turned, warped, a
 * broader pen, low resolution, blur, faint or bold ink). Ink in [0, 1], as the reader's line is
 * after its clean-up.
 */
final class LineSynth {
  /** A line of ink and the digits it shows. */
  record Line(GrayImage ink, String number) {}

  private final MnistDataset digits;
  /** The share of MNIST digits distorted (0 for lines to check the reader on: they stay plain). */
  private final double distorted;
  private final Augmenter augmenter;
  private final float[] square = new float[ModelContract.SIDE * ModelContract.SIDE];
  /** Each face's ten digits, typed once ({@code faces[f][d]}); empty for MNIST digits only. */
  private final NumberImages.Glyph[][] faces;

  LineSynth(MnistDataset digits) {
    this(digits, List.of(), 0);
  }

  /**
   * Lines of {@code digits}, and a fifth of them typed in one of {@code fonts} (handwriting faces
   * that no benchmark reads: {@code data/train-fonts}) when there are any; {@code distorted} of
   * the MNIST digits distorted as the classifier's training distorts them.
   */
  LineSynth(MnistDataset digits, List<java.awt.Font> fonts, double distorted) {
    this.digits = digits;
    this.distorted = distorted;
    this.augmenter = new Augmenter(Augmenter.Kind.REAL);
    this.faces = new NumberImages.Glyph[fonts.size()][10];
    for (int f = 0; f < fonts.size(); f++) {
      for (int d = 0; d < 10; d++) {
        faces[f][d] = NumberImages.Glyph.fromFont(fonts.get(f), (char) ('0' + d));
      }
    }
  }

  Line line(SplittableRandom rng) {
    int length = rng.nextDouble() < 0.08 ? 1 + rng.nextInt(2) : 3 + rng.nextInt(6);
    return line(rng, length);
  }

  Line line(SplittableRandom rng, int length) {
    int height = 22 + rng.nextInt(36);
    double pen = rng.nextDouble();
    int linePen = pen < 0.15 ? 1 : pen < 0.25 ? -1 : 0; // bold, thin, as drawn
    int odd = rng.nextDouble() < 0.3 ? rng.nextInt(length) : -1;
    double oddKind = rng.nextDouble();
    double mode = rng.nextDouble();
    StringBuilder number = new StringBuilder();
    List<NumberImages.Glyph> glyphs = new ArrayList<>();
    List<Double> heights = new ArrayList<>();
    int face = faces.length > 0 && rng.nextDouble() < 0.2 ? rng.nextInt(faces.length) : -1;
    for (int i = 0; i < length; i++) {
      NumberImages.Glyph g;
      if (face >= 0) {
        int d = rng.nextInt(10);
        number.append(d);
        g = faces[face][d];
      } else {
        int index = rng.nextInt(digits.count());
        number.append(digits.labels()[index]);
        g = null;
        if (distorted > 0 && rng.nextDouble() < distorted) {
          augmenter.apply(digits.pixels(), index, ModelContract.SIDE, square, 0, rng);
          g = NumberImages.Glyph.fromSquare(square, 10); // null when the distortions left a sliver
        }
        if (g == null) {
          g = NumberImages.Glyph.fromMnist(digits, index);
        }
      }
      int penHere = linePen;
      double scale = 1;
      if (i == odd) {
        if (oddKind < 0.3) {
          penHere = 1 + rng.nextInt(2); // bold, or a marker: a thick "1" among thin digits
        } else if (oddKind < 0.5) {
          penHere = -1;
        } else if (oddKind < 0.75) {
          scale = 0.5 + 0.2 * rng.nextDouble();
        } else {
          scale = 1.3 + 0.2 * rng.nextDouble();
        }
      }
      for (int k = 0; k < penHere; k++) {
        g = thicker(g);
      }
      if (penHere < 0) {
        g = thinner(g);
      }
      glyphs.add(g);
      heights.add(scale);
    }
    double maxScale = heights.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    int margin = height / 2 + 4;
    List<int[]> at = new ArrayList<>();
    List<NumberImages.Glyph> scaled = new ArrayList<>();
    int x = margin;
    int right = 0;
    for (int i = 0; i < length; i++) {
      int h = (int) Math.round(height * heights.get(i) / maxScale * (0.9 + 0.2 * rng.nextDouble()));
      NumberImages.Glyph d = glyphs.get(i).scaledTo(Math.max(6, h));
      if (i > 0) {
        double gap;
        double m = mode < 0.1 ? rng.nextDouble() : mode; // a few lines mix every spacing
        if (m < 0.4) {
          gap = 0.05 + 0.4 * rng.nextDouble();
        } else if (m < 0.7) {
          gap = -0.05 + 0.07 * rng.nextDouble();
        } else {
          gap = -0.2 + 0.15 * rng.nextDouble();
        }
        x = Math.max(margin, (int) Math.round(x + gap * height));
      }
      int y = margin + height - d.height() - (int) Math.round(rng.nextDouble() * 0.12 * height);
      at.add(new int[] {x, y});
      scaled.add(d);
      x += d.width();
      right = Math.max(right, x);
    }
    int w = right + margin;
    int hh = height + 2 * margin;
    float[] ink = new float[w * hh];
    for (int i = 0; i < length; i++) {
      NumberImages.Glyph d = scaled.get(i);
      int[] p = at.get(i);
      for (int yy = 0; yy < d.height(); yy++) {
        for (int xx = 0; xx < d.width(); xx++) {
          int o = (p[1] + yy) * w + p[0] + xx;
          if (o >= 0 && o < ink.length) {
            ink[o] = Math.max(ink[o], d.ink()[yy * d.width() + xx]);
          }
        }
      }
    }
    GrayImage g = new GrayImage(w, hh, ink);
    if (rng.nextDouble() < 0.3) {
      g = rotated(g, Math.toRadians((rng.nextDouble() - 0.5) * 10));
    }
    if (rng.nextDouble() < 0.3) {
      g = blurred(g);
    }
    return new Line(g, number.toString());
  }

  /** A bolder pen: each pixel takes the strongest ink of its 3x3 neighbourhood. */
  static NumberImages.Glyph thicker(NumberImages.Glyph g) {
    int w = g.width() + 2;
    int h = g.height() + 2;
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float m = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int sx = x - 1 + dx;
            int sy = y - 1 + dy;
            if (sx >= 0 && sy >= 0 && sx < g.width() && sy < g.height()) {
              m = Math.max(m, g.ink()[sy * g.width() + sx]);
            }
          }
        }
        out[y * w + x] = m;
      }
    }
    return new NumberImages.Glyph(w, h, out);
  }

  /** A thinner pen: only the strokes' cores. */
  static NumberImages.Glyph thinner(NumberImages.Glyph g) {
    float[] out = new float[g.ink().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.max(0, Math.min(1, (g.ink()[i] - 0.6f) * 2.5f));
    }
    return new NumberImages.Glyph(g.width(), g.height(), out);
  }

  static GrayImage rotated(GrayImage g, double angle) {
    float[] out = new float[g.v.length];
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    double cx = g.width / 2.0;
    double cy = g.height / 2.0;
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        double sx = c * (x - cx) + s * (y - cy) + cx;
        double sy = -s * (x - cx) + c * (y - cy) + cy;
        int ix = (int) Math.floor(sx);
        int iy = (int) Math.floor(sy);
        double ax = sx - ix;
        double ay = sy - iy;
        out[y * g.width + x] = (float) ((1 - ay) * ((1 - ax) * at(g, ix, iy) + ax * at(g, ix + 1, iy))
            + ay * ((1 - ax) * at(g, ix, iy + 1) + ax * at(g, ix + 1, iy + 1)));
      }
    }
    return new GrayImage(g.width, g.height, out);
  }

  static GrayImage blurred(GrayImage g) {
    float[] out = new float[g.v.length];
    float[] k = {0.25f, 0.5f, 0.25f};
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        float sum = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            sum += k[dy + 1] * k[dx + 1] * at(g, x + dx, y + dy);
          }
        }
        out[y * g.width + x] = sum;
      }
    }
    // A blurred stroke is fainter at its core; the reader's clean-up gives each piece full contrast.
    float max = 0;
    for (float v : out) {
      max = Math.max(max, v);
    }
    for (int i = 0; i < out.length && max > 0; i++) {
      out[i] /= max;
    }
    return new GrayImage(g.width, g.height, out);
  }

  private static float at(GrayImage g, int x, int y) {
    return x < 0 || y < 0 || x >= g.width || y >= g.height ? 0f : g.v[y * g.width + x];
  }
}
