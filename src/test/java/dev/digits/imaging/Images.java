package dev.digits.imaging;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Synthetic images for preprocessing and decoder tests. */
public final class Images {
  private Images() {}

  /** A digit drawn in a font, ink on background, at a size and position. */
  public static BufferedImage text(String digit, int w, int h, Color ink, Color background, int fontSize, int x, int y) {
    BufferedImage img = new BufferedImage(w, h, background.getAlpha() < 255 ? BufferedImage.TYPE_INT_ARGB
        : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setComposite(java.awt.AlphaComposite.Src);
    g.setColor(background);
    g.fillRect(0, 0, w, h);
    g.setComposite(java.awt.AlphaComposite.SrcOver);
    g.setColor(ink);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
    g.drawString(digit, x, y);
    g.dispose();
    return img;
  }

  /** A vertical bar of the given stroke width: a "1" as a pen would draw it. */
  public static BufferedImage bar(int w, int h, int stroke, Color ink, Color background) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    g.setComposite(java.awt.AlphaComposite.Src);
    g.setColor(background);
    g.fillRect(0, 0, w, h);
    g.setColor(ink);
    g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.drawLine(w / 2, h / 5, w / 2, h * 4 / 5);
    g.dispose();
    return img;
  }

  public static BufferedImage filled(int w, int h, Color c) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  public static byte[] encode(BufferedImage img, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(img, format, out)) {
        throw new AssertionError("no writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Sum of ink in a 28x28 model input. */
  public static double mass(float[] input) {
    double m = 0;
    for (float f : input) {
      m += f;
    }
    return m;
  }

  /** The centre of mass {x, y} of a 28x28 model input, in pixel-centre coordinates. */
  public static double[] centre(float[] input) {
    double m = 0;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < input.length; i++) {
      m += input[i];
      mx += input[i] * (i % 28 + 0.5);
      my += input[i] * (i / 28 + 0.5);
    }
    return new double[] {mx / m, my / m};
  }

  /** Bounding box {x0, y0, x1, y1} of values above 0.1. */
  public static int[] box(float[] input) {
    int x0 = 28, y0 = 28, x1 = -1, y1 = -1;
    for (int i = 0; i < input.length; i++) {
      if (input[i] > 0.1f) {
        x0 = Math.min(x0, i % 28);
        y0 = Math.min(y0, i / 28);
        x1 = Math.max(x1, i % 28);
        y1 = Math.max(y1, i / 28);
      }
    }
    return new int[] {x0, y0, x1, y1};
  }
}
