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

  /** Another process's peak so far (VmHWM), or -1. */
  static long peakMib(long pid) {
    return read(Path.of("/proc/" + pid + "/status"), "VmHWM:");
  }

  /** Now (VmRSS). */
  static long currentMib() {
    return read("VmRSS:");
  }

  private static long read(String field) {
    return read(Path.of("/proc/self/status"), field);
  }

  private static long read(Path status, String field) {
    try {
      for (String line : Files.readAllLines(status)) {
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
