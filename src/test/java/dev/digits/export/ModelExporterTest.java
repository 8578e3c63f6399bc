package dev.digits.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.bench.PrintPredictions;
import dev.digits.data.Mnist;
import dev.digits.model.DigitNetwork;
import dev.digits.model.ModelConfig;
import dev.digits.model.ModelContract;
import dev.digits.train.LearningRateSchedule;
import dev.digits.train.Optimizer;
import dev.digits.train.TrainConfig;
import dev.digits.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;

class ModelExporterTest {
  @TempDir static Path tmp;
  static Mnist data = TestData.syntheticMnist(320, 100);
  static Trainer.Outcome outcome;
  static Path exported;

  @BeforeAll
  static void trainAndExport() throws Exception {
    TrainConfig c = TrainConfig.builder().preset("test").epochs(2).batchSize(32).learningRate(3e-3f)
        .schedule(LearningRateSchedule.COSINE).seed(3).build();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    outcome = Trainer.train(c, data, new Trainer.Options(tmp.resolve("ck"), false, 2, quiet, quiet, false));
    exported = ModelExporter.export(tmp.resolve("models"), c.model(), outcome.checkpointPrefix(),
        new HashMap<>(Map.of("note", "test")), tmp.resolve("ck").resolve(ModelContract.HISTORY_FILE));
  }

  @Test
  void reloadedModelPredictsWhatTheTrainedWeightsPredict() {
    int[] fromCheckpoint;
    try (Graph g = new Graph()) {
      DigitNetwork.inference(Ops.create(g), ModelConfig.DEFAULT);
      try (Session s = new Session(g)) {
        s.restore(outcome.checkpointPrefix());
        fromCheckpoint = dev.digits.train.SessionEvaluator.predict(s, data.test());
      }
    }
    try (SavedModelBundle b = SavedModelBundle.load(exported.toString(), ModelContract.SERVE_TAG)) {
      assertArrayEquals(fromCheckpoint, dev.digits.train.SessionEvaluator.predict(b.session(), data.test()));
    }
  }

  @Test
  void aFreshProcessPredictsWhatTheTrainingSessionPredicted() throws Exception {
    Path[] idx = dev.digits.TestData.writeIdx(tmp, "roundtrip", data.test());
    String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"),
        PrintPredictions.class.getName(), exported.toString(), idx[0].toString(), idx[1].toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertEquals(0, p.waitFor());
    int[] fresh = java.util.Arrays.stream(out.split(",")).mapToInt(Integer::parseInt).toArray();
    assertArrayEquals(outcome.testPredictions(), fresh);
  }

