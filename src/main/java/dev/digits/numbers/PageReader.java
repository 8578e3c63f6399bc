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
 * The lines are the bands of rows that hold ink, found on the whole image's ink as the number
 * reader finds it; each band is cut out of the image and read as one line, in reading order (top
 * to bottom). A band that holds no digits is reported, not read as one.
 */
final class PageReader {
  private PageReader() {}

  /** The bands of the page that hold lines, top to bottom, in the decoded image's pixels. */
  static List<Box> lines(ImageDecoder.Decoded decoded) {
    BufferedImage image = decoded.image();
    GrayImage ink = DigitPreprocessor.ink(Greyscale.of(image, Tuning.WORK_SIDE), Set.of(), true);
    int[] rows = new int[ink.height];
    for (int y = 0; y < ink.height; y++) {
      for (int x = 0; x < ink.width; x++) {
        rows[y] += ink.v[y * ink.width + x] >= 0.5f ? 1 : 0;
      }
    }
    int least = Math.max(1, Arrays.stream(rows).max().orElse(0) / 50); // a row of a few pixels of dust holds no line
    List<int[]> bands = new ArrayList<>();
    for (int y = 0; y < rows.length; ) {
      if (rows[y] < least) {
        y++;
        continue;
      }
      int end = y;
      while (end < rows.length && rows[end] >= least) {
        end++;
      }
      bands.add(new int[] {y, end - 1});
      y = end;
    }
    if (bands.isEmpty()) {
      return List.of();
    }
    int tallest = bands.stream().mapToInt(b -> b[1] - b[0] + 1).max().orElse(1);
    List<int[]> joined = new ArrayList<>();
    for (int[] b : bands) { // the parts of one line: a digit's detached bar, a dot above it
      int[] previous = joined.isEmpty() ? null : joined.get(joined.size() - 1);
      if (previous != null && b[0] - previous[1] - 1 < Tuning.PAGE_JOIN_GAP * tallest) {
        previous[1] = b[1];
      } else {
        joined.add(b.clone());
      }
    }
    int tallestLine = joined.stream().mapToInt(b -> b[1] - b[0] + 1).max().orElse(1);
    List<Box> out = new ArrayList<>();
    double sy = (double) decoded.height() / ink.height;
    for (int[] b : joined) {
      if (b[1] - b[0] + 1 < Tuning.PAGE_MIN_LINE * tallestLine) {
        continue;
      }
      int margin = (int) Math.round(Tuning.PAGE_MARGIN * (b[1] - b[0] + 1));
      int y0 = Math.max(0, (int) Math.floor((b[0] - margin) * sy));
      int y1 = Math.min(decoded.height(), (int) Math.ceil((b[1] + 1 + margin) * sy));
      out.add(new Box(0, y0, decoded.width(), y1 - y0));
    }
    return out;
  }

  /** Reads each line of the page; a band without digits is left out of the lines. */
  static List<PageLine> read(NumberReader reader, ImageDecoder.Decoded decoded) {
    List<PageLine> out = new ArrayList<>();
    BufferedImage image = decoded.image();
    double scale = (double) image.getHeight() / decoded.height();
    for (Box band : lines(decoded)) {
      int y0 = (int) Math.floor(band.y() * scale);
      int y1 = Math.min(image.getHeight(), (int) Math.ceil(band.y1() * scale) + 1);
      BufferedImage strip = image.getSubimage(0, y0, image.getWidth(), Math.max(1, y1 - y0));
      NumberReading line;
      try {
        line = reader.read(new ImageDecoder.Decoded(strip, decoded.width(), band.height()));
      } catch (ImageException e) {
        continue; // ink that holds no digits: not a line of this page
      }
      out.add(new PageLine(shifted(line, band, decoded), band));
    }
    return out;
  }

  /** A line's reading with its boxes moved from the strip's pixels to the page's. */
  private static NumberReading shifted(NumberReading line, Box band, ImageDecoder.Decoded decoded) {
    List<NumberReading.Digit> digits = new ArrayList<>();
    for (NumberReading.Digit d : line.digits()) {
      digits.add(new NumberReading.Digit(d.prediction(), down(d.box(), band.y())));
    }
    List<NumberReading.Skipped> skipped = new ArrayList<>();
    for (NumberReading.Skipped k : line.skipped()) {
      skipped.add(new NumberReading.Skipped(down(k.box(), band.y()), k.reason()));
    }
    NumberReading other = line.otherReading() == null ? null : shifted(line.otherReading(), band, decoded);
    return new NumberReading(List.copyOf(digits), List.copyOf(skipped), decoded.width(), decoded.height(), other);
  }

  private static Box down(Box b, int dy) {
    return new Box(b.x(), b.y() + dy, b.width(), b.height());
  }
}
