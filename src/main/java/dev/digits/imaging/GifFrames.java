package dev.digits.imaging;

/**
 * The frames a GIF declares, read from its block structure without decoding any pixel: a GIF's
 * logical screen says nothing of its frames' sizes, and a decoder allocates each frame at its own.
 */
final class GifFrames {
  private GifFrames() {}

  /** One frame's declared size, and the file's logical screen. */
  record Frame(int index, int width, int height, int screenWidth, int screenHeight) {
    long pixels() {
      return (long) width * height;
    }
  }

  /** The first frame (the one decoded), or a frame of the screen's size when there is none. */
  static Frame first(byte[] gif) {
    Frame[] found = new Frame[2];
    walk(gif, f -> {
      if (found[0] == null) {
        found[0] = f;
      }
    });
    return found[0] != null ? found[0] : screen(gif);
  }

  /** The frame with the most pixels (or the screen, when it has more or there is no frame). */
  static Frame largest(byte[] gif) {
    Frame[] largest = {screen(gif)};
    walk(gif, f -> {
      if (f.pixels() > largest[0].pixels()) {
        largest[0] = f;
      }
    });
    return largest[0];
  }

  private static Frame screen(byte[] gif) {
    return new Frame(0, u16(gif, 6), u16(gif, 8), u16(gif, 6), u16(gif, 8));
  }

  /**
   * Calls {@code each} for every image descriptor, in file order, until the trailer or the end of
   * the bytes; a truncated or malformed block structure simply ends the walk (the decoder reports it).
   */
  private static void walk(byte[] gif, java.util.function.Consumer<Frame> each) {
    if (gif.length < 13) {
      return;
    }
    int screenWidth = u16(gif, 6);
    int screenHeight = u16(gif, 8);
    int at = 13 + colourTableBytes(gif[10]);
    int index = 0;
    while (at < gif.length) {
      int block = gif[at] & 0xff;
      if (block == 0x2C) { // image descriptor: left, top, width, height, flags
        if (at + 10 > gif.length) {
          return;
        }
        each.accept(new Frame(index++, u16(gif, at + 5), u16(gif, at + 7), screenWidth, screenHeight));
        at += 10 + colourTableBytes(gif[at + 9]);
        at += 1; // LZW minimum code size
        at = skipSubBlocks(gif, at);
      } else if (block == 0x21) { // extension: label, then data sub-blocks
        at = skipSubBlocks(gif, at + 2);
      } else {
        return; // 0x3B, the trailer, or bytes that are not a GIF block
      }
    }
  }

  private static int colourTableBytes(byte flags) {
    return (flags & 0x80) != 0 ? 3 * (1 << ((flags & 0x07) + 1)) : 0;
  }

  private static int skipSubBlocks(byte[] gif, int at) {
    while (at < gif.length) {
      int size = gif[at] & 0xff;
      at += 1 + size;
      if (size == 0) {
        return at;
      }
    }
    return at;
  }

  private static int u16(byte[] b, int at) {
    return at + 1 < b.length ? (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 : 0;
  }
}
