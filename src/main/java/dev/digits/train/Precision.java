package dev.digits.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The arithmetic a training session computes in. The weights, Adam's state and the exported model
 * are float32 either way; with {@link #BFLOAT16}, TensorFlow's graph optimizer rewrites the
 * convolutions, poolings and their gradients to bfloat16 for oneDNN (mixed precision). CPUs with
 * native bfloat16 instructions run that 1.4–1.7× as fast at width 2 (measured on 2 cores of an
 * AVX512_BF16 CPU: 3,113–3,140 against 1,835–2,285 images/s; the default 20-epoch run ended at 99.54% test
 * accuracy, the float32 one at 99.55%). Without them oneDNN emulates bfloat16 at less than half
 * the speed of float32 (987 against 2,347 images/s with {@code ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI}),
 * so {@link #auto()} picks it only where the CPU has it.
 */
public enum Precision {
  FLOAT32,
  BFLOAT16;

  /** The CPU flags (Linux /proc/cpuinfo) of native bfloat16 arithmetic that oneDNN uses. */
  private static final Pattern NATIVE_BF16 = Pattern.compile("\\b(avx512_bf16|amx_bf16)\\b");

  /** bfloat16 where this CPU computes it natively, else float32. */
  public static Precision auto() {
    return cpuHasBfloat16() ? BFLOAT16 : FLOAT32;
  }

  /**
   * Whether this machine's CPU has native bfloat16 instructions that oneDNN may use (false where
   * that cannot be read, or where {@code ONEDNN_MAX_CPU_ISA} caps oneDNN below them).
   */
  public static boolean cpuHasBfloat16() {
    String cap = System.getenv("ONEDNN_MAX_CPU_ISA");
    if (cap != null && !cap.isBlank() && !cap.toUpperCase(Locale.ROOT).matches(".*(BF16|AMX|ALL).*")) {
      return false;
    }
    try {
      Path cpuinfo = Path.of("/proc/cpuinfo");
      return Files.isReadable(cpuinfo) && NATIVE_BF16.matcher(Files.readString(cpuinfo)).find();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** As the command line and metadata.json write it: "float32", "bfloat16". */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A session configuration with {@code threads} threads (0 = one per core) computing in this precision. */
  ConfigProto sessionConfig(int threads) {
    RewriterConfig.Toggle mixed = this == BFLOAT16 ? RewriterConfig.Toggle.ON : RewriterConfig.Toggle.OFF;
    // As many inter-op threads as intra-op ones let independent kernels (a layer's two gradients)
    // overlap: 10% faster than one on 2 cores in float32; in bfloat16, 1, 2 or 3 measured alike.
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        .setInterOpParallelismThreads(threads)
        .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(
            RewriterConfig.newBuilder().setAutoMixedPrecisionOnednnBfloat16(mixed)))
        .build();
  }
}
