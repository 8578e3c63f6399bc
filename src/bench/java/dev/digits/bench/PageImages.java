package dev.digits.bench;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded pages of several lines of digits, as people photograph them: a list on paper, lines of
 * different lengths and sizes, indented unevenly, as close together as handwriting puts them, the
 * whole sheet sometimes turned a few degrees or blurred, light on dark or a photo, some on ruled
 * paper (each number on a faint line that touches its digits), some with one line written in a
 * faint pen (a pencil among markers, a form's bold print beside pencilled figures); now and then a
 * word written beside a number ("No.", "Tel"), which a reader must skip, not read as digits, and
 * now and then a number written in two groups a space apart ("0612 3456"), which it must not.
 */
public final class PageImages {
  /** A page, the numbers of its lines top to bottom, and how it was made (for the tallies). */
  record Page(BufferedImage image, List<String> lines, NumberImages.Paper paper, boolean turned, boolean blurred,
      boolean close, boolean word, boolean spaced, boolean ruled, boolean faint) {
    /** The same page photographed otherwise: {@code image} shows it. */
    Page withImage(BufferedImage image) {
      return new Page(image, lines, paper, turned, blurred, close, word, spaced, ruled, faint);
    }
  }

  /** Words a form or a list puts beside its numbers. */
  private static final String[] WORDS = {"No.", "Tel", "kg", "Nr", "total", "Box", "Room", "ref"};

  private PageImages() {}

  /**
   * A page of the given lines of digits (each one line's glyphs, apart), each line about
   * {@code height} pixels high; {@code wordFont}, when not null, writes a word beside some lines.
   */
  static Page page(List<List<NumberImages.Glyph>> lines, List<String> numbers, int height, Font wordFont,
      SplittableRandom rng) {
    boolean close = rng.nextBoolean();
    List<NumberImages.Glyph> inked = new ArrayList<>();
    List<Integer> indents = new ArrayList<>();
    boolean word = false;
    boolean spaced = false;
    for (List<NumberImages.Glyph> glyphs : lines) {
      int h = (int) Math.round(height * (0.85 + 0.3 * rng.nextDouble()));
      NumberImages.Glyph line;
      if (glyphs.size() >= 5 && rng.nextInt(5) == 0) {
        int split = 2 + rng.nextInt(glyphs.size() - 3);
        line = beside(NumberImages.line(glyphs.subList(0, split), h, NumberImages.Spacing.APART, rng).cropped(0.05f),
            NumberImages.line(glyphs.subList(split, glyphs.size()), h, NumberImages.Spacing.APART, rng).cropped(0.05f), h, rng);
        spaced = true;
      } else {
        line = NumberImages.line(glyphs, h, NumberImages.Spacing.APART, rng).cropped(0.05f);
      }
      if (wordFont != null && rng.nextInt(4) == 0) {
        NumberImages.Glyph text = NumberImages.Glyph.fromText(wordFont, WORDS[rng.nextInt(WORDS.length)])
            .scaledTo((int) Math.round(h * 0.8));
        line = rng.nextBoolean() ? beside(text, line, h, rng) : beside(line, text, h, rng);
        word = true;
      }
      inked.add(line);
      indents.add((int) Math.round(rng.nextDouble() * 1.5 * height));
    }
    int margin = height;
    int width = 0;
    int pageHeight = 0;
    List<Integer> tops = new ArrayList<>();
    for (int i = 0; i < inked.size(); i++) {
      width = Math.max(width, indents.get(i) + inked.get(i).width());
      if (i > 0) {
        // Between lines: from a third of a line's height (a list written close) to a whole one.
        pageHeight += (int) Math.round(height * (close ? 0.3 + 0.2 * rng.nextDouble() : 0.5 + 0.5 * rng.nextDouble()));
      }
      tops.add(pageHeight);
      pageHeight += inked.get(i).height();
    }
    width += 2 * margin;
    pageHeight += 2 * margin;
    float[] ink = new float[width * pageHeight];
    // A quarter of the pages are ruled paper, each number written on a line (chosen by the numbers,
    // not the random stream, so that the other pages stay the images they were before rulings).
    boolean ruled = Math.floorMod(numbers.hashCode(), 4) == 0;
    // A fifth of the pages have one line written with a faint pen, 30% of the others' ink (chosen
    // by the numbers too, so that every other page stays as it was).
    int mixed = numbers.hashCode() * 0x9E3779B9;
    int faint = Math.floorMod(mixed >>> 8, 5) == 0 ? Math.floorMod(mixed >>> 16, inked.size()) : -1;
    for (int i = 0; i < inked.size(); i++) {
      paste(i == faint ? inked.get(i).scaled(0.3f) : inked.get(i), ink, width, margin + indents.get(i), margin + tops.get(i));
      if (ruled) {
        int y = margin + tops.get(i) + inked.get(i).height() + 1;
        for (int yy = y; yy < y + 2 && yy < pageHeight; yy++) {
          for (int x = 0; x < width; x++) {
            ink[yy * width + x] = Math.max(ink[yy * width + x], 0.45f);
          }
        }
      }
    }
    NumberImages.Paper paper = NumberImages.Paper.values()[rng.nextInt(3)];
    double degrees = rng.nextInt(3) == 0 ? (rng.nextDouble() * 2 - 1) * 3 : 0;
    double blur = rng.nextInt(4) == 0 ? 0.6 + rng.nextDouble() * 1.0 : 0;
    BufferedImage image = NumberImages.render(new NumberImages.Glyph(width, pageHeight, ink), paper, degrees, blur, rng);
    return new Page(image, List.copyOf(numbers), paper, degrees != 0, blur != 0, close, word, spaced, ruled, faint >= 0);
  }

  /** A word written in a face. */
  public record Word(String text, Font font) {}

  /**
   * An example page (the README's, and tests'): the given lines 56 pixels high, a third of a line
   * apart, each after its word when it has one ({@code words}, one per line, null for none), dark on
   * white, turned by 2 degrees.
   */
  public static BufferedImage example(List<List<NumberImages.Glyph>> lines, List<Word> words) {
    SplittableRandom rng = new SplittableRandom(17);
    int height = 56;
    List<NumberImages.Glyph> inked = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      NumberImages.Glyph line = NumberImages.line(lines.get(i), height, NumberImages.Spacing.APART, rng).cropped(0.05f);
      Word word = words.get(i);
      inked.add(word == null ? line
          : beside(NumberImages.Glyph.fromText(word.font(), word.text()).scaledTo(height * 3 / 4), line, height, rng));
    }
    int margin = height;
    int width = inked.stream().mapToInt(NumberImages.Glyph::width).max().orElse(0) + 2 * margin;
    int pageHeight = inked.stream().mapToInt(g -> g.height() + height / 3).sum() + 2 * margin;
    float[] ink = new float[width * pageHeight];
    int top = margin;
    for (NumberImages.Glyph g : inked) {
      paste(g, ink, width, margin, top);
      top += g.height() + height / 3;
    }
    return NumberImages.render(new NumberImages.Glyph(width, pageHeight, ink), NumberImages.Paper.DARK_ON_LIGHT, 2, 0, rng);
  }

  /** Two pieces of writing on one baseline, a space apart: about a digit's width, {@code height} being the line's. */
  private static NumberImages.Glyph beside(NumberImages.Glyph left, NumberImages.Glyph right, int height,
      SplittableRandom rng) {
    int gap = (int) Math.round(height * (0.7 + 0.5 * rng.nextDouble()));
    int w = left.width() + gap + right.width();
    int h = Math.max(left.height(), right.height());
    float[] ink = new float[w * h];
    paste(left, ink, w, 0, h - left.height());
    paste(right, ink, w, left.width() + gap, h - right.height());
    return new NumberImages.Glyph(w, h, ink);
  }

  private static void paste(NumberImages.Glyph g, float[] ink, int width, int x0, int y0) {
    for (int y = 0; y < g.height(); y++) {
      for (int x = 0; x < g.width(); x++) {
        int i = (y0 + y) * width + x0 + x;
        ink[i] = Math.max(ink[i], g.ink()[y * g.width() + x]);
      }
    }
  }
}