  @Test
  void anExportKilledHalfwayLeavesNothingBehindTheNextOne() throws Exception {
    Path base = Files.createDirectories(tmp.resolve("killed"));
    // What kill -9 during an export leaves: its temporary folder, named after a process now gone.
    Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).start();
    gone.getInputStream().readAllBytes();
    gone.waitFor();
    Path abandoned = Files.createDirectories(base.resolve(ModelExporter.TMP_PREFIX + gone.pid() + "-123/model"));
    Path running = Files.createDirectories(base.resolve(ModelExporter.TMP_PREFIX + ProcessHandle.current().pid() + "-456"));
    Path version = ModelExporter.export(base, ModelConfig.DEFAULT, outcome.checkpointPrefix(), new HashMap<>(), null);
    assertEquals(base.resolve("1"), version);
    assertTrue(Files.notExists(abandoned.getParent()), "the dead export's folder is gone");
    assertTrue(Files.isDirectory(running), "a live export's folder stays");
  }

  @Test
  void signatureIsWhatTfServingExpects() {
    try (SavedModelBundle b = SavedModelBundle.load(exported.toString(), ModelContract.SERVE_TAG)) {
      SignatureDef sig = b.metaGraphDef().getSignatureDefOrThrow(ModelContract.SIGNATURE_KEY);
      assertEquals("tensorflow/serving/predict", sig.getMethodName());
      assertEquals(java.util.Set.of("image"), sig.getInputsMap().keySet());
      assertEquals(java.util.Set.of("probabilities", "digit"), sig.getOutputsMap().keySet());
      assertEquals(4, sig.getInputsOrThrow("image").getTensorShape().getDimCount());
    }
  }

  /** Operations that belong to training: random masks (dropout), optimizer updates and slots, loss, labels. */
  private static List<String> trainingOps(Graph g) {
    List<String> found = new ArrayList<>();
    g.operations().forEachRemaining(op -> {
      String type = op.type();
      String name = op.name().toLowerCase(java.util.Locale.ROOT);
      if (type.contains("Random") || type.startsWith("Apply") || type.startsWith("ResourceApply")
          || type.contains("SoftmaxCrossEntropy") || name.contains("adam") || name.contains("dropout")
          || name.contains("label") || name.contains(DigitNetwork.LOSS)) {
        found.add(op.name() + " (" + type + ")");
      }
    });
    return found;
  }

  @Test
  void exportedModelHasNoDropoutAndNoOptimizerState() throws Exception {
    try (SavedModelBundle b = SavedModelBundle.load(exported.toString(), ModelContract.SERVE_TAG);
        TFloat32 x = TFloat32.tensorOf(Shape.of(4, 28, 28, 1))) {
      float[] pixels = new float[4 * ModelContract.PIXELS];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (i * 37 % 101) / 100f;
      }
      x.asRawTensor().data().asFloats().write(pixels);
      float[] first = probabilities(b, x);
      float[] second = probabilities(b, x);
      assertArrayEquals(first, second, 0f, "same input, same output");
      assertEquals(List.of(), trainingOps(b.graph()), "operations of training in the export");
    }
    // The same look finds them in a training graph, so it would find them in an export too.
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      DigitNetwork.Endpoints e = DigitNetwork.training(tf, ModelConfig.DEFAULT, 1);
      Optimizer.minimize(tf, Optimizer.Kind.ADAM, e.loss(), e.variables());
      List<String> found = trainingOps(g);
      assertTrue(found.stream().anyMatch(o -> o.contains("StatelessRandomUniform")), found.toString());
      assertTrue(found.stream().anyMatch(o -> o.contains("ApplyAdam")), found.toString());
    }
    long bytes;
    try (var files = Files.walk(exported)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    assertTrue(bytes < 1_000_000, "export is " + bytes + " bytes");
    assertTrue(Files.exists(exported.resolve(ModelContract.METADATA_FILE)));
    assertTrue(Files.exists(exported.resolve(ModelContract.HISTORY_FILE)));
  }

  @Test
  void neverOverwritesAVersion() throws Exception {
    Path base = tmp.resolve("models");
    int before = ModelExporter.latestVersion(base);
    Path again = ModelExporter.export(base, ModelConfig.DEFAULT, outcome.checkpointPrefix(), new HashMap<>(), null);
    assertEquals(base.resolve(Integer.toString(before + 1)), again);
    assertTrue(Files.exists(exported.resolve(ModelContract.SAVED_MODEL_FILE)));
  }

  private static float[] probabilities(SavedModelBundle b, TFloat32 x) {
    try (Result r = b.session().runner().feed(ModelContract.IMAGE, x).fetch(ModelContract.PROBABILITIES).run()) {
      TFloat32 p = (TFloat32) r.get(0);
      float[] out = new float[40];
      p.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  @Test
  void theGraphCarriesNoDefaultValuedAttributesAndNamesTheTensorFlowThatWroteIt() throws Exception {
    org.tensorflow.proto.SavedModel model = org.tensorflow.proto.SavedModel.parseFrom(
        java.nio.file.Files.readAllBytes(exported.resolve(ModelContract.SAVED_MODEL_FILE)));
    org.tensorflow.proto.MetaGraphDef meta = model.getMetaGraphs(0);
    assertEquals(org.tensorflow.TensorFlow.version(), meta.getMetaInfoDef().getTensorflowVersion());
    long matMuls = 0;
    for (org.tensorflow.proto.NodeDef node : meta.getGraphDef().getNodeList()) {
      if (node.getOp().equals("MatMul")) {
        matMuls++;
        // New in TensorFlow 2.16 and false by default: older runtimes refuse attributes they do not know.
        assertTrue(!node.getAttrMap().containsKey("grad_a") && !node.getAttrMap().containsKey("grad_b"), node.toString());
        assertTrue(!node.getAttrMap().containsKey("transpose_a"), "transpose_a=false is the default: " + node);
      }
    }
    assertTrue(matMuls >= 2, "the two dense layers");
    Map<String, Object> metadata = dev.digits.util.Json.parseObject(
        java.nio.file.Files.readString(exported.resolve(ModelContract.METADATA_FILE)));
    assertEquals(org.tensorflow.TensorFlow.version(), metadata.get("tensorflow_version"));
  }

  @Test
  void theVersionCarriesTfServingsWarmupRequestsAndTheyReadBack() throws Exception {
    java.util.List<WarmupRequests.Request> requests = WarmupRequests.read(exported);
    assertEquals(java.util.List.of(1, 32), requests.stream().map(WarmupRequests.Request::count).toList());
    for (WarmupRequests.Request r : requests) {
      assertEquals(r.count() * ModelContract.PIXELS, r.images().length);
    }
    // The TFRecord framing is checked: a flipped byte is a corrupt record, not a silent misread.
    Path copy = tmp.resolve("corrupt");
    java.nio.file.Files.createDirectories(copy.resolve("assets.extra"));
    byte[] file = java.nio.file.Files.readAllBytes(exported.resolve(WarmupRequests.FILE));
    file[40] ^= 1;
    java.nio.file.Files.write(copy.resolve(WarmupRequests.FILE), file);
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> WarmupRequests.read(copy));
    assertTrue(e.getMessage().contains("corrupt record"), e.getMessage());
  }

  @Test
  void theCallersMetadataIsNotChanged() throws Exception {
    Map<String, Object> mine = new HashMap<>(Map.of("note", "mine"));
    ModelExporter.export(tmp.resolve("other-models"), ModelConfig.DEFAULT, outcome.checkpointPrefix(), mine, null);
    assertEquals(Map.of("note", "mine"), mine);
  }
}
