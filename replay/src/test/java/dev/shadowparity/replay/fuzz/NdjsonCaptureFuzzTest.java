package dev.shadowparity.replay.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.shadowparity.replay.CaptureFormat;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the tap's NDJSON capture reader: the input is a whole capture file (gzip-compressed or not), opened as
 * {@link CaptureFormat#TAP} and read to its end. Checks: {@link CaptureFuzzing}. Seeds:
 * {@code NdjsonCaptureFuzzTestInputs/ndjson/} (written by fixtures/fuzz/make_seeds.py).
 */
class NdjsonCaptureFuzzTest {

  @FuzzTest(maxDuration = "15s")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void ndjson(byte[] input) {
    CaptureFuzzing.readAll(input, CaptureFormat.TAP);
  }
}
