package dev.digits.numbers;

import dev.digits.imaging.Box;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a page ({@link NumberReader#readPage}): its reading, with boxes in the page's pixels,
 * and the band of the page it lies in.
 */
public record PageLine(NumberReading reading, Box box) {
  /** The line as JSON-ready maps: the reading's fields, and the line's {@code box}. */
  public Map<String, Object> toMap(int top) {
    Map<String, Object> m = new LinkedHashMap<>(reading.toMap(top));
    m.put("box", box.toArray());
    return m;
  }
}
