package dev.digits.train;

import dev.digits.model.ModelContract;
import dev.digits.util.AtomicFiles;
import dev.digits.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Session;

/**
 * A run's checkpoints in one folder: {@code state.json} names the newest complete checkpoint
 * folder ({@code epoch-NNN/}) and holds the configuration, step and history.
 *
 * <p>Crash safety comes from the order of writes: the variables go to a hidden temporary folder,
 * which is renamed to its final name, and only then is {@code state.json} replaced (atomically)
 * to point at it; older folders are deleted last. Whenever the process dies, state.json points at
 * a folder that is complete.
 */
public final class Checkpoints {
  public static final String STATE_FILE = "state.json";

  /**
   * What a resumed run needs.
   *
   * @param stopReason why the run stopped before its last epoch (a target reached), or null
   */
  public record State(TrainConfig config, int epochsDone, long step, List<EpochStats> history, String folder,
      String stopReason) {
    /** Whether the run is over: all its epochs done, or stopped on purpose. */
    public boolean finished() {
      return epochsDone >= config.epochs() || stopReason != null;
    }
  }

  private final Path dir;

  public Checkpoints(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The variables prefix that {@link Session#restore} takes for a state. */
  public String prefix(State state) {
    return dir.resolve(state.folder()).resolve("ckpt").toString();
  }

  /** Saves a checkpoint and returns its variables prefix (what {@link Session#restore} takes). */
  public String save(Session session, TrainConfig config, int epochsDone, long step, List<EpochStats> history,
      String stopReason) throws IOException {
    String folder = String.format("epoch-%03d-step-%d", epochsDone, step);
    Path target = saveWeights(session, folder);

    Map<String, Object> state = new LinkedHashMap<>();
    state.put("checkpoint", folder);
    state.put("epochs_done", epochsDone);
    state.put("step", step);
    if (stopReason != null) {
      state.put("stopped", stopReason);
    }
    state.put("config", config.toMap());
    state.put("history", history.stream().map(EpochStats::toMap).toList());
    AtomicFiles.writeString(dir.resolve(STATE_FILE), Json.pretty(state));
    writeHistory(dir.resolve(ModelContract.HISTORY_FILE), history);

    try (var entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p) && name.startsWith("epoch-") && !name.equals(folder)) {
          AtomicFiles.deleteTree(p);
        }
      }
    }
    return target.resolve("ckpt").toString();
  }

  /**
   * Saves the session's variables to {@code dir/folder/ckpt}, written under a hidden name and
   * renamed into place; returns the folder.
   */
  public Path saveWeights(Session session, String folder) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + folder + ".tmp");
    AtomicFiles.deleteTree(tmp);
    Files.createDirectories(tmp);
    session.save(tmp.resolve("ckpt").toString());
    Path target = dir.resolve(folder);
    AtomicFiles.deleteTree(target);
    AtomicFiles.moveIntoPlace(tmp, target);
    return target;
  }

  /** The newest complete checkpoint, if there is one. */
  public Optional<State> load() {
    Path file = dir.resolve(STATE_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Map<String, Object> m = Json.parseObject(Files.readString(file));
      List<EpochStats> history = new ArrayList<>();
      for (Object o : (List<?>) m.get("history")) {
        history.add(EpochStats.fromMap((Map<?, ?>) o));
      }
      @SuppressWarnings("unchecked")
      TrainConfig config = TrainConfig.fromMap((Map<String, Object>) m.get("config"));
      State state = new State(config, ((Number) m.get("epochs_done")).intValue(),
          ((Number) m.get("step")).longValue(), history, (String) m.get("checkpoint"), (String) m.get("stopped"));
      if (config.epochs() < 1 || state.epochsDone() < 0 || state.epochsDone() > config.epochs() || state.step() < 0
          || history.size() < state.epochsDone() || history.size() > state.epochsDone() + 1 // + a cut-short epoch
          || state.folder() == null
          || !state.folder().matches("epoch-[0-9]+-step-[0-9]+")) {
        throw new IllegalStateException("its values do not fit together (epochs_done " + state.epochsDone() + " of "
            + config.epochs() + ", step " + state.step() + ", " + history.size() + " history rows, checkpoint "
            + state.folder() + ")");
      }
      if (!Files.isRegularFile(Path.of(prefix(state) + ".index"))) {
        throw new IllegalStateException("its checkpoint folder " + state.folder() + " is missing");
      }
      return Optional.of(state);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(file + " is unreadable (" + e.getMessage()
          + "); delete " + dir + " to start a fresh run", e);
    }
  }

  public static void writeHistory(Path file, List<EpochStats> history) throws IOException {
    StringBuilder sb = new StringBuilder(EpochStats.CSV_HEADER).append('\n');
    history.forEach(h -> sb.append(h.csv()).append('\n'));
    AtomicFiles.writeString(file, sb.toString());
  }
}
