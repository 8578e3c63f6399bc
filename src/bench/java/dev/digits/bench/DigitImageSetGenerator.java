package dev.digits.bench;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Generates the project's non-MNIST digit set in src/test/resources/digits/ (committed; re-run to
 * regenerate): {@code <label>-<style>-<n>.<ext>}. All synthetic, seeded:
 *
 * <ul>
 *   <li>font-*: the digit in one of seven DejaVu faces, dark on white, random size and position;
 *   <li>canvas: pen strokes on a transparent background, as a browser canvas exports them;
 *   <li>screen: light strokes on black; thin: a 2-pixel pen in a large image; thick: a marker;
 *   <li>small: a small digit off-centre in a large image;
 *   <li>photo: 1000x1000 JPEG, ink on textured paper with uneven light, noise and blur;
 *   <li>pencil, ruled: 800x800 JPEG, a faint thin pencil digit, or pencil or pen on ruled paper.
 * </ul>
 *
 * Handwriting is simulated from stroke templates with a random slant, rotation, width and wobble.
 * Run: {@code tools/run-tool DigitImageSetGenerator}
 */
public final class DigitImageSetGenerator {
  private static final String[] FONTS = {"DejaVu Sans", "DejaVu Sans Bold", "DejaVu Serif", "DejaVu Serif Italic",
      "DejaVu Sans Mono", "DejaVu Sans Condensed Oblique", "DejaVu Sans ExtraLight"};

