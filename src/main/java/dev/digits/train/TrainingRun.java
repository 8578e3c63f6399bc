package dev.digits.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What listeners see of a run in progress: where it is, what it did, and a way to stop it. */
public final class TrainingRun {
  private final TrainConfig config;
  private final TrainingGraph graph;
  private final int batchesPerEpoch;
  private final int batchSize;
  private final List<EpochStats> history;
  private long step;
  private int epoch;
  private int stepsThisEpoch;
  private String stopReason;
  private String exportWeights;
  private boolean exportAveraged;

  TrainingRun(TrainConfig config, TrainingGraph graph, int batchesPerEpoch, int batchSize, List<EpochStats> history,
      long step, String stopReason) {
    this.config = config;
    this.graph = graph;
    this.batchesPerEpoch = batchesPerEpoch;
    this.batchSize = batchSize;
    this.history = new ArrayList<>(history);
    this.step = step;
    this.stopReason = stopReason;
  }

  public TrainConfig config() {
    return config;
  }

  /** Steps taken so far, by this process and any it resumed. */
  public long step() {
    return step;
  }

  /** The epoch in progress, from 1. */
  public int epoch() {
    return epoch;
  }

  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Steps this process has taken in the epoch in progress. */
  public int stepsThisEpoch() {
    return stepsThisEpoch;
  }

  /** The finished epochs, oldest first. */
  public List<EpochStats> history() {
    return List.copyOf(history);
  }

  /** Whether the epoch that just ended ran all its steps (not cut short by a step limit). */
  public boolean epochComplete() {
    return step == (long) epoch * batchesPerEpoch;
  }

  /** Asks the loop to stop after this epoch; the run then counts as finished. */
  public void stop(String reason) {
    stopReason = reason;
  }

  /** Why the run stopped before its last epoch, or null. */
  public String stopReason() {
    return stopReason;
  }

  /** Saves a checkpoint of the run as it stands; returns its variables prefix. */
  public String checkpoint(Checkpoints checkpoints) throws IOException {
    int epochsDone = epochComplete() ? epoch : epoch - 1;
    return checkpoints.save(graph.session(), config, epochsDone, step, history, stopReason);
  }

  /** The variables prefix of the weights to export, once the run has ended; else null. */
  public String exportWeights() {
    return exportWeights;
  }

  /** Whether the weights to export are the run's weight average. */
  public boolean exportAveraged() {
    return exportAveraged;
  }

  // The loop's side, and its own listeners'.

  TrainingGraph graph() {
    return graph;
  }

  void exportWeights(String prefix, boolean averaged) {
    exportWeights = prefix;
    exportAveraged = averaged;
  }

  void startEpoch(int number) {
    epoch = number;
    stepsThisEpoch = 0;
  }

  void stepDone() {
    step++;
    stepsThisEpoch++;
  }

  /** Records an epoch; the rest of an epoch that an earlier run cut short joins its first part. */
  EpochStats record(EpochStats stats) {
    if (!history.isEmpty() && history.get(history.size() - 1).epoch() == stats.epoch()) {
      stats = history.remove(history.size() - 1).joinedWith(stats);
    }
    history.add(stats);
    return stats;
  }
}
