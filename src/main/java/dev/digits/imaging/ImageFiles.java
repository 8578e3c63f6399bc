package dev.digits.imaging;

import java.util.Locale;
import java.util.Set;

/** Which files in a folder are images: what Predict, Evaluate and the Spark job collect from folders. */
public final class ImageFiles {
  /** File extensions taken for images, in lower case. */
  public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp",
      "pnm", "pgm", "ppm", "pbm", "ico", "psd", "pcx", "tga",
      // Image types nothing here decodes: collected from folders anyway, so each gets a line saying so
      // rather than being passed over in silence like a text file.
      "svg", "svgz", "heic", "heif", "avif", "jxl", "jp2", "j2k");

  private ImageFiles() {}

  /** Whether a file name (or path) ends in an image extension, in any case. */
  public static boolean looksLikeImage(String name) {
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    int dot = name.lastIndexOf('.');
    return dot > slash + 1 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
