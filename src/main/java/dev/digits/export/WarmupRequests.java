package dev.digits.export;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.digits.model.ModelContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * TF Serving's warm-up file, {@code assets.extra/tf_serving_warmup_requests} in a version folder:
 * a TFRecord file of {@code PredictionLog} protos, each holding a {@code PredictRequest}. TF
 * Serving replays it before it marks a version AVAILABLE, so the first real request does not pay
 * for the runtime's first-run work; so does this project's server.
 *
 * <p>The two messages are written and read by field number (prediction_log.proto: predict_log = 6;
 * PredictLog: request = 1; predict.proto: model_spec = 1, inputs = 2; model.proto: name = 1,
 * signature_name = 3), so no TF Serving library is needed; the tensors are TensorFlow's own
 * {@link TensorProto}.
 */
public final class WarmupRequests {
  /** Where TF Serving looks, relative to the version folder. */
  public static final String FILE = "assets.extra/tf_serving_warmup_requests";
  /** TF Serving reads at most this many records. */
  public static final int MAX_RECORDS = 1000;

  private static final int PREDICTION_LOG_PREDICT_LOG = 6;
  private static final int PREDICT_LOG_REQUEST = 1;
  private static final int REQUEST_MODEL_SPEC = 1;
  private static final int REQUEST_INPUTS = 2;
  private static final int SPEC_NAME = 1;
  private static final int SPEC_SIGNATURE_NAME = 3;
  private static final int MAP_KEY = 1;
  private static final int MAP_VALUE = 2;

  private WarmupRequests() {}

  /**
   * Writes one predict request per batch size, of {@code images} (784 floats each, repeated as
   * needed), into the version folder {@code model}.
   */
  public static void write(Path model, String modelName, List<float[]> images, int... batchSizes) throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int n : batchSizes) {
      float[] batch = new float[n * ModelContract.PIXELS];
      for (int i = 0; i < n; i++) {
        System.arraycopy(images.get(i % images.size()), 0, batch, i * ModelContract.PIXELS, ModelContract.PIXELS);
      }
      writeRecord(file, predictionLog(modelName, tensor(batch, n)));
    }
    Path target = model.resolve(FILE);
    Files.createDirectories(target.getParent());
    Files.write(target, file.toByteArray());
  }

  /** The requests' images, one float array per request (its {@code n x 784} values). */
  public record Request(float[] images, int count) {}

  /**
   * Reads the warm-up requests of a version folder: none when it has no file. Records whose CRC
   * does not match, or that hold no predict request with a float image input, are errors, as TF
   * Serving fails a load on them.
   */
  public static List<Request> read(Path model) throws IOException {
    Path file = model.resolve(FILE);
    List<Request> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining() && out.size() < MAX_RECORDS) {
      if (b.remaining() < 12) {
        throw new IOException(file + ": truncated record header");
      }
      long length = b.getLong();
      int lengthCrc = b.getInt();
      if (lengthCrc != masked(crc(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array()))) {
        throw new IOException(file + ": corrupt record (length checksum)");
      }
      if (length < 0 || length > b.remaining() - 4) {
        throw new IOException(file + ": truncated record of " + length + " bytes");
      }
      byte[] data = new byte[(int) length];
      b.get(data);
      if (b.getInt() != masked(crc(data))) {
        throw new IOException(file + ": corrupt record (data checksum)");
      }
      out.add(request(file, data));
    }
    return out;
  }

  private static Request request(Path file, byte[] predictionLog) throws IOException {
    byte[] log = field(predictionLog, PREDICTION_LOG_PREDICT_LOG);
    byte[] request = log == null ? null : field(log, PREDICT_LOG_REQUEST);
    if (request == null) {
      throw new IOException(file + ": a record that is not a predict request (only predict warm-up is supported)");
    }
    CodedInputStream in = CodedInputStream.newInstance(request);
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (WireFormat.getTagFieldNumber(tag) != REQUEST_INPUTS) {
        in.skipField(tag);
        continue;
      }
      byte[] entry = in.readByteArray();
      byte[] key = field(entry, MAP_KEY);
      byte[] value = field(entry, MAP_VALUE);
      if (key != null && new String(key, java.nio.charset.StandardCharsets.UTF_8).equals(ModelContract.IMAGE)
          && value != null) {
        TensorProto t = TensorProto.parseFrom(value);
        long n = t.getTensorShape().getDimCount() > 0 ? t.getTensorShape().getDim(0).getSize() : 0;
        float[] values = floats(t);
        if (t.getDtype() != DataType.DT_FLOAT || n < 1 || values.length != n * ModelContract.PIXELS) {
          throw new IOException(file + ": the image input of a record is not float32 [n, 28, 28, 1]");
        }
        return new Request(values, (int) n);
      }
    }
    throw new IOException(file + ": a record without an '" + ModelContract.IMAGE + "' input");
  }

  private static float[] floats(TensorProto t) {
    if (!t.getTensorContent().isEmpty()) {
      ByteBuffer raw = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[raw.remaining() / 4];
      raw.asFloatBuffer().get(out);
      return out;
    }
    float[] out = new float[t.getFloatValCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.getFloatVal(i);
    }
    return out;
  }

  /** The first length-delimited field {@code number} of a message, or null. */
  private static byte[] field(byte[] message, int number) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (WireFormat.getTagFieldNumber(tag) == number && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        return in.readByteArray();
      }
      in.skipField(tag);
    }
    return null;
  }

  private static TensorProto tensor(float[] batch, int n) {
    ByteBuffer raw = ByteBuffer.allocate(batch.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(batch);
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : new long[] {n, ModelContract.SIDE, ModelContract.SIDE, 1}) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape)
        .setTensorContent(com.google.protobuf.ByteString.copyFrom(raw.array())).build();
  }

  private static byte[] predictionLog(String modelName, TensorProto image) throws IOException {
    byte[] spec = message(out -> {
      out.writeString(SPEC_NAME, modelName);
      out.writeString(SPEC_SIGNATURE_NAME, ModelContract.SIGNATURE_KEY);
    });
    byte[] entry = message(out -> {
      out.writeString(MAP_KEY, ModelContract.IMAGE);
      out.writeByteArray(MAP_VALUE, image.toByteArray());
    });
    byte[] request = message(out -> {
      out.writeByteArray(REQUEST_MODEL_SPEC, spec);
      out.writeByteArray(REQUEST_INPUTS, entry);
    });
    byte[] log = message(out -> out.writeByteArray(PREDICT_LOG_REQUEST, request));
    return message(out -> out.writeByteArray(PREDICTION_LOG_PREDICT_LOG, log));
  }

  private interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Fields fields) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    fields.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  /** One TFRecord: length, its masked CRC-32C, the data, its masked CRC-32C (all little-endian). */
  private static void writeRecord(ByteArrayOutputStream file, byte[] data) {
    ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    head.put(length).putInt(masked(crc(length)));
    file.writeBytes(head.array());
    file.writeBytes(data);
    file.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(masked(crc(data))).array());
  }

  private static int crc(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return (int) crc.getValue();
  }

  /** TFRecord's masking of a CRC (so that CRCs of data holding CRCs stay well spread). */
  private static int masked(int crc) {
    return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
  }
}
