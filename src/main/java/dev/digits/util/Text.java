package dev.digits.util;

/**
 * Text as it may go into one line of a command's output. A file name may hold any character but
 * '/' and NUL: a newline in it would split an error line in two and let the second say anything
 * ({@code x⏎train: done.png}), an escape sequence would recolour or clear the terminal. Such
 * characters are shown as escapes instead: {@code \n}, {@code \r}, {@code \t}, {@code \x1b},
 * {@code \u2028}.
 */
public final class Text {
  private Text() {}

  /** {@code s} with every control character (and the Unicode line and paragraph separators) escaped. */
  public static String oneLine(Object value) {
    String s = String.valueOf(value);
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String escape = escape(c);
      if (escape != null && out == null) {
        out = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (out != null) {
        out.append(escape != null ? escape : String.valueOf(c));
      }
    }
    return out == null ? s : out.toString();
  }

  /** Prints each message as one line, escaped: a log sink for messages that may hold file names. */
  public static java.util.function.Consumer<String> lines(java.io.PrintStream out) {
    return message -> out.println(oneLine(message));
  }

  private static String escape(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
      return String.format("\\x%02x", (int) c);
    }
    if (c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
      return String.format("\\u%04x", (int) c); // line breaks, and the bidirectional overrides that reorder a line
    }
    return null;
  }
}
