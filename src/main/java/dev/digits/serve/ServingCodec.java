package dev.digits.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.digits.model.DigitNetwork;
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
  static final String SIGNATURE = "serving_default";
  private static final int SIDE = DigitNetwork.SIDE;

  /** Decoded images, 784 floats each, laid end to end; and whether the request was columnar. */
  record Request(float[] images, int count, boolean columnar) {}

  private ServingCodec() {}

  static Request parse(String body) {
    if (body.isBlank()) {
      throw new ApiException(400, "empty request body; send {\"instances\": [...]} or {\"inputs\": ...}");
    }
    JsonObject root;
    try {
      JsonElement e = JsonParser.parseString(body);
      if (!e.isJsonObject()) {
        throw new ApiException(400, "the request must be a JSON object with \"instances\" or \"inputs\"");
      }
      root = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new ApiException(400, "malformed JSON: " + firstLine(e.getMessage()));
    }
    if (root.has("signature_name")) {
      JsonElement s = root.get("signature_name");
      if (!s.isJsonPrimitive() || !s.getAsJsonPrimitive().isString()) {
        throw new ApiException(400, "JSON Value: " + s + " not formatted correctly. 'signature_name' key must be a"
            + " string value.");
      }
      // As TF Serving: an empty name means the default signature.
      if (!s.getAsString().isEmpty() && !SIGNATURE.equals(s.getAsString())) {
        throw new ApiException(400, "Serving signature name: " + s + " not found in signature def");
      }
    }
    boolean rows = root.has("instances");
    boolean columns = root.has("inputs");
    if (rows == columns) {
      throw new ApiException(400, "the request needs exactly one of \"instances\" (row format) or \"inputs\" (columnar format)");
    }
    return rows ? parseRows(root.get("instances")) : parseColumns(root.get("inputs"));
  }

  private static Request parseRows(JsonElement instances) {
    if (!instances.isJsonArray() || instances.getAsJsonArray().isEmpty()) {
      throw new ApiException(400, "\"instances\" must be a non-empty list of [28, 28, 1] images");
    }
    JsonArray list = instances.getAsJsonArray();
    float[] out = new float[list.size() * SIDE * SIDE];
    for (int i = 0; i < list.size(); i++) {
      JsonElement instance = list.get(i);
      if (instance.isJsonObject()) {
        instance = named(instance.getAsJsonObject(), "instances[" + i + "]");
      }
      image(instance, out, i, "instances[" + i + "]");
    }
    return new Request(out, list.size(), false);
  }

  private static Request parseColumns(JsonElement inputs) {
    if (inputs.isJsonObject()) {
      inputs = named(inputs.getAsJsonObject(), "inputs");
    }
    if (!inputs.isJsonArray() || inputs.getAsJsonArray().isEmpty()) {
      throw new ApiException(400, "\"inputs\" must be a [n, 28, 28, 1] tensor (or {\"image\": tensor})");
    }
    JsonArray batch = inputs.getAsJsonArray();
    float[] out = new float[batch.size() * SIDE * SIDE];
    for (int i = 0; i < batch.size(); i++) {
      image(batch.get(i), out, i, "inputs[" + i + "]");
    }
    return new Request(out, batch.size(), true);
  }

  /** The value of the one input, "image", of a named-input object. */
  private static JsonElement named(JsonObject o, String where) {
    if (o.size() != 1 || !o.has(DigitNetwork.IMAGE)) {
      throw new ApiException(400, where + ": the model has one input, \"" + DigitNetwork.IMAGE + "\"; got " + o.keySet());
    }
    return o.get(DigitNetwork.IMAGE);
  }

  /** Reads one [28, 28, 1] image into {@code out} at example {@code index}. */
  private static void image(JsonElement e, float[] out, int index, String where) {
    JsonArray rows = array(e, SIDE, where);
    int base = index * SIDE * SIDE;
    for (int y = 0; y < SIDE; y++) {
      JsonArray row = array(rows.get(y), SIDE, where + "[" + y + "]");
      for (int x = 0; x < SIDE; x++) {
        JsonArray pixel = array(row.get(x), 1, where + "[" + y + "][" + x + "]");
        out[base + y * SIDE + x] = value(pixel.get(0), where + "[" + y + "][" + x + "][0]");
      }
    }
  }

  private static JsonArray array(JsonElement e, int length, String where) {
    if (!e.isJsonArray() || e.getAsJsonArray().size() != length) {
      throw new ApiException(400, where + ": expected a list of " + length + " (each image has shape [28, 28, 1]), got "
          + describe(e));
    }
    return e.getAsJsonArray();
  }

  private static float value(JsonElement e, String where) {
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new ApiException(400, where + ": expected a number, got " + describe(e));
    }
    float v = e.getAsFloat();
    if (!(v >= 0f && v <= 1f)) {
      throw new ApiException(400, where + ": pixel value " + e + " is outside [0, 1] (scale 0-255 images by 1/255)");
    }
    return v;
  }

  private static String describe(JsonElement e) {
    if (e.isJsonArray()) {
      return "a list of " + e.getAsJsonArray().size();
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonNull()) {
      return "null";
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    return p.isString() ? "a string" : p.isBoolean() ? "a boolean" : p.toString();
  }

  /**
   * One 28x28 model input (784 floats) as a TF Serving instance, the nested [28][28][1] lists that
   * {@code {"instances": [...]}} takes.
   */
  public static String instance(float[] image) {
    StringBuilder sb = new StringBuilder(784 * 6).append('[');
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
    for (int i = 0; i < n; i++) {
      float[] p = new float[10];
      System.arraycopy(probabilities, i * 10, p, 0, 10);
      probs.add(p);
      digits.add((long) dev.digits.predict.Prediction.bestDigit(p, 0));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (columnar) {
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put(DigitNetwork.PROBABILITIES, probs);
      outputs.put(DigitNetwork.DIGIT, digits);
      out.put("outputs", outputs);
    } else {
      List<Map<String, Object>> predictions = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(DigitNetwork.PROBABILITIES, probs.get(i));
        p.put(DigitNetwork.DIGIT, digits.get(i));
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
