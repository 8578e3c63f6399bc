package dev.digits.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.TestData;
import dev.digits.data.Mnist;
import dev.digits.model.ModelContract;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir Path tmp;
  private final Mnist data = TestData.syntheticMnist(640, 200);

  private TrainConfig config(int epochs, int maxSteps) {
    return TrainConfig.builder().preset("test").epochs(epochs).batchSize(32).learningRate(3e-3f)
        .schedule(LearningRateSchedule.COSINE).augmentation(dev.digits.data.Augmenter.Kind.REAL).seed(7).maxSteps(maxSteps).build();
  }

  private Trainer.Outcome train(TrainConfig c, Path dir, boolean resume) throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    return Trainer.train(c, data, new Trainer.Options(dir, resume, 2, quiet, quiet, false));
  }

  @Test
  void lossFallsAndTheModelLearnsOnASmallSet() throws Exception {
    Trainer.Outcome o = train(config(8, 0), tmp.resolve("ck"), false);
    double first = o.history().get(0).loss();
    double last = o.history().get(o.history().size() - 1).loss();
    assertEquals(160, o.steps());
    assertTrue(last < first / 2, "loss fell from " + first + " to " + last);
    assertTrue(o.testAccuracy() > 0.8, "test accuracy " + o.testAccuracy());
  }

  @Test
  void bfloat16IsReallyUsedAndLearnsAsFloat32Does() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Precision.cpuHasBfloat16(), "this CPU has no native bfloat16");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    Trainer.Outcome f32 = Trainer.train(config(4, 0), data,
        new Trainer.Options(tmp.resolve("f32"), false, 2, quiet, quiet, false).withPrecision(Precision.FLOAT32));
    Trainer.Outcome bf16 = Trainer.train(config(4, 0), data,
        new Trainer.Options(tmp.resolve("bf16"), false, 2, quiet, quiet, false).withPrecision(Precision.BFLOAT16));
    // bfloat16 keeps 8 bits of mantissa: the same run computes visibly different losses ...
    assertTrue(Math.abs(f32.history().get(0).loss() - bf16.history().get(0).loss()) > 1e-4,
        "float32 " + f32.history().get(0).loss() + ", bfloat16 " + bf16.history().get(0).loss());
    // ... and learns as well.
    assertTrue(bf16.testAccuracy() > 0.8, "bfloat16 test accuracy " + bf16.testAccuracy());
    assertEquals(f32.testAccuracy(), bf16.testAccuracy(), 0.1);
  }

  @Test
  void resumeEndsWhereAnUninterruptedRunEnds() throws Exception {
    Trainer.Outcome whole = train(config(3, 0), tmp.resolve("whole"), false);

    Path dir = tmp.resolve("interrupted");
    Trainer.Outcome part = train(config(3, 20), dir, false);
    assertEquals(20, part.steps());
    Trainer.Outcome resumed = train(config(3, 0), dir, true);

    assertEquals(whole.steps(), resumed.steps());
    assertEquals(3, resumed.history().size());
    assertEquals(whole.history().get(2).learningRate(), resumed.history().get(2).learningRate(), 1e-12);
    // Same batches, dropout masks, schedule and Adam state: with the same thread count the
    // resumed run repeats the uninterrupted one (a tolerance for floating-point order only).
    assertEquals(whole.history().get(2).loss(), resumed.history().get(2).loss(), 1e-4);
    assertEquals(whole.testAccuracy(), resumed.testAccuracy(), 1e-9);
    assertTrue(Files.exists(dir.resolve(ModelContract.HISTORY_FILE)));
  }

  @Test
  void anEpochCutShortAndResumedIsOneRowOfTheHistory() throws Exception {
    Path dir = tmp.resolve("mid-epoch");
    train(config(3, 30), dir, false); // 20 steps an epoch: stopped halfway through epoch 2
    Trainer.Outcome resumed = train(config(3, 0), dir, true);
    assertEquals(java.util.List.of(1, 2, 3), resumed.history().stream().map(EpochStats::epoch).toList());
    assertEquals(java.util.List.of(20, 20, 20), resumed.history().stream().map(EpochStats::steps).toList());
    assertEquals(4, Files.readAllLines(dir.resolve(ModelContract.HISTORY_FILE)).size(), "a header and three epochs");
  }

  @Test
  void aNewRunDoesNotOverwriteAnUnfinishedOne() throws Exception {
    Path dir = tmp.resolve("ck");
    train(config(3, 20), dir, false);
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> train(config(3, 0), dir, false));
    assertTrue(e.getMessage().contains("unfinished run (1 of 3 epochs)") && e.getMessage().contains("--resume"),
        e.getMessage());
    assertEquals(20, new Checkpoints(dir).load().orElseThrow().step(), "the old checkpoint is untouched");
    Path done = tmp.resolve("done");
    train(config(1, 0), done, false);
    Trainer.Outcome again = train(config(1, 0), done, false); // a finished run may be replaced
    Checkpoints.State state = new Checkpoints(done).load().orElseThrow();
    assertEquals(1, state.epochsDone());
    assertEquals(again.steps(), state.step());
    assertEquals(2, Files.readAllLines(done.resolve(ModelContract.HISTORY_FILE)).size(), "a header and one epoch, not two");
  }

  @Test
  void aStateFileWhoseValuesDoNotFitIsRefusedWithAReason() throws Exception {
    Path dir = tmp.resolve("ck");
    train(config(2, 20), dir, false);
    Path state = dir.resolve(Checkpoints.STATE_FILE);
    String good = Files.readString(state);
    for (String[] edit : new String[][] {{"\"step\"\\s*:\\s*20", "\"step\": -5"},
        {"\"epochs_done\"\\s*:\\s*1", "\"epochs_done\": 7"}, {"\"epochs\"\\s*:\\s*2", "\"epochs\": 0"},
        {"epoch-001-step-20", "../../elsewhere"}}) {
      String bad = good.replaceFirst(edit[0], edit[1]);
      assertTrue(!bad.equals(good), edit[0]);
      Files.writeString(state, bad);
      IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> new Checkpoints(dir).load());
      assertTrue(e.getMessage().contains("do not fit together") && e.getMessage().contains("state.json"), e.getMessage());
    }
    Files.writeString(state, good);
    assertEquals(20, new Checkpoints(dir).load().orElseThrow().step());
  }

  @Test
  void aHalfWrittenCheckpointFolderDoesNotBreakResume() throws Exception {
    Trainer.Outcome whole = train(config(2, 0), tmp.resolve("whole"), false);
    Path dir = tmp.resolve("ck");
    train(config(2, 20), dir, false); // killed after epoch 1 (20 steps)...
    // ...during the save of epoch 2: what that leaves behind is a temporary folder with partial content.
    Path partial = dir.resolve(".epoch-002-step-40.tmp");
    Files.createDirectories(partial);
    Files.writeString(partial.resolve("ckpt.index"), "partial");
    Checkpoints.State state = new Checkpoints(dir).load().orElseThrow();
    assertEquals(1, state.epochsDone());
    assertEquals(20, state.step());
    Trainer.Outcome resumed = train(config(2, 0), dir, true);
    assertEquals(40, resumed.steps());
    assertEquals(whole.testAccuracy(), resumed.testAccuracy(), 1e-9, "the partial folder was not read");
    assertEquals(2, new Checkpoints(dir).load().orElseThrow().epochsDone());
    assertTrue(Files.notExists(partial), "the partial folder is replaced by the real epoch 2");
  }

  private Trainer.Outcome train(TrainConfig c, Path dir, boolean resume, TrainingListener listener) throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    return Trainer.train(c, data, new Trainer.Options(dir, resume, 2, quiet, quiet, false).withListener(listener));
  }

  @Test
  void aListenerThatStopsTheRunStopsTheLoopAndTheRunCountsAsFinished() throws Exception {
    Path dir = tmp.resolve("stopped");
    java.util.List<Integer> seen = new java.util.ArrayList<>();
    TrainingListener stopAfterTwo = new TrainingListener() {
      @Override
      public void onEpochEnd(TrainingRun run, EpochStats epoch) {
        seen.add(epoch.epoch());
        if (epoch.epoch() == 2) {
          run.stop("enough");
        }
      }
    };
    Trainer.Outcome o = train(config(5, 0), dir, false, stopAfterTwo);
    assertEquals(java.util.List.of(1, 2), seen);
    assertEquals(40, o.steps());
    Checkpoints.State state = new Checkpoints(dir).load().orElseThrow();
    assertEquals(2, state.epochsDone());
    assertEquals("enough", state.stopReason());
    assertTrue(state.finished(), "a stopped run is finished: a new run may replace it");
    assertTrue(Files.notExists(dir.resolve(".epoch-002-step-40.tmp")), "the checkpoint landed in place");
    // Resuming it trains nothing more.
    assertEquals(40, train(config(5, 0), dir, true).steps());
  }

  @Test
  void stopAtAccuracyStopsAtTheFirstEpochThatReachesTheTarget() throws Exception {
    Trainer.Outcome o = train(config(6, 0), tmp.resolve("target"), false, new StopAtAccuracy(0.0));
    assertEquals(1, o.history().size(), "any accuracy reaches 0%");
    Trainer.Outcome never = train(config(2, 0), tmp.resolve("never"), false, new StopAtAccuracy(1.01));
    assertEquals(2, never.history().size());
  }

  @Test
  void theAveragedWeightsAreTheOnesExported() throws Exception {
    TrainConfig c = config(2, 0).withRecipe(LearningRateSchedule.ONE_CYCLE, 0.1f, 0.1f, 0.99f);
    Path dir = tmp.resolve("average");
    Trainer.Outcome o = train(c, dir, false);
    assertTrue(o.averaged());
    assertTrue(o.checkpointPrefix().contains(Trainer.AVERAGED_FOLDER), o.checkpointPrefix());
    assertTrue(!Double.isNaN(o.history().get(1).averageTestAccuracy()));
    // The weights saved for export are the averages in the last checkpoint, not its live weights.
    String last = new Checkpoints(dir).prefix(new Checkpoints(dir).load().orElseThrow());
    float[] average = variable(last, "ema/conv1.kernel");
    float[] live = variable(last, "conv1/kernel");
    float[] exported = variable(o.checkpointPrefix(), "conv1/kernel");
    org.junit.jupiter.api.Assertions.assertArrayEquals(average, exported, 0f);
    assertTrue(!java.util.Arrays.equals(live, exported), "the average differs from the last step's weights");
  }

  /** A variable's values in a checkpoint, read through a training graph of the same network. */
  private static float[] variable(String prefix, String name) {
    TrainConfig c = TrainConfig.builder().preset("test").epochs(1).batchSize(32).learningRate(3e-3f)
        .schedule(LearningRateSchedule.ONE_CYCLE).seed(7).warmup(0.1f).labelSmoothing(0.1f).emaDecay(0.99f).build();
    try (TrainingGraph g = TrainingGraph.build(c, 32, 1, Precision.FLOAT32);
        org.tensorflow.Result r = restoreAndFetch(g, prefix, name)) {
      org.tensorflow.types.TFloat32 t = (org.tensorflow.types.TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  private static org.tensorflow.Result restoreAndFetch(TrainingGraph g, String prefix, String name) {
    g.restore(prefix);
    return g.session().runner().fetch(name).run();
  }

  @Test
  void resumeWithAWeightAverageEndsWhereAnUninterruptedRunEnds() throws Exception {
    TrainConfig c = config(3, 0).withRecipe(LearningRateSchedule.ONE_CYCLE, 0.2f, 0.1f, 0.99f);
    Trainer.Outcome whole = train(c, tmp.resolve("whole"), false);
    Path dir = tmp.resolve("interrupted");
    train(c.withMaxSteps(30), dir, false);
    Trainer.Outcome resumed = train(c, dir, true);
    assertEquals(whole.history().get(2).loss(), resumed.history().get(2).loss(), 1e-4);
    assertEquals(whole.history().get(2).averageTestAccuracy(), resumed.history().get(2).averageTestAccuracy(), 1e-9);
    assertEquals(whole.testAccuracy(), resumed.testAccuracy(), 1e-9);
  }
}
