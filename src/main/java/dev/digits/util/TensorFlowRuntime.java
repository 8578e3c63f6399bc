package dev.digits.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The TensorFlow runtime setting that decides speed most and can only be chosen per process:
 * oneDNN ({@code TF_ENABLE_ONEDNN_OPTS}), read once when TensorFlow first optimizes a graph.
 *
 * <p>It cuts both ways, by workload and CPU (measured on 2 cores, width-2 model, docs/SERVING.md):
 * on an AMD EPYC, inference runs 2.7x as fast with oneDNN off (6,100 against 2,300 images/s at
 * batch 128; 0.56 against 1.06 ms for one image), while training runs 1.7x as fast with it on
 * (1,131 against 677 images/s in float32; bfloat16, 1,482, needs it). So inference turns it off on
 * AMD CPUs, and training keeps TensorFlow's default (on); on other CPUs, where inference was not
 * measured, TensorFlow's default stays. A value the user set is never changed.
 *
 * <p>The commands choose before TensorFlow loads; {@code Predictor.load} chooses for inference too,
 * which takes effect when it is the first TensorFlow use of the process. A library user who loads
 * TensorFlow first sets the variable themselves (or calls {@link #prefer} first).
 */
public final class TensorFlowRuntime {
  /** TensorFlow's variable: 0 turns oneDNN's graph rewrites and kernels off, 1 on. */
  public static final String ONEDNN = "TF_ENABLE_ONEDNN_OPTS";

  /** What the process will mostly do. */
  public enum Workload {
    TRAINING,
    INFERENCE
  }

  private TensorFlowRuntime() {}

  /** The oneDNN setting that runs {@code workload} fastest on a CPU of {@code vendor}, or null for TensorFlow's default. */
  static String preferredOneDnn(Workload workload, String vendor) {
    return workload == Workload.INFERENCE && "AuthenticAMD".equals(vendor) ? "0" : null;
  }

  /**
   * Sets {@link #ONEDNN} for this process to what runs {@code workload} fastest on this CPU,
   * unless it is set already; returns the value in effect (null: TensorFlow's default). Has an
   * effect only before TensorFlow first optimizes a graph in this process.
   */
  public static synchronized String prefer(Workload workload) {
    String set = System.getenv(ONEDNN);
    if (set != null) {
      return set;
    }
    String chosen = preferredOneDnn(workload, cpuVendor());
    if (chosen != null && !setenv(ONEDNN, chosen)) {
      return null;
    }
    return chosen;
  }

  /** The CPU's vendor as Linux reports it ("GenuineIntel", "AuthenticAMD"), or "" elsewhere. */
  static String cpuVendor() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.toLowerCase(Locale.ROOT).startsWith("vendor_id")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "";
  }

  /** The C library's setenv, which TensorFlow's getenv reads (Java's own environment is a read-only copy). */
  private static boolean setenv(String name, String value) {
    try {
      return CLibrary.INSTANCE.setenv(name, value, 0) == 0;
    } catch (LinkageError | RuntimeException e) {
      return false; // no JNA for this platform: TensorFlow's default stays
    }
  }

  /** The C library's getenv: what TensorFlow will read. */
  static String nativeGetenv(String name) {
    return CLibrary.INSTANCE.getenv(name);
  }

  static boolean nativeSetenv(String name, String value) {
    return setenv(name, value);
  }

  private interface CLibrary extends com.sun.jna.Library {
    CLibrary INSTANCE = com.sun.jna.Native.load("c", CLibrary.class);

    int setenv(String name, String value, int overwrite);

    String getenv(String name);
  }
}
