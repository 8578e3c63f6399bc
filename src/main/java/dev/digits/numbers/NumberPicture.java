package dev.digits.numbers;

import dev.digits.imaging.Box;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Draws what {@link NumberReader} found onto the image: a box and the digit read, per digit. */
public final class NumberPicture {
  private NumberPicture() {}

  /**
   * A copy of {@code image} (the image the reading was made from, at any scale) with each digit's
   * box in red and its reading above it; a digit the model is unsure of (under 90%) in orange.
   */
  public static BufferedImage annotated(BufferedImage image, NumberReading reading) {
    int w = image.getWidth();
    int h = image.getHeight();
    double sx = (double) w / reading.imageWidth();
    double sy = (double) h / reading.imageHeight();
    int label = Math.max(12, (int) Math.round(0.06 * Math.max(w, h)));
    BufferedImage out = new BufferedImage(w, h + label + 4, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.drawImage(image, 0, label + 4, null);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, label));
    g.setStroke(new BasicStroke(Math.max(1f, label / 10f)));
    for (NumberReading.Digit d : reading.digits()) {
      Box b = d.box();
      g.setColor(d.probability() >= 0.9f ? Color.RED : Color.ORANGE);
      int x = (int) Math.round(b.x() * sx);
      int y = (int) Math.round(b.y() * sy) + label + 4;
      g.drawRect(x, y, (int) Math.round(b.width() * sx), (int) Math.round(b.height() * sy));
      g.drawString(Integer.toString(d.digit()), x, Math.max(label, y - 2));
    }
    g.dispose();
    return out;
  }
}
