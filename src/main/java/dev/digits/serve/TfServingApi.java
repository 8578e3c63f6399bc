package dev.digits.serve;

import dev.digits.predict.ModelVersions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * TF Serving's REST answers for one model's versions, with its status codes and wording (its REST
 * documentation and its handler's source): which model and version a URL names, the status of
 * every version, and the signature metadata.
 */
final class TfServingApi {
  private final String modelName;
  private final ModelVersions versions;

  TfServingApi(String modelName, ModelVersions versions) {
    this.modelName = modelName;
    this.versions = versions;
  }

  /** TF Serving's answer for a version that is not AVAILABLE (none yet, or not that one). */
  ApiException notServed(Long version) {
    return new ApiException(404, "Servable not found for request: " + (version == null
        ? "Latest(" + modelName + ")" : "Specific(" + modelName + ", " + version + ")"));
  }

  /**
   * Refuses a request for another model, version or a version label, as TF Serving words it: the
   * status API says "Could not find ...", the others "Servable not found for request: ...".
   */
  Long checkModel(String name, String requestedVersion, String label, boolean statusApi) {
    String decoded = decode(name, "model name");
    if (label != null) {
      throw new ApiException(400, "Unrecognized servable version label: " + decode(label, "model version label"));
    }
    boolean otherModel = !decoded.equals(modelName);
    Long version = requestedVersion == null ? null : parseVersion(stripZeros(requestedVersion));
    boolean otherVersion = version != null && versions.status().stream().noneMatch(v -> v.version() == version);
    if (statusApi && otherModel) {
      throw new ApiException(404, "Could not find any versions of model " + decoded);
    }
    if (statusApi && otherVersion) {
      throw new ApiException(404, "Could not find version " + stripZeros(requestedVersion) + " of model " + decoded);
    }
    if (otherModel || otherVersion) {
      throw new ApiException(404, "Servable not found for request: " + (requestedVersion == null
          ? "Latest(" + decoded + ")" : "Specific(" + decoded + ", " + stripZeros(requestedVersion) + ")"));
    }
    return version;
  }

  /** A version number from a URL: digits only (the pattern says so); too many of them is no version here. */
  private static Long parseVersion(String digits) {
    return digits.length() > 18 ? Long.valueOf(-1) : Long.valueOf(digits);
  }

  /** A URL path segment with its %-escapes decoded ('+' stays a plus, as in a path). */
  private static String decode(String segment, String what) {
    try {
      return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "Failed to decode " + what + ":" + segment);
    }
  }

  private static String stripZeros(String digits) {
    return digits.replaceFirst("^0+(?=.)", "");
  }

  /**
   * TF Serving's status answer: every version (newest first) or the one asked for, with its state
   * (START, LOADING, AVAILABLE, UNLOADING, END) and, for a failed load, its error. A model is ready
   * when a version is AVAILABLE, which it is only once warmed up.
   */
  Map<String, Object> status(Long version) {
    List<Map<String, Object>> list = new ArrayList<>();
    List<ModelVersions.Status> all = new ArrayList<>(versions.status());
    java.util.Collections.reverse(all);
    for (ModelVersions.Status v : all) {
      if (version != null && v.version() != version) {
        continue;
      }
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("version", Long.toString(v.version()));
      status.put("state", v.state().name());
      status.put("status", v.error().isEmpty() ? ordered("error_code", "OK", "error_message", "")
          : ordered("error_code", "UNKNOWN", "error_message", v.error()));
      list.add(status);
    }
    return Map.of("model_version_status", list);
  }

  /** The metadata answer of TF Serving: the model spec and its signature map. */
  Map<String, Object> metadata(Long requested) {
    ModelVersions.Lease lease = versions.acquire(requested);
    if (lease == null) {
      throw notServed(requested);
    }
    Map<String, Object> signatures = new LinkedHashMap<>();
    long version;
    try (lease) {
      lease.predictor().signatures().forEach((key, sig) -> signatures.put(key, signature(sig)));
      version = lease.version();
    }
    Map<String, Object> signatureMap = new LinkedHashMap<>();
    signatureMap.put("signature_def", signatures);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", modelName);
    spec.put("signature_name", "");
    spec.put("version", Long.toString(version));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model_spec", spec);
    out.put("metadata", Map.of("signature_def", signatureMap));
    return out;
  }

  private static Map<String, Object> signature(SignatureDef sig) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    sig.getInputsMap().forEach((k, v) -> inputs.put(k, tensorInfo(v)));
    Map<String, Object> outputs = new LinkedHashMap<>();
    sig.getOutputsMap().forEach((k, v) -> outputs.put(k, tensorInfo(v)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("inputs", inputs);
    out.put("outputs", outputs);
    out.put("method_name", sig.getMethodName());
    out.put("defaults", Map.of());
    return out;
  }

  private static Map<String, Object> tensorInfo(TensorInfo t) {
    List<Map<String, Object>> dims = new ArrayList<>();
    for (TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
      dims.add(ordered("size", Long.toString(d.getSize()), "name", d.getName()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dtype", t.getDtype().name());
    out.put("tensor_shape", ordered("dim", dims, "unknown_rank", t.getTensorShape().getUnknownRank()));
    out.put("name", t.getName());
    return out;
  }

  /** A map that keeps its keys in the order given, so responses read the same every time. */
  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }
}
