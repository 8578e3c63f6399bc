package dev.digits.data;

import dev.digits.data.DataException;
import dev.digits.imaging.GrayImage;
import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Real handwritten digits as a user's files: the development set in {@code ../shared/realdigits}
 * (its {@code manifest.csv} names every file, its label and how it was made), read in place and
 * never copied, plus variants rendered from it the way users' files look.
 *
 * <p>The parts, each judged on its own:
 * <ul>
 *   <li>{@code hand}: the hand-made digits (drawn, paper, photo, processed), original bytes;
 *   <li>{@code usps}: USPS zip-code scans at their native 16x16;
 *   <li>{@code usps-up}: the same scans as users send low-resolution scans: upscaled 4-8x with
 *       bicubic interpolation, either polarity, saved as PNG or JPEG (seeded, one variant each).
 * </ul>
 * and parts the development set lacks but users send, reported beside it:
 * <ul>
 *   <li>{@code faint}: the hand-made digits with their ink contrast cut to 15-35% (light grey
 *       pencil on white, a pale canvas stroke);
 *   <li>{@code usps-big}: the scans upscaled 9-16x, as a scan enlarged for a screen;
 *   <li>{@code restyled}: each hand-made digit once in one of the ways people's files differ from
 *       the set's: a canvas export (ink as alpha on transparent black), coloured ink on tinted
 *       paper, a small digit on a large page, a slight rotation;
 *   <li>{@code printed}: digits typed in the JDK's fonts (serif, sans, mono; plain, bold, italic).
 * </ul>
 */
public record RealDigitSet(Path dir, List<Item> items) {
  /** The parts whose accuracy the development-set targets speak of. */
  public static final List<String> DEV_PARTS = List.of("hand", "usps", "usps-up");

  /** One image file as a user would send it. */
  public record Item(String name, int label, String part, String style, byte[] bytes) {}

  /** Where the set is, relative to the project: beside it in {@code ../shared}. */
  public static final Path DEFAULT_DIR = Path.of("../shared/realdigits");

  /** Reads the manifest and every file it lists; renders the derived parts with {@code seed}. */
  public static RealDigitSet load(Path dir, long seed) throws IOException {
    Path manifest = dir.resolve("manifest.csv");
    if (!Files.isRegularFile(manifest)) {
      throw new DataException(manifest + " not found: pass the realdigits folder (its manifest.csv lists the images)");
    }
    List<Item> items = new ArrayList<>();
    List<Item> derived = new ArrayList<>();
    List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
    for (int n = 1; n < lines.size(); n++) {
      String[] f = dev.digits.util.Csv.fields(lines.get(n)).toArray(String[]::new);
      if (f.length < 8 || !f[1].matches("[0-9]")) {
        throw new DataException(manifest + " line " + (n + 1) + ": expected file,label,…,style");
      }
      String file = f[0];
      int label = Integer.parseInt(f[1]);
      String style = f[7].split(";")[0];
      byte[] bytes = Files.readAllBytes(dir.resolve(file));
      SplittableRandom rng = new SplittableRandom(seed ^ file.hashCode());
      if (file.startsWith("lowres/")) {
        items.add(new Item(file, label, "usps", "16px", bytes));
        derived.add(upscaled(file, label, bytes, rng, 4, 8, "usps-up"));
        derived.add(upscaled(file, label, bytes, rng, 9, 16, "usps-big"));
      } else {
        items.add(new Item(file, label, "hand", style, bytes));
        derived.add(faint(file, label, bytes, rng));
        derived.add(asUsersSendIt(file, label, bytes, rng));
      }
    }
    items.addAll(derived);
    items.addAll(printed());
    return new RealDigitSet(dir, List.copyOf(items));
  }

