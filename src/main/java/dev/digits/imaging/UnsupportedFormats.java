package dev.digits.imaging;

/** Images that are recognizably images but that no decoder here reads: named, so the error can say so. */
final class UnsupportedFormats {
  private UnsupportedFormats() {}

  /**
   * The name of an image format that is recognizably an image but that nothing here decodes (vector
   * graphics, HEIF/AVIF photos from phones, JPEG XL, JPEG 2000), or null.
   */
  static String name(byte[] b) {
    String head = new String(b, 0, Math.min(b.length, 512), java.nio.charset.StandardCharsets.ISO_8859_1);
    String text = head.stripLeading().toLowerCase(java.util.Locale.ROOT);
    if (text.startsWith("<svg") || (text.startsWith("<?xml") || text.startsWith("<!doctype svg")) && text.contains("<svg")) {
      return "SVG";
    }
    if (b.length >= 12 && head.startsWith("ftyp", 4)) { // ISO base media file: HEIF, AVIF
      String brand = head.substring(8, 12);
      return switch (brand) {
        case "avif", "avis" -> "AVIF";
        case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1" -> "HEIC";
        default -> null;
      };
    }
    if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0x0A
        || head.startsWith("\0\0\0\fJXL ")) {
      return "JPEG XL";
    }
    if (head.startsWith("\0\0\0\fjP  ") || b.length >= 4 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0x4F
        && (b[2] & 0xff) == 0xFF && (b[3] & 0xff) == 0x51) {
      return "JPEG 2000";
    }
    if (head.startsWith("%!PS") || head.startsWith("%PDF")) {
      return head.startsWith("%PDF") ? "PDF" : "PostScript";
    }
    return null;
  }
}
