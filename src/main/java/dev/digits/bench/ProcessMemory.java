package dev.digits.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory from /proc/self/status (Linux), in MiB; -1 elsewhere. */
final class ProcessMemory {
  private ProcessMemory() {}

  /** The peak so far (VmHWM). */
  static long peakMib() {
    return read("VmHWM:");
  }

  /** Now (VmRSS). */
  static long currentMib() {
    return read("VmRSS:");
  }

  private static long read(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }
}