  /**
   * Which copy of the set this is: the first 12 hex digits of its {@code manifest.csv}'s SHA-256
   * (the manifest lists each file's SHA-256, so any changed image changes it). The shared folder
   * has been replaced by other images under the same name; a figure quoted with this says which.
   */
  public static String version(Path dir) throws IOException {
    return Checksums.sha256(Files.readAllBytes(dir.resolve("manifest.csv"))).substring(0, 12);
  }

  /** This set with more items. */
  public RealDigitSet with(List<Item> more) {
    List<Item> all = new ArrayList<>(items);
    all.addAll(more);
    return new RealDigitSet(dir, List.copyOf(all));
  }

  /** The items of one part. */
  public List<Item> part(String part) {
    return items.stream().filter(i -> i.part().equals(part)).toList();
  }

  /** A low-resolution scan as a user's file: upscaled (bicubic) by min-max, either polarity, PNG or JPEG. */
  private static Item upscaled(String file, int label, byte[] bytes, SplittableRandom rng, int min, int max,
      String part) throws IOException {
    BufferedImage src = read(file, bytes);
    int factor = min + rng.nextInt(max - min + 1);
    boolean invert = rng.nextBoolean();
    boolean jpeg = rng.nextBoolean();
    BufferedImage up = new BufferedImage(src.getWidth() * factor, src.getHeight() * factor, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = up.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(src, 0, 0, up.getWidth(), up.getHeight(), null);
    g.dispose();
    if (invert) {
      byte[] px = ((java.awt.image.DataBufferByte) up.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < px.length; i++) {
        px[i] = (byte) (255 - (px[i] & 0xff));
      }
    }
    String style = factor + "x-" + (invert ? "light-on-dark" : "dark-on-light") + (jpeg ? "-jpeg" : "-png");
    return new Item(file + "@" + style, label, part, factor + "x" + (jpeg ? "-jpeg" : "-png"),
        jpeg ? jpeg(up, 0.75f + 0.2f * rng.nextFloat()) : png(up));
  }

  /** A hand-made digit drawn faintly: every pixel pulled towards the background, to 15-35% contrast. */
  private static Item faint(String file, int label, byte[] bytes, SplittableRandom rng) throws IOException {
    BufferedImage src = read(file, bytes);
    int w = src.getWidth();
    int h = src.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    int[] lum = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = src.getRGB(x, y);
        int l = (int) (0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff));
        int a = argb >>> 24;
        lum[y * w + x] = (l * a + 255 * (255 - a)) / 255; // transparent = white paper
      }
    }
    int bg = borderMedian(lum, w, h);
    double contrast = 0.15 + 0.2 * rng.nextDouble();
    byte[] px = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) Math.round(bg + (lum[i] - bg) * contrast);
    }
    return new Item(file + "@faint", label, "faint", String.format("contrast-%02d", (int) (contrast * 100) / 10 * 10), png(out));
  }

  /**
   * A hand-made digit as it might have reached us another way (one of four, by seed): exported from
   * a canvas (its darkness becomes the alpha of black ink on transparent black), in coloured ink on
   * tinted paper, small on a page three times its size, or turned by 8-15 degrees.
   */
  private static Item asUsersSendIt(String file, int label, byte[] bytes, SplittableRandom rng) throws IOException {
    BufferedImage src = read(file, bytes);
    int w = src.getWidth();
    int h = src.getHeight();
    float[] ink = new float[w * h]; // 0 = paper, 1 = full ink, whatever the file's polarity
    int[] lum = new int[w * h];
    for (int i = 0; i < lum.length; i++) {
      int argb = src.getRGB(i % w, i / w);
      lum[i] = (int) (0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff));
    }
    int bg = borderMedian(lum, w, h);
    int range = Math.max(1, bg > 127 ? bg - java.util.Arrays.stream(lum).min().orElse(0)
        : java.util.Arrays.stream(lum).max().orElse(255) - bg);
    for (int i = 0; i < ink.length; i++) {
      ink[i] = Math.max(0f, Math.min(1f, (bg > 127 ? bg - lum[i] : lum[i] - bg) / (float) range));
    }
    String style;
    BufferedImage out;
    switch (rng.nextInt(4)) {
      case 0 -> {
        style = "canvas-alpha";
        out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < ink.length; i++) {
          out.setRGB(i % w, i / w, Math.round(ink[i] * 255) << 24);
        }
      }
      case 1 -> {
        style = "colored";
        int[][] inks = {{20, 40, 160}, {170, 20, 30}, {20, 110, 40}};
        int[][] papers = {{250, 245, 225}, {225, 235, 250}, {255, 250, 240}};
        int[] c = inks[rng.nextInt(inks.length)];
        int[] p = papers[rng.nextInt(papers.length)];
        out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < ink.length; i++) {
          float a = ink[i];
          out.setRGB(i % w, i / w, mix(p[0], c[0], a) << 16 | mix(p[1], c[1], a) << 8 | mix(p[2], c[2], a));
        }
      }
      case 2 -> {
        style = "small-on-page";
        out = page(src, bg, 3 * w, 3 * h, rng.nextInt(2 * w + 1), rng.nextInt(2 * h + 1), 0);
      }
      default -> {
        style = "rotated";
        double degrees = (8 + 7 * rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
        int side = (int) Math.ceil(Math.hypot(w, h));
        out = page(src, bg, side, side, (side - w) / 2, (side - h) / 2, Math.toRadians(degrees));
      }
    }
    return new Item(file + "@" + style, label, "restyled", style, png(out));
  }

  private static int mix(int paper, int ink, float a) {
    return Math.round(paper + (ink - paper) * a);
  }

  /** {@code src} drawn at (x, y) on a page of its own background grey, turned by {@code radians}. */
  private static BufferedImage page(BufferedImage src, int bg, int w, int h, int x, int y, double radians) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(new java.awt.Color(bg, bg, bg));
    g.fillRect(0, 0, w, h);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.rotate(radians, w / 2.0, h / 2.0);
    g.drawImage(src, x, y, null);
    g.dispose();
    return out;
  }

  private static int borderMedian(int[] lum, int w, int h) {
    float[] grey = new float[lum.length];
    for (int i = 0; i < lum.length; i++) {
      grey[i] = lum[i];
    }
    return (int) new GrayImage(w, h, grey).borderMedian();
  }

  /** Digits typed in the JDK's logical fonts, black on white, at 64 px. */
  private static List<Item> printed() throws IOException {
    List<Item> items = new ArrayList<>();
    String[] families = {Font.SERIF, Font.SANS_SERIF, Font.MONOSPACED};
    int[] styles = {Font.PLAIN, Font.BOLD, Font.ITALIC};
    for (String family : families) {
      for (int style : styles) {
        for (int d = 0; d <= 9; d++) {
          BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
          Graphics2D g = img.createGraphics();
          g.setColor(java.awt.Color.WHITE);
          g.fillRect(0, 0, 64, 64);
          g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
          g.setColor(java.awt.Color.BLACK);
          g.setFont(new Font(family, style, 44));
          String s = Integer.toString(d);
          java.awt.FontMetrics m = g.getFontMetrics();
          g.drawString(s, (64 - m.stringWidth(s)) / 2, (64 + m.getAscent() - m.getDescent()) / 2);
          g.dispose();
          String name = family.toLowerCase() + (style == Font.BOLD ? "-bold" : style == Font.ITALIC ? "-italic" : "");
          items.add(new Item("printed/" + name + "/" + d + ".png", d, "printed", name, png(img)));
        }
      }
    }
    return items;
  }

  private static BufferedImage read(String file, byte[] bytes) {
    try {
      return ImageDecoder.decode(bytes);
    } catch (ImageException e) {
      throw new DataException(file + ": " + e.getMessage() + ", so no variant of it can be rendered");
    }
  }

  static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  static byte[] jpeg(BufferedImage img, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
