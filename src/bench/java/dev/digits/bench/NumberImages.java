package dev.digits.bench;

import dev.digits.data.MnistDataset;
import dev.digits.model.ModelContract;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded images of whole numbers, for the number reader's tests and benchmark. Every image is
 * built from digits the model never trained on: MNIST test digits, real hand-made digits, or
 * fonts. All drawing is in "ink" (0 = paper, 1 = ink) first; {@link #render} then chooses the
 * polarity and the paper.
 */
public final class NumberImages {
  /** How far apart neighbouring digits stand. */
  public enum Spacing { APART, TOUCHING, OVERLAPPING }

  /**
   * An image of a number and the number it shows; {@code sources} are the dataset indices of its
   * digits where they come from one (MNIST), else empty.
   */
  public record Sample(BufferedImage image, String number, Spacing spacing, String kind, int[] sources) {}

  private NumberImages() {}

  /** A digit as ink: values in [0, 1], row-major, cropped to its strokes. */
  public record Glyph(int width, int height, float[] ink) {
    public static Glyph fromMnist(MnistDataset set, int index) {
      int area = ModelContract.SIDE * ModelContract.SIDE;
      float[] ink = new float[area];
      for (int i = 0; i < area; i++) {
        ink[i] = (set.pixels()[index * area + i] & 0xff) / 255f;
      }
      return fromSquare(ink, 1);
    }

    /**
     * A 28x28 image of a digit (ink in [0, 1]), cropped to where it is clearly inked; null when
     * that is fewer than {@code minHeight} rows (a digit distorted to a sliver, which scaling to a
     * line's height would stretch into a line hundreds of digits wide).
     */
    public static Glyph fromSquare(float[] square, int minHeight) {
      int side = ModelContract.SIDE;
      float clear = 40 / 255f;
      int x0 = side;
      int y0 = side;
      int x1 = -1;
      int y1 = -1;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          if (square[y * side + x] > clear) {
            x0 = Math.min(x0, x);
            y0 = Math.min(y0, y);
            x1 = Math.max(x1, x);
            y1 = Math.max(y1, y);
          }
        }
      }
      if (y1 < 0 || y1 - y0 + 1 < minHeight) {
        return null;
      }
      int w = x1 - x0 + 1;
      int h = y1 - y0 + 1;
      float[] ink = new float[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          ink[y * w + x] = square[(y + y0) * side + x + x0];
        }
      }
      return new Glyph(w, h, ink);
    }

    /** The ink of a real image of a digit, without its paper ({@link RealGlyph}); null when it has none. */
    public static Glyph fromImage(BufferedImage img) {
      return RealGlyph.of(img);
    }

    /** A digit typed in a font, as ink. */
    static Glyph fromFont(Font font, char digit) {
      return fromText(font, String.valueOf(digit));
    }

    /** Text typed in a font, as ink. */
    static Glyph fromText(Font font, String text) {
      int size = font.getSize();
      BufferedImage img = new BufferedImage(size * (text.length() + 1), size * 2, BufferedImage.TYPE_BYTE_GRAY);
      Graphics2D g = img.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.setFont(font);
      g.drawString(text, size / 2, size * 3 / 2);
      g.dispose();
      Glyph whole = new Glyph(img.getWidth(), img.getHeight(), new float[img.getWidth() * img.getHeight()]);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          whole.ink[y * img.getWidth() + x] = img.getRaster().getSample(x, y, 0) / 255f;
        }
      }
      return whole.cropped(0.15f);
    }

    /** Cropped to where the ink exceeds {@code level}; itself when it never does. */
    Glyph cropped(float level) {
      int x0 = width;
      int y0 = height;
      int x1 = -1;
      int y1 = -1;
      for (int i = 0; i < ink.length; i++) {
        if (ink[i] > level) {
          x0 = Math.min(x0, i % width);
          y0 = Math.min(y0, i / width);
          x1 = Math.max(x1, i % width);
          y1 = Math.max(y1, i / width);
        }
      }
      if (x1 < 0) {
        return this;
      }
      int cw = x1 - x0 + 1;
      int ch = y1 - y0 + 1;
      float[] out = new float[cw * ch];
      for (int y = 0; y < ch; y++) {
        System.arraycopy(ink, (y + y0) * width + x0, out, y * cw, cw);
      }
      return new Glyph(cw, ch, out);
    }

    /** The same strokes written with a lighter pen: every pixel's ink times {@code share}. */
    Glyph scaled(float share) {
      float[] out = new float[ink.length];
      for (int i = 0; i < ink.length; i++) {
        out[i] = share * ink[i];
      }
      return new Glyph(width, height, out);
    }

    /**
     * Scaled to a height, keeping the aspect ratio: bilinear, or area-averaged when it shrinks more
     * than twofold. Bilinear sampling reads four pixels per output pixel, so a big drawing's thin
     * stroke, shrunk tenfold, came out as a trail of dots no camera or image editor makes (each
     * averages all the light that falls on a pixel): a faint line.
     */
    Glyph scaledTo(int h) {
      int w = Math.max(1, Math.round(width * (float) h / height));
      if (height > 2 * h) {
        return areaAveraged(w, h);
      }
      float[] out = new float[w * h];
      for (int y = 0; y < h; y++) {
        float fy = Math.max(0, Math.min(height - 1, (y + 0.5f) * height / h - 0.5f));
        int yy = (int) fy;
        int y2 = Math.min(height - 1, yy + 1);
        for (int x = 0; x < w; x++) {
          float fx = Math.max(0, Math.min(width - 1, (x + 0.5f) * width / w - 0.5f));
          int xx = (int) fx;
          int x2 = Math.min(width - 1, xx + 1);
          float a = ink[yy * width + xx] * (1 - fx + xx) + ink[yy * width + x2] * (fx - xx);
          float b = ink[y2 * width + xx] * (1 - fx + xx) + ink[y2 * width + x2] * (fx - xx);
          out[y * w + x] = a * (1 - fy + yy) + b * (fy - yy);
        }
      }
      return new Glyph(w, h, out);
    }

    /** Each output pixel the mean of the ink it covers (partly covered pixels weighed by their share). */
    private Glyph areaAveraged(int w, int h) {
      float[] rows = new float[w * height];
      for (int y = 0; y < height; y++) {
        resample(ink, y * width, 1, width, rows, y * w, 1, w);
      }
      float[] out = new float[w * h];
      for (int x = 0; x < w; x++) {
        resample(rows, x, w, height, out, x, w, h);
      }
      return new Glyph(w, h, out);
    }

    /** One row or column of {@code n} values (from {@code from}, {@code step} apart) averaged down to {@code m}. */
    private static void resample(float[] in, int from, int step, int n, float[] out, int to, int outStep, int m) {
      double scale = (double) n / m;
      for (int k = 0; k < m; k++) {
        double a = k * scale;
        double b = a + scale;
        double sum = 0;
        for (int i = (int) a; i < Math.min(n, Math.ceil(b)); i++) {
          sum += in[from + i * step] * (Math.min(b, i + 1) - Math.max(a, i));
        }
        out[to + k * outStep] = (float) (sum / scale);
      }
    }
  }

  /**
   * Lays digits out on a line: each scaled to a height around {@code height} (within 10%), on a
   * baseline that wanders a little, with gaps of the given spacing, inked with the maximum where
   * they overlap. Returns ink in [0, 1] with a margin around it.
   */
  public static Glyph line(List<Glyph> digits, int height, Spacing spacing, SplittableRandom rng) {
    return laidOut(digits, height, spacing, rng).ink();
  }

  /** A line of digits as ink, and which digit (0, 1, ...; -1 for none) gives each pixel its ink. */
  public record Line(Glyph ink, int[] owner) {}

  /** {@link #line}, with the owner of each pixel: the digit whose ink there is the darkest. */
  public static Line laidOut(List<Glyph> digits, int height, Spacing spacing, SplittableRandom rng) {
    List<Glyph> scaled = new ArrayList<>();
    List<Integer> xs = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    int margin = height / 2 + 4;
    int x = margin;
    for (int i = 0; i < digits.size(); i++) {
      Glyph d = digits.get(i).scaledTo((int) Math.round(height * (0.9 + 0.2 * rng.nextDouble())));
      if (i > 0) {
        double gap = switch (spacing) {
          case APART -> 0.12 + 0.3 * rng.nextDouble();
          case TOUCHING -> -0.03 + 0.03 * rng.nextDouble();
          case OVERLAPPING -> -0.12 + 0.06 * rng.nextDouble();
        };
        x += (int) Math.round(gap * height);
      }
      scaled.add(d);
      xs.add(x);
      ys.add(margin + (int) Math.round((rng.nextDouble() - 0.5) * 0.12 * height) + height - d.height());
      x += d.width();
    }
    int w = x + margin;
    int h = height + 2 * margin;
    float[] ink = new float[w * h];
    int[] owner = new int[w * h];
    java.util.Arrays.fill(owner, -1);
    for (int i = 0; i < scaled.size(); i++) {
      Glyph d = scaled.get(i);
      for (int y = 0; y < d.height(); y++) {
        for (int dx = 0; dx < d.width(); dx++) {
          int tx = xs.get(i) + dx;
          int ty = ys.get(i) + y;
          float v = d.ink()[y * d.width() + dx];
          if (tx >= 0 && ty >= 0 && tx < w && ty < h && v > ink[ty * w + tx]) {
            ink[ty * w + tx] = v;
            owner[ty * w + tx] = i;
          }
        }
      }
    }
    return new Line(new Glyph(w, h, ink), owner);
  }

  /** How a line of ink is put on paper. */
  public enum Paper { DARK_ON_LIGHT, LIGHT_ON_DARK, PHOTO }

  /**
   * Ink on paper: dark on white, white on black, or a photo (ink on tinted paper with grain and a
   * lighting gradient, slightly blurred); optionally turned by {@code degrees}.
   */
  public static BufferedImage render(Glyph line, Paper paper, double degrees, double blur, SplittableRandom rng) {
    int w = line.width();
    int h = line.height();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double tilt = rng.nextDouble() * 2 * Math.PI;
    int[] paperRgb = paper == Paper.PHOTO ? new int[] {215 + rng.nextInt(30), 205 + rng.nextInt(30), 185 + rng.nextInt(40)}
        : paper == Paper.LIGHT_ON_DARK ? new int[] {10, 10, 10} : new int[] {255, 255, 255};
    int[] inkRgb = paper == Paper.LIGHT_ON_DARK ? new int[] {250, 250, 250} : paper == Paper.PHOTO
        ? new int[] {30 + rng.nextInt(30), 30 + rng.nextInt(30), 60 + rng.nextInt(60)} : new int[] {0, 0, 0};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float a = line.ink()[y * w + x];
        double light = paper == Paper.PHOTO
            ? 0.85 + 0.15 * ((x * Math.cos(tilt) + y * Math.sin(tilt)) / Math.max(w, h)) + rng.nextGaussian() * 0.02 : 1;
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          double v = (paperRgb[c] * (1 - a) + inkRgb[c] * a) * light;
          rgb = rgb << 8 | (int) Math.max(0, Math.min(255, Math.round(v)));
        }
        img.setRGB(x, y, rgb);
      }
    }
    if (degrees != 0) {
      BufferedImage turned = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = turned.createGraphics();
      g.setColor(new Color(paperRgb[0], paperRgb[1], paperRgb[2]));
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(img, AffineTransform.getRotateInstance(Math.toRadians(degrees), w / 2.0, h / 2.0), null);
      g.dispose();
      img = turned;
    }
    if (blur > 0) {
      img = blurred(img, blur);
    }
    return img;
  }

  /**
   * The image photographed with a shadow across it (the phone's, the hand's): beyond an edge at a
   * random angle through its middle third, softened over 3-13% of its longer side, the light falls
   * to {@code depth} of what it was, on paper and ink alike.
   */
  public static BufferedImage shadowed(BufferedImage img, double depth, SplittableRandom rng) {
    int w = img.getWidth();
    int h = img.getHeight();
    double angle = rng.nextDouble() * 2 * Math.PI;
    double cx = w * (1 + rng.nextDouble()) / 3;
    double cy = h * (1 + rng.nextDouble()) / 3;
    double soft = Math.max(w, h) * (0.03 + 0.1 * rng.nextDouble());
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double across = ((x - cx) * Math.cos(angle) + (y - cy) * Math.sin(angle)) / soft;
        double light = 1 - (1 - depth) / (1 + Math.exp(-across));
        int rgb = img.getRGB(x, y);
        int o = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
          o = o << 8 | (int) Math.round((rgb >> shift & 0xff) * light);
        }
        out.setRGB(x, y, o);
      }
    }
    return out;
  }

  /**
   * The image as if written on squared paper: a grid of {@code cell}-pixel squares (at a random
   * offset) of lines a pixel or two wide, printed light blue or grey under the ink (a pixel on a
   * line keeps 62-85% of its light).
   */
  public static BufferedImage squared(BufferedImage img, int cell, SplittableRandom rng) {
    int w = img.getWidth();
    int h = img.getHeight();
    int ox = rng.nextInt(cell);
    int oy = rng.nextInt(cell);
    int width = 1 + rng.nextInt(2);
    boolean blue = rng.nextBoolean();
    double dark = 0.62 + 0.23 * rng.nextDouble();
    double[] keep = blue ? new double[] {dark, (1 + dark) / 2 - 0.05, 0.95} : new double[] {dark, dark, dark};
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        if ((x + ox) % cell < width || (y + oy) % cell < width) {
          int o = 0;
          for (int c = 0; c < 3; c++) {
            o = o << 8 | (int) Math.round((rgb >> (16 - 8 * c) & 0xff) * keep[c]);
          }
          rgb = o;
        }
        out.setRGB(x, y, rgb);
      }
    }
    return out;
  }

  /**
   * The image photographed lying on a desk: in the middle of a frame {@code share} of its size on
   * every side, a dark wood or grey (levels 25-70).
   */
  public static BufferedImage onADesk(BufferedImage img, double share, SplittableRandom rng) {
    int mx = (int) Math.round(img.getWidth() * share);
    int my = (int) Math.round(img.getHeight() * share);
    BufferedImage out = new BufferedImage(img.getWidth() + 2 * mx, img.getHeight() + 2 * my, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    int level = 25 + rng.nextInt(46);
    g.setColor(rng.nextBoolean() ? new Color(level, level, level) : new Color(level + 15, level + 5, level - 10));
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.drawImage(img, mx, my, null);
    g.dispose();
    return out;
  }

  /**
   * The image lying on a desk as a phone takes it: the sheet turned by {@code degrees} (its corners
   * bilinear, the desk showing past them) in the middle of a frame {@code share} of its size, a desk
   * of levels 25-70 whose light, sheet and all, falls off by 10-30% across the photo at a random
   * angle, and the whole blurred by a sigma of 0.6-1.2 pixels.
   */
  public static BufferedImage onADeskAsPhotographed(BufferedImage img, double share, double degrees, SplittableRandom rng) {
    BufferedImage flat = onADesk(img, share, rng);
    int w = flat.getWidth();
    int h = flat.getHeight();
    BufferedImage turned = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = turned.createGraphics();
    g.setColor(new Color(flat.getRGB(0, 0)));
    g.fillRect(0, 0, w, h);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setClip(0, 0, w, h);
    int mx = (int) Math.round(img.getWidth() * share);
    int my = (int) Math.round(img.getHeight() * share);
    AffineTransform turn = AffineTransform.getRotateInstance(Math.toRadians(degrees), w / 2.0, h / 2.0);
    turn.translate(mx, my);
    g.drawImage(img, turn, null);
    g.dispose();
    double angle = rng.nextDouble() * 2 * Math.PI;
    double fall = 0.1 + 0.2 * rng.nextDouble();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double across = ((x - w / 2.0) * Math.cos(angle) + (y - h / 2.0) * Math.sin(angle)) / Math.max(w, h) + 0.5;
        double light = 1 - fall * Math.max(0, Math.min(1, across));
        int rgb = turned.getRGB(x, y);
        int o = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
          o = o << 8 | (int) Math.round((rgb >> shift & 0xff) * light);
        }
        turned.setRGB(x, y, o);
      }
    }
    return blurred(turned, 0.6 + 0.6 * rng.nextDouble());
  }

  /**
   * The image as a drawing app exports it: strokes in {@code white} or black ink on a transparent
   * canvas (transparent black, as a browser canvas gives it), each pixel as opaque as it holds ink.
   * For plain images (dark on white, or light on black: {@code lightInk}); a photo has no canvas.
   */
  public static BufferedImage onACanvas(BufferedImage img, boolean lightInk, boolean white) {
    int w = img.getWidth();
    int h = img.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        int lum = (int) Math.round(0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff));
        int a = lightInk ? lum : 255 - lum;
        out.setRGB(x, y, a == 0 ? 0 : a << 24 | (white ? 0xffffff : 0));
      }
    }
    return out;
  }

  /**
   * A separator drawn with a pen like MNIST's (a stroke 2.5 pixels thick in a box 28 high, as its
   * digits are): {@code '-'} a hyphen at mid-height, level to within a pixel, {@code '.'} a dot on
   * the line, {@code '/'} a slash leaning 12-25 degrees. Laid out as a digit is, the box is scaled
   * to the line's height, so the mark keeps its place and size beside the digits.
   */
  public static Glyph separator(char mark, SplittableRandom rng) {
    return switch (mark) {
      case '-' -> {
        double y = 13 + rng.nextDouble() * 4;
        yield stroke(3, y, 15 + rng.nextDouble() * 4, y - 1 + rng.nextDouble() * 2, 20, 2.5);
      }
      case '.' -> stroke(7, 24, 8, 24.5, 14, 3.5);
      case '/' -> stroke(3, 26, 3 + 24 * Math.tan(Math.toRadians(12 + 13 * rng.nextDouble())), 2, 20, 2.5);
      default -> throw new IllegalArgumentException("no separator " + mark);
    };
  }

  /** Digits written in a form's boxes, and the same digits in the same places without the boxes. */
  public record Boxed(Glyph withBoxes, Glyph withoutBoxes) {}

  /**
   * Digits written one in each box of a form: each row of {@code rows} in a row of boxes
   * {@code cell} pixels square, each digit 60-80% of its box high, placed with a little play; the
   * boxes' lines {@code line} pixels thick in ink {@code boxInk} (a printed form's grey: 0.3-1).
   * Rows stand 1-2 boxes apart, every row starting at the same place (a form's fields); a margin
   * of paper of a box around.
   */
  public static Boxed boxed(List<List<Glyph>> rows, int cell, int line, float boxInk, SplittableRandom rng) {
    int longest = rows.stream().mapToInt(List::size).max().orElse(1);
    int margin = cell;
    int[] tops = new int[rows.size()];
    int h = margin;
    for (int r = 0; r < rows.size(); r++) {
      tops[r] = h;
      h += cell + (r + 1 < rows.size() ? cell + rng.nextInt(cell + 1) : 0);
    }
    h += margin;
    int w = longest * cell + 2 * margin;
    float[] digits = new float[w * h];
    float[] boxes = new float[w * h];
    for (int r = 0; r < rows.size(); r++) {
      List<Glyph> row = rows.get(r);
      for (int k = 0; k < row.size(); k++) {
        int x0 = margin + k * cell;
        int y0 = tops[r];
        for (int t = 0; t < line; t++) { // the box: its top, bottom and both sides
          for (int i = 0; i <= cell; i++) {
            boxes[(y0 + t) * w + x0 + i] = boxInk;
            boxes[(y0 + cell - t) * w + x0 + i] = boxInk;
            boxes[(y0 + i) * w + x0 + t] = boxInk;
            boxes[(y0 + i) * w + x0 + cell - t] = boxInk;
          }
        }
        Glyph d = row.get(k).scaledTo((int) Math.round(cell * (0.6 + 0.2 * rng.nextDouble())));
        if (d.width() > 0.85 * cell) {
          d = d.scaledTo(Math.max(1, (int) (d.height() * 0.85 * cell / d.width())));
        }
        int dx = x0 + (cell - d.width()) / 2 + (int) Math.round((rng.nextDouble() - 0.5) * 0.15 * cell);
        int dy = y0 + (cell - d.height()) / 2 + (int) Math.round((rng.nextDouble() - 0.5) * 0.15 * cell);
        for (int y = 0; y < d.height(); y++) {
          for (int x = 0; x < d.width(); x++) {
            int i = (dy + y) * w + dx + x;
            digits[i] = Math.max(digits[i], d.ink()[y * d.width() + x]);
          }
        }
      }
    }
    float[] both = new float[w * h];
    for (int i = 0; i < both.length; i++) {
      both[i] = Math.max(digits[i], boxes[i]);
    }
    return new Boxed(new Glyph(w, h, both), new Glyph(w, h, digits));
  }

  /** A dash {@code length} pixels long at mid-height, drawn as {@link #separator} draws a hyphen. */
  public static Glyph dash(int length, SplittableRandom rng) {
    double y = 13 + rng.nextDouble() * 4;
    return stroke(3, y, 3 + length, y - 1 + rng.nextDouble() * 2, length + 6, 2.5);
  }

  /** A straight stroke from (x0, y0) to (x1, y1), {@code thick} pixels wide, in a box {@code w} x 28. */
  private static Glyph stroke(double x0, double y0, double x1, double y1, int w, double thick) {
    int h = 28;
    float[] ink = new float[w * h];
    double dx = x1 - x0;
    double dy = y1 - y0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double px = x + 0.5;
        double py = y + 0.5;
        double t = Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy)));
        double d = Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
        ink[y * w + x] = (float) Math.max(0, Math.min(1, thick / 2 + 0.5 - d));
      }
    }
    return new Glyph(w, h, ink);
  }

  /** A Gaussian blur of the given sigma (pixels). */
  static BufferedImage blurred(BufferedImage img, double sigma) {
    int r = (int) Math.ceil(2 * sigma);
    float[] k = new float[(2 * r + 1) * (2 * r + 1)];
    float sum = 0;
    for (int y = -r; y <= r; y++) {
      for (int x = -r; x <= r; x++) {
        k[(y + r) * (2 * r + 1) + x + r] = (float) Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
        sum += k[(y + r) * (2 * r + 1) + x + r];
      }
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    BufferedImage padded = new BufferedImage(img.getWidth() + 2 * r, img.getHeight() + 2 * r, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = padded.createGraphics();
    g.setColor(new Color(img.getRGB(0, 0)));
    g.fillRect(0, 0, padded.getWidth(), padded.getHeight());
    g.drawImage(img, r, r, null);
    g.dispose();
    BufferedImage out = new ConvolveOp(new Kernel(2 * r + 1, 2 * r + 1, k), ConvolveOp.EDGE_NO_OP, null).filter(padded, null);
    return out.getSubimage(r, r, img.getWidth(), img.getHeight());
  }

  /**
   * Writes the README's example numbers into {@code src/test/resources/numbers/} (committed; re-run
   * to regenerate), made of the project's own synthetic digits: {@code 2025.png}, canvas strokes
   * dark on white, and {@code 3107-screen.png}, light strokes on black, slightly turned (a canvas 7 among them);
   * and the README's example page, {@code docs/examples/list.png}: three lines written close, the
   * second photos of pencilled digits beside a word, the others drawn with a marker, the sheet
   * turned by 2 degrees; and {@code words-page.png}, two lines of canvas digits each after a word in
   * a handwriting face (written only when data/fonts is there).
   * Run: {@code tools/run-tool NumberImages}
   */
  public static void main(String[] args) throws java.io.IOException {
    java.nio.file.Path digits = java.nio.file.Path.of("src/test/resources/digits");
    java.nio.file.Path out = java.nio.file.Files.createDirectories(java.nio.file.Path.of("src/test/resources/numbers"));
    SplittableRandom rng = new SplittableRandom(2025);
    example(digits, List.of("2-canvas-0", "0-canvas-1", "2-canvas-1", "5-canvas-0"), Paper.DARK_ON_LIGHT, 0,
        out.resolve("2025.png"), rng);
    example(digits, List.of("3-screen-0", "1-thick-0", "0-screen-0", "7-canvas-0"), Paper.LIGHT_ON_DARK, 3,
        out.resolve("3107-screen.png"), rng);
    List<List<Glyph>> lines = new ArrayList<>();
    for (List<String> names : List.of(List.of("4-canvas-0", "7-canvas-1", "1-canvas-0", "1-canvas-1"),
        List.of("3-pencil-0", "0-pencil-0", "8-pencil-0", "6-pencil-0", "9-pencil-0"), List.of("5-canvas-1", "2-canvas-0", "0-canvas-0"))) {
      List<Glyph> glyphs = new ArrayList<>();
      for (String name : names) { // the second line photos of pencilled digits, the others drawn with a marker
        glyphs.add(Glyph.fromImage(javax.imageio.ImageIO.read(digits.resolve(name + (name.contains("pencil") ? ".jpg" : ".png")).toFile())));
      }
      lines.add(glyphs);
    }
    javax.imageio.ImageIO.write(PageImages.example(lines, java.util.Arrays.asList(null,
        new PageImages.Word("No.", new Font(Font.SERIF, Font.ITALIC, 96)), null)), "png",
        java.nio.file.Path.of("docs/examples/list.png").toFile());
    // Words in two handwriting faces of data/fonts (fetched by tools/benchmark numbers) that both
    // readers read alike, as digits ("Tel" as 61, "Qty" as 84), the one-digit model as no digits.
    java.nio.file.Path breip = java.nio.file.Path.of("data/fonts/Breip.ttf");
    java.nio.file.Path rufscript = java.nio.file.Path.of("data/fonts/Rufscript010.ttf");
    if (java.nio.file.Files.isRegularFile(breip) && java.nio.file.Files.isRegularFile(rufscript)) {
      try {
        List<List<Glyph>> numbers = new ArrayList<>();
        for (List<String> names : List.of(List.of("3-canvas-0", "1-canvas-1", "0-canvas-1", "7-canvas-0"),
            List.of("5-canvas-0", "8-canvas-0", "2-canvas-1", "9-canvas-1", "6-canvas-1"))) {
          List<Glyph> glyphs = new ArrayList<>();
          for (String name : names) {
            glyphs.add(Glyph.fromImage(javax.imageio.ImageIO.read(digits.resolve(name + ".png").toFile())));
          }
          numbers.add(glyphs);
        }
        javax.imageio.ImageIO.write(PageImages.example(numbers, List.of(
            new PageImages.Word("Tel", Font.createFont(Font.TRUETYPE_FONT, breip.toFile()).deriveFont(96f)),
            new PageImages.Word("Qty", Font.createFont(Font.TRUETYPE_FONT, rufscript.toFile()).deriveFont(96f)))), "png",
            out.resolve("words-page.png").toFile());
      } catch (java.awt.FontFormatException e) {
        throw new java.io.IOException(e);
      }
    } else {
      System.out.println("NumberImages: data/fonts is missing (tools/benchmark numbers fetches it): words-page.png not written");
    }
  }

  private static void example(java.nio.file.Path dir, List<String> names, Paper paper, double degrees,
      java.nio.file.Path target, SplittableRandom rng) throws java.io.IOException {
    List<Glyph> glyphs = new ArrayList<>();
    for (String name : names) {
      glyphs.add(Glyph.fromImage(javax.imageio.ImageIO.read(dir.resolve(name + ".png").toFile())));
    }
    javax.imageio.ImageIO.write(render(line(glyphs, 90, Spacing.APART, rng), paper, degrees, 0, rng), "png",
        target.toFile());
  }

  /** A number of {@code length} MNIST test digits (drawn from {@code test}, never training digits). */
  public static Sample mnist(MnistDataset test, int length, Spacing spacing, SplittableRandom rng) {
    List<Glyph> glyphs = new ArrayList<>();
    int[] sources = new int[length];
    String number = drawn(test, length, glyphs, sources, rng);
    int height = 24 + rng.nextInt(60);
    Paper paper = Paper.values()[rng.nextInt(3)];
    BufferedImage img = render(line(glyphs, height, spacing, rng), paper, 0, paper == Paper.PHOTO ? 0.8 : 0, rng);
    return new Sample(img, number, spacing, "mnist", sources);
  }

  /** A number of {@code length} digits of {@code set}, {@code height} pixels high, dark on light, upright and sharp. */
  public static Sample plainMnist(MnistDataset set, int length, Spacing spacing, int height, SplittableRandom rng) {
    List<Glyph> glyphs = new ArrayList<>();
    int[] sources = new int[length];
    String number = drawn(set, length, glyphs, sources, rng);
    BufferedImage img = render(line(glyphs, height, spacing, rng), Paper.DARK_ON_LIGHT, 0, 0, rng);
    return new Sample(img, number, spacing, "mnist", sources);
  }

  /**
   * Draws {@code length} digits of {@code set} at random into {@code glyphs} (their indices into
   * {@code sources}); returns the number they make.
   */
  private static String drawn(MnistDataset set, int length, List<Glyph> glyphs, int[] sources, SplittableRandom rng) {
    StringBuilder number = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int index = rng.nextInt(set.count());
      sources[i] = index;
      glyphs.add(Glyph.fromMnist(set, index));
      number.append(set.label(index));
    }
    return number.toString();
  }
}
