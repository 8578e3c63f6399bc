package dev.digits.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorFlowRuntimeTest {
  @Test
  void inferenceTurnsOneDnnOffOnAmdOnlyAndTrainingKeepsTensorFlowsDefault() {
    assertEquals("0", TensorFlowRuntime.preferredOneDnn(TensorFlowRuntime.Workload.INFERENCE, "AuthenticAMD"));
    assertNull(TensorFlowRuntime.preferredOneDnn(TensorFlowRuntime.Workload.INFERENCE, "GenuineIntel"));
    assertNull(TensorFlowRuntime.preferredOneDnn(TensorFlowRuntime.Workload.TRAINING, "AuthenticAMD"));
    assertNull(TensorFlowRuntime.preferredOneDnn(TensorFlowRuntime.Workload.TRAINING, "GenuineIntel"));
  }

  @Test
  void aValueTheUserSetIsKept() {
    // Surefire sets TF_ENABLE_ONEDNN_OPTS=1 for the test JVM (pom.xml): that is what stays.
    assertEquals(System.getenv(TensorFlowRuntime.ONEDNN),
        TensorFlowRuntime.prefer(TensorFlowRuntime.Workload.INFERENCE));
  }

  @Test
  void theVariableIsSetWhereTensorFlowReadsIt() {
    assertTrue(TensorFlowRuntime.nativeSetenv("DIGITS_RUNTIME_TEST", "0"));
    assertEquals("0", TensorFlowRuntime.nativeGetenv("DIGITS_RUNTIME_TEST"));
    assertNull(System.getenv("DIGITS_RUNTIME_TEST"), "Java's copy of the environment does not see it; C's getenv does");
  }
}
