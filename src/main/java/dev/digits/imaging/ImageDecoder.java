package dev.digits.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.commons.imaging.ImageFormat;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;

/**
 * Turns image file bytes into a {@link BufferedImage}, refusing what cannot be a digit photo
 * before spending memory on it.
 *
 * <ul>
 *   <li>The size comes from the header, and images over {@value #MAX_PIXELS} pixels are refused
 *       before any pixel is decoded, so a decompression bomb costs milliseconds, not gigabytes; a
 *       PNG's metadata chunks (where a bomb can hide below the pixel limit) are dropped unread.
 *   <li>JPEG, PNG and GIF go to {@code javax.imageio} first: its JPEG decoder is native, handles
 *       progressive and can skip pixels of a large photo while decoding, its PNG decoder is faster,
 *       its GIF decoder reads the first frame alone; commons-imaging handles the rest (GIF, BMP, TIFF, WebP, PNM, ...) and is the
 *       fallback either way.
 *   <li>Every frame is bounded, not just the first or the screen: a GIF's frames are each checked
 *       against the pixel limit (a 910-byte GIF can declare a 46000x46000 frame on a 64x64
 *       screen), the image a decoder is about to read is checked again from that decoder's own
 *       header, and the icon and multi-page formats whose decoders read every image (ICO, ICNS,
 *       DCX) are refused.
 *   <li>A progressive JPEG's scans are counted before decoding: the JDK's decoder pays for the
 *       whole image once per scan, so a few hundred kilobytes of tiny scans would cost minutes.
 *       At most {@value #MAX_JPEG_SCANS} scans, and at most {@value #MAX_JPEG_SCAN_PIXELS} pixels
 *       times scans (about 1.5 s on one core): a camera's progressive photo has about ten.
 *   <li>EXIF orientation is applied, multi-frame images give their first frame, and a JPEG without
 *       its end marker is reported as truncated instead of decoded half grey.
 * </ul>
 */
public final class ImageDecoder {
  /** Largest image accepted, in pixels (about an 8000x5000 photo). */
  public static final long MAX_PIXELS = 40_000_000L;
  /** Largest file accepted. */
  public static final int MAX_BYTES = 64 << 20;
  /** Most scans a JPEG may have (a progressive photo has about ten; libjpeg's own default script has ten). */
  public static final int MAX_JPEG_SCANS = 100;
  /**
   * Most pixels times scans a JPEG may cost: the JDK's decoder takes about a nanosecond for each
   * (a 6000x6000 image of 100 scans: 4 s), so this bounds one decode to about 1.5 s of one core.
   */
  public static final long MAX_JPEG_SCAN_PIXELS = 1_500_000_000L;
  /** Smallest side that can hold a recognizable digit. */
  public static final int MIN_SIDE = 8;
  /** Images are decoded at roughly this many pixels on the longer side where the decoder can skip. */
  static final int DECODE_SIDE = 400;

  static {
    // Register the ImageIO plugins on the class path (TwelveMonkeys' lossy WebP) even when ImageIO
    // was first used by another class loader, as under mvn exec:java.
    ImageIO.scanForPlugins();
  }

  private ImageDecoder() {}

