package dev.digits.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.digits.data.Augmenter;
import dev.digits.util.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration's stored form: the keys checkpoints and metadata.json have always had, read back exactly. */
class TrainConfigTest {
  @Test
  void storesFlatSnakeCaseKeysAndReadsThemBack() {
    TrainConfig c = TrainConfig.defaults().toBuilder().seed(7).emaDecay(0.999f).build();
    Map<String, Object> m = c.toMap();
    assertEquals(List.of("preset", "width", "dropout", "input_scale", "classes", "epochs", "batch_size", "learning_rate",
        "schedule", "optimizer", "l2", "augmentation", "seed", "max_steps", "warmup", "label_smoothing", "ema_decay"),
        List.copyOf(m.keySet()));
    String json = Json.write(m);
    assertTrue(json.contains("\"warmup\":0.1,") && json.contains("\"schedule\":\"one_cycle\""), json);
    assertEquals(c, TrainConfig.fromMap(Json.parseObject(json)), "through JSON and back");
  }

  @Test
  void readsWhatEarlierVersionsWrote() {
    Map<String, Object> old = Json.parseObject("{\"preset\":\"default\",\"width\":1,\"dropout\":0.25,\"input_scale\":1,"
        + "\"epochs\":5,\"batch_size\":50,\"learning_rate\":0.003,\"schedule\":\"cosine\",\"optimizer\":\"adam\","
        + "\"l2\":0,\"augment\":true,\"seed\":42,\"max_steps\":0}");
    TrainConfig c = TrainConfig.fromMap(old);
    assertEquals(Augmenter.Kind.AFFINE, c.augmentation(), "augment: true was affine");
    assertEquals(10, c.model().classes());
    assertEquals(0f, c.warmup());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainConfig.fromMap(Json.parseObject("{\"preset\":\"x\",\"width\":1}")));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }
}
