package dev.shadowparity.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.http.HttpParseException;
import dev.shadowparity.http.RawHttp;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the raw HTTP/1.x parser ({@link RawHttp}, as GoReplay payloads and {@code curl -si} files are read).
 *
 * <p>Input: one byte whose low bit chooses a request (1) or a response (0), then the message. Seeds:
 * {@code RawHttpFuzzTestInputs/parse/}: the fixtures' responses and hand-written requests (written by
 * fixtures/fuzz/make_seeds.py).
 *
 * <p>Checked: the only exception is {@link HttpParseException}, with an offset inside the message; a parsed message
 * has a status within 100-999 (a response), no more headers than lines, and a body no longer than the message (chunked
 * coding only shrinks it); one input allocates a bounded number of bytes.
 */
class RawHttpFuzzTest {

  static final long ALLOCATION_BUDGET = 16L * 1024 * 1024;

  @FuzzTest(maxDuration = "15s")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void parse(byte[] input) {
    if (input.length == 0 || input.length > Bounds.MAX_INPUT) {
      return;
    }
    boolean request = (input[0] & 1) != 0;
    byte[] message = Arrays.copyOfRange(input, 1, input.length);
    int lines = 1;
    for (byte b : message) {
      if (b == '\n') {
        lines++;
      }
    }
    int lineCount = lines;
    Bounds.checkAllocation(() -> check(input, request, message, lineCount), ALLOCATION_BUDGET, input);
  }

  private static void check(byte[] input, boolean request, byte[] message, int lines) {
    RawHttp.looksLikeResponse(message);
    try {
      if (request) {
        RecordedRequest r = RawHttp.parseRequest(message);
        Bounds.check(r.body().length <= message.length, "a body longer than the message", input);
        Bounds.check(r.headers().size() <= lines, "more headers than lines", input);
        r.path();
      } else {
        RecordedResponse r = RawHttp.parseResponse(message);
        Bounds.check(r.status() >= 100 && r.status() <= 999, "status " + r.status(), input);
        Bounds.check(r.body().length <= message.length, "a body longer than the message", input);
        Bounds.check(r.headers().size() <= lines, "more headers than lines", input);
      }
    } catch (HttpParseException e) {
      Bounds.check(e.offset() >= 0 && e.offset() <= message.length, "an offset outside the message: " + e.offset(),
          input);
      Bounds.check(e.getMessage().length() <= 512, "a message of " + e.getMessage().length() + " characters", input);
    } catch (RuntimeException | StackOverflowError e) {
      throw Bounds.failure((request ? "parseRequest" : "parseResponse") + " threw", input, e);
    }
  }
}