  /**
   * Reads an image file's bytes: regular files only (a FIFO would block forever, a device never
   * end), and never more than {@link #MAX_BYTES}, whatever the file system says of the size.
   */
  public static byte[] readFile(java.nio.file.Path file) {
    if (!java.nio.file.Files.exists(file)) {
      throw new ImageException(java.nio.file.Files.isSymbolicLink(file) ? brokenLink(file) : "no such file");
    }
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new ImageException(java.nio.file.Files.isDirectory(file) ? "a folder, not an image file"
          : "not a regular file (a pipe, socket or device); save the image to a file first");
    }
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new ImageException("file is larger than " + (MAX_BYTES >> 20) + " MB");
      }
      return bytes;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ImageException("no such file");
    } catch (IOException e) {
      throw new ImageException("cannot read: " + e.getMessage(), e);
    }
  }

  /** Why a symbolic link that leads to nothing does: a loop, or a target that is not there. */
  private static String brokenLink(java.nio.file.Path link) {
    try {
      link.toRealPath();
      return "no such file";
    } catch (java.nio.file.FileSystemException e) {
      String reason = e.getReason() == null ? "" : e.getReason();
      return reason.toLowerCase(java.util.Locale.ROOT).contains("levels of symbolic links")
          ? "a symbolic link loop (it leads back to itself)" : "a broken symbolic link (its target does not exist)";
    } catch (IOException e) {
      return "a broken symbolic link";
    }
  }

  /** Decodes an image, upright (EXIF orientation applied); large JPEGs at about {@value #DECODE_SIDE} pixels. */
  public static BufferedImage decode(byte[] bytes) {
    return decode(bytes, DECODE_SIDE).image();
  }

  /**
   * A decoded image and the size of the full image as displayed, for mapping positions found in
   * a subsampled decode back to the original's coordinates.
   */
  public record Decoded(BufferedImage image, int width, int height) {
    public double scaleX() {
      return (double) width / image.getWidth();
    }

    public double scaleY() {
      return (double) height / image.getHeight();
    }
  }

  /** {@link #decode(byte[])}, with large JPEGs decoded at about {@code decodeSide} pixels on the longer side. */
  public static Decoded decode(byte[] bytes, int decodeSide) {
    return decode(inspect(bytes), decodeSide);
  }

  /**
   * What an image file promises, read from its headers alone: its format and size, every check of
   * this class passed (format, pixel limit, frames, scans). The bytes are the ones to decode (a PNG's
   * metadata chunks dropped).
   */
  record Header(byte[] bytes, ImageFormat format, int width, int height) {
    boolean jpeg() {
      return format == ImageFormats.JPEG;
    }
  }

  /**
   * About how many bytes of memory decoding this image file takes at its peak (its decoded pixels,
   * a progressive JPEG's coefficients, a rotation's copies), from its headers alone: what a server
   * reserves before it decodes. Throws the {@link ImageException} that decoding would throw for an
   * image refused from its headers.
   */
  public static long decodingBytes(byte[] bytes) {
    Header h = inspect(bytes);
    long pixels = (long) h.width() * h.height();
    long perPixel;
    if (h.jpeg()) {
      perPixel = 4; // libjpeg's coefficients of a progressive image (2 bytes a sample), the output at most 4
    } else if (h.format() == ImageFormats.PNG || h.format() == ImageFormats.GIF) {
      perPixel = 8; // 16-bit RGBA at most
    } else {
      perPixel = 16; // commons-imaging's ARGB ints, and an EXIF rotation's two copies of them
    }
    return bytes.length + pixels * perPixel;
  }

  private static Header inspect(byte[] bytes) {
    if (bytes.length == 0) {
      throw new ImageException("empty file");
    }
    if (bytes.length > MAX_BYTES) {
      throw new ImageException("file is larger than " + (MAX_BYTES >> 20) + " MB");
    }
    String unsupported = UnsupportedFormats.name(bytes);
    if (unsupported != null) {
      throw new ImageException("unsupported image format (" + unsupported + "): convert it to PNG or JPEG first");
    }
    ImageFormat format = guessFormat(bytes);
    if (format == ImageFormats.ICO || format == ImageFormats.ICNS || format == ImageFormats.DCX) {
      // Their decoders read every image in the file, each with a size of its own.
      throw new ImageException("unsupported image format (" + format.getName() + " icons and multi-page images): "
          + "convert it to PNG or JPEG first");
    }
    if (format == ImageFormats.PNG) {
      bytes = withoutAncillaryChunks(bytes); // before anything reads its chunks, the size included
    }
    if (format == ImageFormats.UNKNOWN && !imageIoCanRead(bytes)) {
      throw new ImageException("not an image in a supported format (PNG, JPEG, GIF, BMP, TIFF, WebP, ...)");
    }
    int[] size = size(bytes);
    checkPixels(size[0], size[1], "image");
    if (size[0] < MIN_SIDE || size[1] < MIN_SIDE) {
      throw new ImageException(String.format("image is %dx%d pixels, too small to hold a digit (minimum %dx%d)",
          size[0], size[1], MIN_SIDE, MIN_SIDE));
    }
    boolean jpeg = format == ImageFormats.JPEG;
    if (jpeg && !hasJpegEnd(bytes)) {
      throw new ImageException("truncated JPEG (no end-of-image marker)");
    }
    if (jpeg) {
      checkScans(JpegScans.count(bytes), size);
    }
    return new Header(bytes, format, size[0], size[1]);
  }

  private static Decoded decode(Header header, int decodeSide) {
    byte[] bytes = header.bytes();
    ImageFormat format = header.format();
    int[] size = {header.width(), header.height()};
    boolean jpeg = header.jpeg();
    // ImageIO first where it is the better decoder (JPEG), the faster one (PNG: a third less time)
    // or the one that reads the first frame alone (GIF: commons-imaging decodes every frame).
    boolean imageIoFirst = jpeg || format == ImageFormats.PNG || format == ImageFormats.GIF;
    BufferedImage image = imageIoFirst ? decodeWithImageIo(bytes, size, jpeg ? decodeSide : 0) : null;
    if (image == null && format != ImageFormats.GIF) { // commons-imaging would decode every frame of a GIF
      image = decodeWithCommonsImaging(bytes);
    }
    if (image == null && !imageIoFirst) {
      image = decodeWithImageIo(bytes, size, 0);
    }
    if (image == null) {
      throw new ImageException("corrupt or truncated " + formatName(format) + " image");
    }
    int orientation = jpeg || format == ImageFormats.TIFF ? Orientation.of(bytes) : 1;
    image = Orientation.apply(image, orientation);
    boolean turned = orientation >= 5 && orientation <= 8; // the quarter turns swap width and height
    return new Decoded(image, turned ? size[1] : size[0], turned ? size[0] : size[1]);
  }

  private static void checkPixels(long width, long height, String what) {
    if (width * height > MAX_PIXELS) {
      throw new ImageException(String.format("%s is %dx%d pixels, over the limit of %,d pixels", what, width, height,
          MAX_PIXELS));
    }
  }

  private static void checkScans(int scans, int[] size) {
    long allowed = Math.min(MAX_JPEG_SCANS, MAX_JPEG_SCAN_PIXELS / Math.max(1, (long) size[0] * size[1]));
    if (scans > allowed) {
      throw new ImageException(String.format("JPEG of %d scans, over the limit of %d for a %dx%d image (a progressive "
          + "photo has about 10); save it as a baseline JPEG or a PNG", scans, allowed, size[0], size[1]));
    }
  }

  /** The PNG chunks that make the picture; everything else is metadata, which no step here reads. */
  private static final java.util.Set<String> PNG_PICTURE_CHUNKS = java.util.Set.of("IHDR", "PLTE", "tRNS", "IDAT",
      "IEND");

  /**
   * A PNG with only the chunks that make its picture. Ancillary chunks can be decompression bombs
   * of their own (an ICC profile or a compressed text chunk that inflates to gigabytes, below any
   * pixel limit) and carry nothing the digit needs: colour profiles and gamma are ignored by the
   * decoders anyway. A malformed chunk list is returned as it is, for the decoder to report.
   */
  static byte[] withoutAncillaryChunks(byte[] png) {
    if (png.length < 8) {
      return png;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(png.length);
    out.write(png, 0, 8);
    int at = 8;
    boolean dropped = false;
    while (at + 12 <= png.length) {
      long length = ((png[at] & 0xffL) << 24) | ((png[at + 1] & 0xff) << 16) | ((png[at + 2] & 0xff) << 8) | (png[at + 3] & 0xff);
      if (length > png.length - at - 12L) {
        return png; // truncated or corrupt: let the decoder say so
      }
      String type = new String(png, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      int size = (int) length + 12;
      if (PNG_PICTURE_CHUNKS.contains(type)) {
        out.write(png, at, size);
      } else {
        dropped = true;
      }
      at += size;
      if (type.equals("IEND")) {
        break;
      }
    }
    return dropped ? out.toByteArray() : png;
  }

  private static ImageFormat guessFormat(byte[] bytes) {
    try {
      return Imaging.guessFormat(bytes);
    } catch (IOException | RuntimeException e) {
      return ImageFormats.UNKNOWN;
    }
  }

  /** Width and height from the header alone. */
  private static int[] size(byte[] bytes) {
    if (bytes.length >= 10 && bytes[0] == 'G' && bytes[1] == 'I' && bytes[2] == 'F') {
      // Every frame's own size, from the block structure (commons-imaging would decode every frame):
      // the decoded first frame is as large as the screen or its own size, whichever is larger.
      GifFrames.Frame largest = GifFrames.largest(bytes);
      checkPixels(largest.width(), largest.height(), "GIF frame " + largest.index());
      GifFrames.Frame first = GifFrames.first(bytes);
      return new int[] {Math.max(first.screenWidth(), first.width()), Math.max(first.screenHeight(), first.height())};
    }
    try {
      java.awt.Dimension d = Imaging.getImageSize(bytes);
      // A top-down BMP stores its height negative: the size is the same.
      return new int[] {Math.abs(d.width), Math.abs(d.height)};
    } catch (IOException | RuntimeException e) {
      // fall through to ImageIO's header reader
    }
    try (ImageInputStream in = memoryStream(bytes)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (readers.hasNext()) {
        ImageReader reader = readers.next();
        try {
          reader.setInput(in);
          return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } finally {
          reader.dispose();
        }
      }
    } catch (IOException | RuntimeException e) {
      // reported below
    }
    throw new ImageException("unreadable image header (corrupt or truncated file)");
  }

  private static BufferedImage decodeWithCommonsImaging(byte[] bytes) {
    try {
      return fileLevelsInGreyRaster(Imaging.getBufferedImage(bytes));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * commons-imaging returns a grey image with its samples converted to linear light (Java's grey
   * colour space), so a file's mid-grey 129 reads back as 56 from the raster: faint strokes
   * all but vanish. ImageIO keeps the file's own levels there, and so do we: the samples are set
   * back to the levels {@code getRGB} reports, which are the file's.
   */
  static BufferedImage fileLevelsInGreyRaster(BufferedImage img) {
    if (img == null || img.getType() != BufferedImage.TYPE_BYTE_GRAY) {
      return img;
    }
    int w = img.getWidth();
    int h = img.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    int[] row = new int[w];
    int[] levels = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        levels[x] = (row[x] >> 8) & 0xff;
      }
      out.getRaster().setSamples(0, y, w, 1, 0, levels);
    }
    return out;
  }

  /**
   * The bytes as an ImageIO stream cached in memory, whatever ImageIO's global cache setting: its
   * default disk cache fails where the temporary folder cannot be written, and the image is in
   * memory already.
   */
  private static ImageInputStream memoryStream(byte[] bytes) {
    return new javax.imageio.stream.MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
  }

  /**
   * Decodes with ImageIO; with {@code skip}, only every n-th pixel of a large image (the
   * preprocessor shrinks it anyway). Only photos are skipped through: in a large drawing the
   * strokes can be thinner than the gap, and the digit would lose them.
   */
  /** Decodes with ImageIO, skipping pixels down to about {@code side} pixels when {@code side > 0}. */
  private static BufferedImage decodeWithImageIo(byte[] bytes, int[] size, int side) {
    try (ImageInputStream in = memoryStream(bytes)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        // The image about to be decoded, as this decoder reads its header: it allocates this much.
        checkPixels(reader.getWidth(0), reader.getHeight(0), "image");
        ImageReadParam param = reader.getDefaultReadParam();
        int step = side > 0 ? Math.max(1, Math.max(size[0], size[1]) / side) : 1;
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    } catch (ImageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean imageIoCanRead(byte[] bytes) {
    try (ImageInputStream in = memoryStream(bytes)) {
      return ImageIO.getImageReaders(in).hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  /** A JPEG's data ends with FF D9; allow a little padding after it. */
  private static boolean hasJpegEnd(byte[] b) {
    for (int i = b.length - 2; i >= Math.max(0, b.length - 4096); i--) {
      if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xD9) {
        return true;
      }
    }
    return false;
  }

  private static String formatName(ImageFormat f) {
    return f == ImageFormats.UNKNOWN ? "" : f.getName();
  }
}
