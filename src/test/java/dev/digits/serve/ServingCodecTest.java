package dev.digits.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.model.ModelContract;
import dev.digits.util.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServingCodecTest {
  /** A [28, 28, 1] image as JSON, every pixel {@code v}. */
  static String image(double v) {
    String pixel = "[" + v + "]";
    String row = "[" + String.join(",", java.util.Collections.nCopies(28, pixel)) + "]";
    return "[" + String.join(",", java.util.Collections.nCopies(28, row)) + "]";
  }

  @Test
  void rowFormat() {
    ServingCodec.Request r = ServingCodec.parse("{\"signature_name\":\"serving_default\",\"instances\":[" + image(0.5)
        + "," + image(1) + "]}");
    assertEquals(2, r.count());
    assertEquals(false, r.columnar());
    assertEquals(0.5f, r.images()[0]);
    assertEquals(1f, r.images()[ModelContract.PIXELS + 783]);
  }

  @Test
  void rowFormatWithNamedInputs() {
    assertEquals(1, ServingCodec.parse("{\"instances\":[{\"image\":" + image(0) + "}]}").count());
  }

  @Test
  void columnarFormatPlainAndNamed() {
    ServingCodec.Request r = ServingCodec.parse("{\"inputs\":[" + image(0.25) + "]}");
    assertTrue(r.columnar());
    assertEquals(0.25f, r.images()[100]);
    assertEquals(1, ServingCodec.parse("{\"inputs\":{\"image\":[" + image(0.25) + "]}}").count());
  }

  @Test
  void responsesFollowTfServing() {
    float[] p = new float[20];
    p[3] = 1;
    p[10 + 8] = 1;
    Map<String, Object> rows = ServingCodec.response(p, 2, false);
    String json = Json.write(rows);
    assertTrue(json.startsWith("{\"predictions\":[{\"probabilities\":[0"), json);
    assertTrue(json.contains("\"digit\":3") && json.contains("\"digit\":8"), json);
    Map<String, Object> cols = ServingCodec.response(p, 2, true);
    Map<?, ?> outputs = (Map<?, ?>) cols.get("outputs");
    assertEquals(List.of(3L, 8L), outputs.get("digit"));
  }

  @Test
  void badRequestsSayWhatIsWrong() {
    assertError("", "empty request body");
    assertError("{\"instances\": [", "malformed JSON");
    assertError("[1, 2]", "JSON object");
    assertError("{}", "exactly one of");
    assertError("{\"instances\": [], \"inputs\": []}", "exactly one of");
    assertError("{\"instances\": []}", "non-empty");
    assertError("{\"signature_name\": \"predict\", \"instances\": [" + image(0) + "]}", "not found in signature def");
    assertError("{\"instances\": [[[0.5]]]}", "instances[0][0][0]: expected a list of 1 (each image has shape [28, 28, 1]), got 0.5");
    assertError("{\"instances\": [" + image(0).substring(0, image(0).lastIndexOf(",[")) + "]]}", "instances[0][27]: expected a list of 28 (each image has shape [28, 28, 1]), got a list of 27");
    assertError("{\"instances\": [" + image(0).replaceFirst("\\[0.0]", "[0.0, 1.0]") + "]}", "expected a list of 1");
    assertError("{\"instances\": [" + image(0).replaceFirst("0.0", "\"dark\"") + "]}", "expected a number, got a string");
    assertError("{\"instances\": [" + image(0).replaceFirst("0.0", "true") + "]}", "got a boolean");
    assertError("{\"instances\": [" + image(0).replaceFirst("0.0", "null") + "]}", "got null");
    assertError("{\"instances\": [" + image(255) + "]}", "outside [0, 1]");
    assertError("{\"instances\": [" + image(-0.1) + "]}", "outside [0, 1]");
    assertError("{\"inputs\": {\"pixels\": []}}", "one input, \"image\"");
  }

  @Test
  void aBodyCannotCostMoreThanItsImages() {
    // 2.7 million bare numbers: refused at the first one, before anything is allocated for them.
    String zeros = "{\"instances\":[" + "0,".repeat(2_700_000) + "0]}";
    long t = System.nanoTime();
    assertError(zeros, "instances[0]: expected a list of 28 (each image has shape [28, 28, 1]), got 0");
    assertError("{\"inputs\":[" + "0,".repeat(2_800_000) + "0]}", "inputs[0]: expected a list of 28");
    assertError("{\"instances\":[" + "[],".repeat(1_000_000) + "[]]}", "instances[0]: expected a list of 28");
    assertTrue(System.nanoTime() - t < 2_000_000_000L, "refused at once");
    String image = image(0);
    String many = "{\"instances\":[" + String.join(",", java.util.Collections.nCopies(ServingCodec.MAX_INSTANCES + 1, image)) + "]}";
    assertError(many, "more than " + ServingCodec.MAX_INSTANCES + " images in one request");
    String most = "{\"instances\":[" + String.join(",", java.util.Collections.nCopies(ServingCodec.MAX_INSTANCES, image)) + "]}";
    assertEquals(ServingCodec.MAX_INSTANCES, ServingCodec.parse(most).count());
  }

  @Test
  void jsonIsStrictAndErrorsNameNoJavaClasses() {
    assertError("{\"instances\": [" + image(0) + "] /* a comment */}", "malformed JSON");
    assertError("{'instances': [" + image(0) + "]}", "malformed JSON");
    assertError("{\"instances\": [" + image(0) + "]} trailing", "malformed JSON");
    for (String body : List.of("{\"instances\": [", "{\"instances\"", "{oops", "{'a': 1}")) {
      ApiException e = assertThrows(ApiException.class, () -> ServingCodec.parse(body));
      assertTrue(!e.getMessage().matches(".*(java\\.|Exception|setStrictness|LENIENT).*"), e.getMessage());
    }
    assertEquals(1, ServingCodec.parse("{\"signature_name\": \"\", \"instances\": [" + image(0) + "]}").count());
    assertEquals(1, ServingCodec.parse("{\"instances\": [" + image(0) + "], \"signature_name\": \"serving_default\"}")
        .count());
  }

  private static void assertError(String body, String expected) {
    ApiException e = assertThrows(ApiException.class, () -> ServingCodec.parse(body));
    assertEquals(400, e.status);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
