package dev.shadowparity.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.shadowparity.engine.CompareOptions;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.ResponseComparator;
import dev.shadowparity.engine.Rules;
import dev.shadowparity.grpc.GrpcFrames;
import dev.shadowparity.grpc.RawWire;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes what the engine reads of a gRPC answer, bytes that come from a backend: the message framing and
 * {@code grpc-encoding} ({@link GrpcFrames}), the raw wire form of each message ({@link RawWire}), and the whole gRPC
 * comparison through the public API (no descriptors: messages are read by field number).
 *
 * <p>Input: one byte choosing the {@code grpc-encoding} (low 2 bits: none, gzip, deflate, identity) and the
 * {@code grpc-status} trailer (the rest, 0 to 63); the rest is the body. Seeds: {@code GrpcFuzzTestInputs/grpc/}.
 *
 * <p>Checked: nothing throws (a malformed body is a problem, not an exception), the messages read stay within
 * {@code max-decoded-bytes} and {@code max-messages}, an answer compared with itself matches, and one input allocates a
 * bounded number of bytes.
 */
class GrpcFuzzTest {

  static final long MAX_DECODED = 256 * 1024;
  static final int MAX_MESSAGES = 100;
  static final long ALLOCATION_BUDGET = 256L * 1024 * 1024;
  private static final String[] ENCODINGS = {null, "gzip", "deflate", "identity"};
  private static final ResponseComparator COMPARATOR =
      ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(MAX_DECODED));

  @FuzzTest(maxDuration = "15s")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void grpc(byte[] input) {
    if (input.length == 0 || input.length > Bounds.MAX_INPUT) {
      return;
    }
    String encoding = ENCODINGS[input[0] & 3];
    String status = Integer.toString((input[0] & 0xff) >>> 2);
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    Bounds.checkAllocation(() -> check(input, body, encoding, status), ALLOCATION_BUDGET, input);
  }

  private static void check(byte[] input, byte[] body, String encoding, String status) {
    GrpcFrames.Frames frames;
    try {
      frames = GrpcFrames.read(body, encoding, MAX_DECODED, MAX_MESSAGES);
    } catch (RuntimeException | StackOverflowError e) {
      throw Bounds.failure("GrpcFrames.read threw", input, e);
    }
    Bounds.check(frames.messages().size() <= MAX_MESSAGES, "more messages than max-messages", input);
    long total = frames.messages().stream().mapToLong(m -> m.length).sum();
    Bounds.check(total <= Math.max(body.length, MAX_DECODED), "messages of " + total + " bytes, over max-decoded-bytes", input);
    for (byte[] m : frames.messages()) {
      try {
        RawWire.read(m);
      } catch (RuntimeException | StackOverflowError e) {
        throw Bounds.failure("RawWire.read threw", input, e);
      }
    }
    Headers.Builder h = Headers.builder().add("Content-Type", "application/grpc");
    if (encoding != null) {
      h.add("grpc-encoding", encoding);
    }
    RecordedResponse answer = new RecordedResponse(200, h.build(), body, 0, Headers.of("grpc-status", status));
    Comparison self = compare(answer, answer, input);
    Bounds.check(self.match(), "a gRPC answer differs from itself: " + self.differences(), input);
    // against a trailers-only error: every kind of difference at once, within the cap
    compare(answer, new RecordedResponse(200, Headers.of("Content-Type", "application/grpc", "grpc-status", "13"),
        new byte[0]), input);
  }

  private static Comparison compare(RecordedResponse a, RecordedResponse b, byte[] input) {
    try {
      return COMPARATOR.compare(a, b, Rules.defaults());
    } catch (RuntimeException | StackOverflowError e) {
      throw Bounds.failure("compare threw", input, e);
    }
  }
}