  private final Random rng = new Random(2026);

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/digits");
    Files.createDirectories(out);
    new DigitImageSetGenerator().generate(out);
  }

  void generate(Path out) throws IOException {
    for (int d = 0; d <= 9; d++) {
      for (int f = 0; f < FONTS.length; f++) {
        png(font(d, FONTS[f]), out.resolve(d + "-font-" + f + ".png"));
      }
      for (int k = 0; k < 2; k++) {
        png(strokes(d, 280, 280, 16 + rng.nextInt(8), Color.BLACK, new Color(0, 0, 0, 0), 0.7, 0.5),
            out.resolve(d + "-canvas-" + k + ".png"));
        jpeg(photo(d), out.resolve(d + "-photo-" + k + ".jpg"));
      }
      png(strokes(d, 200, 200, 14, Color.WHITE, Color.BLACK, 0.7, 0.5), out.resolve(d + "-screen-0.png"));
      png(strokes(d, 400, 400, 2, Color.BLACK, Color.WHITE, 0.75, 0.5), out.resolve(d + "-thin-0.png"));
      png(strokes(d, 300, 300, 42, new Color(20, 20, 120), Color.WHITE, 0.75, 0.5), out.resolve(d + "-thick-0.png"));
      png(strokes(d, 240, 240, 4, Color.BLACK, new Color(245, 245, 240), 0.14, 0.18 + 0.64 * rng.nextInt(2)),
          out.resolve(d + "-small-0.png"));
    }
    // Added later, in their own loop so that the images above stay as they were.
    for (int d = 0; d <= 9; d++) {
      jpeg(paperPhoto(d, false, true), out.resolve(d + "-pencil-0.jpg"));
      jpeg(paperPhoto(d, true, true), out.resolve(d + "-ruled-0.jpg"));
      jpeg(paperPhoto(d, true, false), out.resolve(d + "-ruled-1.jpg"));
    }
  }

  /** An 800x800 photo of paper, optionally ruled, with the digit in pencil (faint, thin) or pen. */
  private BufferedImage paperPhoto(int digit, boolean ruled, boolean pencil) {
    int side = 800;
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(img);
    g.setColor(new Color(232 + rng.nextInt(10), 228 + rng.nextInt(10), 215 + rng.nextInt(10)));
    g.fillRect(0, 0, side, side);
    if (ruled) {
      g.setColor(new Color(150, 180, 220));
      g.setStroke(new BasicStroke(3));
      int offset = 20 + rng.nextInt(40);
      for (int y = offset; y < side; y += 70) {
        g.drawLine(0, y, side, y);
      }
    }
    double height = 250 + rng.nextInt(200);
    double cx = height / 2 + rng.nextDouble() * (side - height);
    double cy = height / 2 + rng.nextDouble() * (side - height);
    draw(g, digit, cx, cy, height, pencil ? 4 : 8, pencil ? new Color(140, 140, 145) : new Color(25, 35, 95));
    g.dispose();
    return img;
  }

  private BufferedImage font(int digit, String face) {
    int size = 60 + rng.nextInt(80);
    BufferedImage img = new BufferedImage(160, 160, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(img);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 160, 160);
    g.setColor(new Color(10 + rng.nextInt(40), 10 + rng.nextInt(40), 10 + rng.nextInt(40)));
    Font font = Font.decode(face).deriveFont((float) size);
    g.setFont(font);
    int w = g.getFontMetrics().stringWidth(Integer.toString(digit));
    int x = rng.nextInt(Math.max(1, 160 - w));
    int y = (int) (size * 0.75) + rng.nextInt(Math.max(1, 160 - (int) (size * 0.8)));
    g.drawString(Integer.toString(digit), x, y);
    g.dispose();
    return img;
  }

  /** The digit's strokes drawn into a w x h image, the digit's height a fraction of the image. */
  private BufferedImage strokes(int digit, int w, int h, float pen, Color ink, Color background, double size,
      double centre) {
    BufferedImage img = new BufferedImage(w, h, background.getAlpha() < 255 ? BufferedImage.TYPE_INT_ARGB
        : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(img);
    g.setComposite(AlphaComposite.Src);
    g.setColor(background);
    g.fillRect(0, 0, w, h);
    g.setComposite(AlphaComposite.SrcOver);
    draw(g, digit, w * centre + (rng.nextDouble() - 0.5) * w * 0.1, h * (centre == 0.5 ? 0.5 : 1 - centre),
        h * size, pen, ink);
    g.dispose();
    return img;
  }

  private BufferedImage photo(int digit) {
    int side = 1000;
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    double gx = rng.nextDouble() - 0.5;
    double gy = rng.nextDouble() - 0.5;
    int[] paper = {225 + rng.nextInt(25), 220 + rng.nextInt(25), 200 + rng.nextInt(30)};
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        double light = 0.72 + 0.28 * (0.5 + gx * (x / (double) side - 0.5) * 2 + gy * (y / (double) side - 0.5) * 2);
        double grain = rng.nextGaussian() * 6;
        int r = clamp(paper[0] * light + grain);
        int gr = clamp(paper[1] * light + grain);
        int b = clamp(paper[2] * light + grain);
        img.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
    Graphics2D g = graphics(img);
    Color ink = rng.nextBoolean() ? new Color(25, 35, 95, 230) : new Color(30, 30, 30, 235);
    double height = 300 + rng.nextInt(250);
    double cx = height * 0.5 + rng.nextDouble() * (side - height);
    double cy = height * 0.6 + rng.nextDouble() * (side - height * 1.2);
    draw(g, digit, cx, cy, height, 7 + rng.nextInt(6), ink);
    g.dispose();
    float[] blur = new float[9];
    java.util.Arrays.fill(blur, 1 / 9f);
    return new ConvolveOp(new Kernel(3, 3, blur), ConvolveOp.EDGE_NO_OP, null).filter(img, null);
  }

  /** Draws the digit's template strokes centred at (cx, cy), {@code height} pixels tall, jittered. */
  private void draw(Graphics2D g, int digit, double cx, double cy, double height, float pen, Color ink) {
    double slant = (rng.nextDouble() - 0.3) * 0.35;
    double angle = Math.toRadians((rng.nextDouble() - 0.5) * 16);
    double widthScale = 0.8 + rng.nextDouble() * 0.3;
    double wobble = 0.012;
    g.setColor(ink);
    g.setStroke(new BasicStroke(pen, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (List<double[]> stroke : template(digit)) {
      Path2D path = new Path2D.Double();
      boolean first = true;
      for (double[] p : stroke) {
        double x = (p[0] - 0.5 + rng.nextGaussian() * wobble) * widthScale;
        double y = p[1] - 0.5 + rng.nextGaussian() * wobble;
        x -= slant * y;
        double rx = x * Math.cos(angle) - y * Math.sin(angle);
        double ry = x * Math.sin(angle) + y * Math.cos(angle);
        double px = cx + rx * height;
        double py = cy + ry * height;
        if (first) {
          path.moveTo(px, py);
          first = false;
        } else {
          path.lineTo(px, py);
        }
      }
      g.draw(path);
    }
  }

  /** Stroke templates in a unit box (y down). */
  static List<List<double[]>> template(int digit) {
    List<List<double[]>> s = new ArrayList<>();
    switch (digit) {
      case 0 -> s.add(arc(0.5, 0.5, 0.28, 0.42, -95, 270));
      case 1 -> s.add(pts(0.36, 0.22, 0.54, 0.07, 0.54, 0.93));
      case 2 -> {
        List<double[]> a = arc(0.5, 0.3, 0.27, 0.22, 190, 400);
        a.addAll(pts(0.2, 0.92, 0.85, 0.92));
        s.add(a);
      }
      case 3 -> {
        List<double[]> a = arc(0.47, 0.29, 0.25, 0.21, 200, 450);
        a.addAll(arc(0.47, 0.71, 0.29, 0.21, 270, 520));
        s.add(a);
      }
      case 4 -> s.add(pts(0.62, 0.93, 0.62, 0.07, 0.14, 0.66, 0.88, 0.66));
      case 5 -> {
        List<double[]> a = pts(0.8, 0.08, 0.33, 0.08, 0.28, 0.45);
        a.addAll(arc(0.5, 0.66, 0.28, 0.26, 220, 505));
        s.add(a);
      }
      case 6 -> {
        List<double[]> a = pts(0.7, 0.07, 0.5, 0.2, 0.34, 0.42);
        a.addAll(arc(0.5, 0.7, 0.25, 0.22, 200, -160));
        s.add(a);
      }
      case 7 -> s.add(pts(0.14, 0.1, 0.86, 0.1, 0.42, 0.93));
      case 8 -> {
        s.add(arc(0.5, 0.28, 0.2, 0.2, 0, 360));
        s.add(arc(0.5, 0.7, 0.25, 0.22, 0, 360));
      }
      default -> {
        List<double[]> a = arc(0.47, 0.3, 0.24, 0.21, 0, -360);
        a.addAll(pts(0.71, 0.3, 0.65, 0.93));
        s.add(a);
      }
    }
    return s;
  }

  private static List<double[]> arc(double cx, double cy, double rx, double ry, double fromDeg, double toDeg) {
    List<double[]> p = new ArrayList<>();
    int n = 40;
    for (int i = 0; i <= n; i++) {
      double a = Math.toRadians(fromDeg + (toDeg - fromDeg) * i / n);
      p.add(new double[] {cx + rx * Math.cos(a), cy + ry * Math.sin(a)});
    }
    return p;
  }

  private static List<double[]> pts(double... xy) {
    List<double[]> p = new ArrayList<>();
    for (int i = 0; i < xy.length; i += 2) {
      p.add(new double[] {xy[i], xy[i + 1]});
    }
    return p;
  }

  private static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    return g;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, v));
  }

  private static void png(BufferedImage img, Path file) throws IOException {
    ImageIO.write(img, "png", file.toFile());
  }

  private static void jpeg(BufferedImage img, Path file) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.85f);
    Files.deleteIfExists(file);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
