package dev.digits.serve;

import dev.digits.imaging.ImageDecoder;
import dev.digits.imaging.ImageException;
import dev.digits.numbers.NumberReader;
import dev.digits.numbers.PageLine;
import dev.digits.predict.Prediction;
import dev.digits.predict.Predictor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * This server's own image endpoints, beside TF Serving's API: {@code POST /v1/classify} (any
 * image file, preprocessed as {@code Predict} does) and {@code POST /v1/read} (a whole number).
 */
final class ImageEndpoints {
  private ImageEndpoints() {}

  /** What decoding an image body costs, from its headers (a header the decoder refuses is answered at once). */
  static long cost(byte[] body) {
    return ImageDecoder.decodingBytes(body);
  }

  /** 422 for an image that was read and holds no digit, 400 for one that could not be read. */
  static int status(ImageException e) {
    return e.noDigit() ? 422 : 400;
  }

  static CompletionStage<?> classify(Exchange ex, Predictor predictor, byte[] body) {
    return predictor.predictAsync(body).thenAccept(p -> classified(ex, predictor, p));
  }

  private static void classified(Exchange ex, Predictor predictor, Prediction p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("digit", p.digit());
    if (predictor.namedClasses()) { // a model trained on other data: its own names for the classes
      out.put("class", predictor.classNames().get(p.digit()));
      out.put("classes", predictor.classNames());
    }
    out.put("probability", p.probability());
    out.put("probabilities", p.probabilities());
    List<float[]> rows = new ArrayList<>(28);
    for (int y = 0; y < 28; y++) {
      float[] row = new float[28];
      System.arraycopy(p.input(), y * 28, row, 0, 28);
      rows.add(row);
    }
    out.put("image", rows);
    ex.json(200, out);
  }

  static CompletionStage<?> readNumber(Exchange ex, Predictor predictor, byte[] body, int length) {
    NumberReader reader = new NumberReader(predictor).withLength(length);
    List<PageLine> lines = reader.readLines(body);
    if (lines.size() == 1) {
      ex.json(200, lines.get(0).reading().toMap(3)); // one line: the answer it has always been
    } else {
      ex.json(200, Map.of("lines", lines.stream().map(l -> l.toMap(3)).toList()));
    }
    return null;
  }

  /** The {@code digits} query parameter: the number's length when the client knows it (a postcode: 5), else 0. */
  static int length(String digits) {
    if (digits == null || digits.isEmpty()) {
      return 0;
    }
    try {
      int n = Integer.parseInt(digits);
      if (n >= 1 && n <= 64) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ApiException(400, "digits must be a whole number from 1 to 64 (the number's length), got '" + digits + "'");
  }
}
