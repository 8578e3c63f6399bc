package dev.digits.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.util.Map;

/** JSON in and out for metadata, history, checkpoint state and CLI output (Gson underneath). */
public final class Json {
  private static final Gson COMPACT = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues()
      .disableHtmlEscaping().create();
  private static final Gson PRETTY = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues()
      .disableHtmlEscaping().setPrettyPrinting().create();

  private Json() {}

  /** One line, for machine-read output such as {@code --json}. */
  public static String write(Object value) {
    return COMPACT.toJson(value);
  }

  /** Indented, for files people read. */
  public static String pretty(Object value) {
    return PRETTY.toJson(value) + "\n";
  }

  /** A JSON object as a map (numbers come back as Double). */
  public static Map<String, Object> parseObject(String text) {
    try {
      Map<String, Object> m = COMPACT.fromJson(text, new TypeToken<Map<String, Object>>() {}.getType());
      if (m == null) {
        throw new IllegalArgumentException("empty JSON document");
      }
      return m;
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
  }
}
