package dev.digits.serve;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.digits.model.ModelContract;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TF Serving's REST predict API for this model, so that clients work against this server and a
 * real TF Serving deployment alike: the row format {@code {"instances": [...]}} answered with
 * {@code {"predictions": [...]}}, and the columnar format {@code {"inputs": ...}} answered with
 * {@code {"outputs": ...}}; an optional {@code signature_name} must be {@code serving_default}
 * (or empty, which means it).
 * Each example is an image tensor of shape [28, 28, 1] with values in [0, 1].
 */
public final class ServingCodec {
  private static final int SIDE = ModelContract.SIDE;

  /** Decoded images, 784 floats each, laid end to end; and whether the request was columnar. */
  record Request(float[] images, int count, boolean columnar) {}

  private ServingCodec() {}

  /**
   * Most images one predict request may hold (the 8 MB body limit allows about 2,600). The body is
   * read as a stream, checked as it goes, and the pixels are stored as they are read, so a request
   * can never cost more than this many images' memory, whatever its size or shape.
   */
  public static final int MAX_INSTANCES = 1000;

  static Request parse(String body) {
    return parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Parses a UTF-8 body as it streams from the bytes: no copy of it as a string. */
  static Request parse(byte[] body) {
    if (isBlank(body)) {
      throw new ApiException(400, "empty request body; send {\"instances\": [...]} or {\"inputs\": ...}");
    }
    try (JsonReader r = new JsonReader(new java.io.InputStreamReader(new java.io.ByteArrayInputStream(body),
        java.nio.charset.StandardCharsets.UTF_8))) {
      r.setStrictness(Strictness.STRICT); // as TF Serving: no comments, single quotes or bare words
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        throw new ApiException(400, "the request must be a JSON object with \"instances\" or \"inputs\"");
      }
      r.beginObject();
      Batch batch = null;
      String batchKey = null;
      while (r.hasNext()) {
        String key = r.nextName();
        switch (key) {
          case "signature_name" -> signature(r);
          case "instances", "inputs" -> {
            if (batch != null) {
              throw new ApiException(400, "the request needs exactly one of \"instances\" (row format) or"
                  + " \"inputs\" (columnar format)");
            }
            batchKey = key;
            batch = key.equals("instances") ? rows(r) : columns(r);
          }
          default -> r.skipValue();
        }
      }
      r.endObject();
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new ApiException(400, "malformed JSON: more after the request object");
      }
      if (batch == null) {
        throw new ApiException(400, "the request needs exactly one of \"instances\" (row format) or"
            + " \"inputs\" (columnar format)");
      }
      if (batch.count == 0) {
        throw new ApiException(400, batchKey.equals("instances")
            ? "\"instances\" must be a non-empty list of [28, 28, 1] images"
            : "\"inputs\" must be a [n, 28, 28, 1] tensor (or {\"image\": tensor}) with n > 0");
      }
      return new Request(java.util.Arrays.copyOf(batch.pixels, batch.count * PIXELS), batch.count,
          batchKey.equals("inputs"));
    } catch (IOException | IllegalStateException e) { // MalformedJsonException and EOFException among them
      throw new ApiException(400, "malformed JSON: " + jsonProblem(e));
    }
  }

  /** Images read so far, stored as they arrive. */
  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private static final class Batch {
    float[] pixels = new float[PIXELS];
    int count;

    int add() {
      if (count == MAX_INSTANCES) {
        throw new ApiException(400, "more than " + MAX_INSTANCES + " images in one request; send them in several");
      }
      if ((count + 1) * PIXELS > pixels.length) {
        pixels = java.util.Arrays.copyOf(pixels, Math.min(MAX_INSTANCES, 2 * count + 1) * PIXELS);
      }
      return count++;
    }
  }

  private static final int PIXELS = SIDE * SIDE;

  /** An optional signature name: {@code serving_default}, or empty, which means it (as TF Serving). */
  private static void signature(JsonReader r) throws IOException {
    if (r.peek() != JsonToken.STRING) {
      throw new ApiException(400, "JSON Value: " + describe(r) + " not formatted correctly. 'signature_name' key must"
          + " be a string value.");
    }
    String name = r.nextString();
    if (!name.isEmpty() && !ModelContract.SIGNATURE_KEY.equals(name)) {
      throw new ApiException(400, "Serving signature name: \"" + name + "\" not found in signature def");
    }
  }

  /** {@code "instances": [image or {"image": image}, ...]}. */
  private static Batch rows(JsonReader r) throws IOException {
    Batch batch = new Batch();
    if (r.peek() != JsonToken.BEGIN_ARRAY) {
      throw new ApiException(400, "\"instances\" must be a non-empty list of [28, 28, 1] images, got " + describe(r));
    }
    r.beginArray();
    while (r.hasNext()) {
      String where = "instances[" + batch.count + "]";
      int index = batch.add();
      if (r.peek() == JsonToken.BEGIN_OBJECT) {
        named(r, where, () -> image(r, batch.pixels, index, where));
      } else {
        image(r, batch.pixels, index, where);
      }
    }
    r.endArray();
    return batch;
  }

  /** {@code "inputs": [n, 28, 28, 1]} or {@code "inputs": {"image": [n, 28, 28, 1]}}. */
  private static Batch columns(JsonReader r) throws IOException {
    Batch batch = new Batch();
    IoAction tensor = () -> {
      if (r.peek() != JsonToken.BEGIN_ARRAY) {
        throw new ApiException(400, "\"inputs\" must be a [n, 28, 28, 1] tensor (or {\"image\": tensor}), got "
            + describe(r));
      }
      r.beginArray();
      while (r.hasNext()) {
        String where = "inputs[" + batch.count + "]";
        image(r, batch.pixels, batch.add(), where);
      }
      r.endArray();
    };
    if (r.peek() == JsonToken.BEGIN_OBJECT) {
      named(r, "inputs", tensor);
    } else {
      tensor.run();
    }
    return batch;
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /** A named-input object: its one key must be the model's one input, "image". */
  private static void named(JsonReader r, String where, IoAction value) throws IOException {
    r.beginObject();
    if (!r.hasNext()) {
      throw new ApiException(400, where + ": the model has one input, \"" + ModelContract.IMAGE + "\"; got []");
    }
    String key = r.nextName();
    if (!key.equals(ModelContract.IMAGE)) {
      throw new ApiException(400, where + ": the model has one input, \"" + ModelContract.IMAGE + "\"; got [" + key + "]");
    }
    value.run();
    if (r.hasNext()) {
      throw new ApiException(400, where + ": the model has one input, \"" + ModelContract.IMAGE + "\"; got more keys");
    }
    r.endObject();
  }

  /** Reads one [28, 28, 1] image into {@code out} at example {@code index}. */
  private static void image(JsonReader r, float[] out, int index, String where) throws IOException {
    int base = index * PIXELS;
    list(r, SIDE, where, y -> list(r, SIDE, where + "[" + y + "]", x -> list(r, 1, where + "[" + y + "][" + x + "]",
        c -> out[base + y * SIDE + x] = value(r, where + "[" + y + "][" + x + "][0]"))));
  }

  @FunctionalInterface
  private interface Element {
    void read(int i) throws IOException;
  }

  /** A list of exactly {@code length} elements, each read by {@code element}. */
  private static void list(JsonReader r, int length, String where, Element element) throws IOException {
    if (r.peek() != JsonToken.BEGIN_ARRAY) {
      throw shapeError(where, length, describe(r));
    }
    r.beginArray();
    int n = 0;
    while (r.hasNext()) {
      if (n == length) {
        throw shapeError(where, length, "a longer list");
      }
      element.read(n++);
    }
    if (n != length) {
      throw shapeError(where, length, "a list of " + n);
    }
    r.endArray();
  }

  private static ApiException shapeError(String where, int length, String got) {
    return new ApiException(400, where + ": expected a list of " + length + " (each image has shape [28, 28, 1]), got "
        + got);
  }

  private static float value(JsonReader r, String where) throws IOException {
    if (r.peek() != JsonToken.NUMBER) {
      throw new ApiException(400, where + ": expected a number, got " + describe(r));
    }
    String text = r.nextString();
    float v = Float.parseFloat(text);
    if (!(v >= 0f && v <= 1f)) {
      throw new ApiException(400, where + ": pixel value " + text + " is outside [0, 1] (scale 0-255 images by 1/255)");
    }
    return v;
  }

  /** What the next value is, in a few words (the value itself for a number). */
  private static String describe(JsonReader r) throws IOException {
    return switch (r.peek()) {
      case BEGIN_ARRAY -> "a list";
      case BEGIN_OBJECT -> "an object";
      case NULL -> "null";
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case NUMBER -> r.nextString();
      default -> "nothing";
    };
  }

  /** The parser's complaint without Java's class names or Gson's advice about leniency. */
  private static String jsonProblem(Exception e) {
    String m = firstLine(e.getMessage());
    m = m.replaceAll("\\s*See https?://\\S+", "").replaceAll("\\s*Use JsonReader\\.setStrictness\\([^)]*\\)[^.]*\\.?", "");
    return m.isBlank() ? "the body ends early" : m.strip();
  }

  /**
   * One 28x28 model input (784 floats) as a TF Serving instance, the nested [28][28][1] lists that
   * {@code {"instances": [...]}} takes.
   */
  public static String instance(float[] image) {
    StringBuilder sb = new StringBuilder(ModelContract.PIXELS * 6).append('[');
    for (int y = 0; y < SIDE; y++) {
      sb.append(y > 0 ? ",[" : "[");
      for (int x = 0; x < SIDE; x++) {
        sb.append(x > 0 ? ",[" : "[").append(image[y * SIDE + x]).append(']');
      }
      sb.append(']');
    }
    return sb.append(']').toString();
  }

  /** The response for {@code n} examples' probabilities, in the request's format. */
  static Map<String, Object> response(float[] probabilities, int n, boolean columnar) {
    List<float[]> probs = new ArrayList<>(n);
    List<Long> digits = new ArrayList<>(n);
    int classes = n == 0 ? ModelContract.CLASSES : probabilities.length / n;
    for (int i = 0; i < n; i++) {
      float[] p = new float[classes];
      System.arraycopy(probabilities, i * classes, p, 0, classes);
      probs.add(p);
      digits.add((long) dev.digits.predict.Prediction.best(p, 0, classes));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (columnar) {
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put(ModelContract.PROBABILITIES, probs);
      outputs.put(ModelContract.DIGIT, digits);
      out.put("outputs", outputs);
    } else {
      List<Map<String, Object>> predictions = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ModelContract.PROBABILITIES, probs.get(i));
        p.put(ModelContract.DIGIT, digits.get(i));
        predictions.add(p);
      }
      out.put("predictions", predictions);
    }
    return out;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
