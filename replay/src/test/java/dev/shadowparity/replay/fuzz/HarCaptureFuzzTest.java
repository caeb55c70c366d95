package dev.shadowparity.replay.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.shadowparity.replay.CaptureFormat;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the HAR capture reader: the input is a whole capture file (gzip-compressed or not), opened as
 * {@link CaptureFormat#HAR} and read to its end. Checks: {@link CaptureFuzzing}. Seeds:
 * {@code HarCaptureFuzzTestInputs/har/} (written by fixtures/fuzz/make_seeds.py).
 */
class HarCaptureFuzzTest {

  @FuzzTest(maxDuration = "15s")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void har(byte[] input) {
    CaptureFuzzing.readAll(input, CaptureFormat.HAR);
  }
}
