package dev.shadowparity.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.shadowparity.engine.CompareOptions;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.DecodedBody;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.ResponseComparator;
import dev.shadowparity.engine.Rules;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the decode stage ({@code BodyDecoder}: Content-Encoding gzip, deflate and br, charsets, JSON, forms, kind
 * sniffing) through the public API, {@link ResponseComparator#decode(Headers, byte[])} and
 * {@link ResponseComparator#compare}.
 *
 * <p>Input: one byte choosing a Content-Type (low 4 bits) and a Content-Encoding (high 4 bits) from the lists below;
 * index 15 of either reads the header value from the input instead (a length byte, then that many bytes). The rest is
 * the body. Seeds: {@code BodyDecoderFuzzTestInputs/decode/} (written by fixtures/fuzz/make_seeds.py).
 *
 * <p>Checked: decoding never throws (an undecodable body comes back with a problem), what it undid stays within
 * {@code max-decoded-bytes}, a response compared with itself matches, a decoded body compared with its own decoded
 * bytes (Content-Encoding removed) matches, and one input allocates a bounded number of bytes.
 */
class BodyDecoderFuzzTest {

  /** Small, so that 64 KiB of gzip can reach it. */
  static final long MAX_DECODED = 256 * 1024;
  /** Decoding and three comparisons of at most {@link #MAX_DECODED} bytes, with JSON trees and text diffs. */
  static final long ALLOCATION_BUDGET = 256L * 1024 * 1024;

  private static final ResponseComparator COMPARATOR =
      ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(MAX_DECODED));

  static final String[] TYPES = {
      null,
      "application/json",
      "application/json; charset=utf-8",
      "application/json; charset=UTF-16",
      "application/problem+json",
      "text/plain; charset=iso-8859-1",
      "text/html",
      "text/html; charset=Shift_JIS",
      "application/x-www-form-urlencoded",
      "application/x-www-form-urlencoded; charset=windows-1252",
      "application/octet-stream",
      "text/plain; charset=no-such-charset",
      "text/csv; charset=utf-32",
      "application/vnd.api+json;charset=\"UTF-16LE\"",
      "text/plain; charset=x-IBM930",
      null, // read from the input
  };

  static final String[] ENCODINGS = {
      null,
      "gzip",
      "deflate",
      "br",
      "identity",
      "x-gzip",
      "gzip, br",
      "deflate, gzip",
      "br, br",
      "compress",
      "GZIP",
      " , gzip ,",
      "identity, deflate",
      "gzip, gzip, gzip",
      "br, deflate",
      null, // read from the input
  };

  @FuzzTest(maxDuration = "15s")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void decode(byte[] input) {
    if (input.length == 0 || input.length > Bounds.MAX_INPUT) {
      return;
    }
    int selector = input[0] & 0xff;
    int at = 1;
    String type = TYPES[selector & 15];
    if ((selector & 15) == 15 && at < input.length) {
      int n = Math.min(input[at] & 0xff, input.length - at - 1);
      type = new String(input, at + 1, n, StandardCharsets.ISO_8859_1);
      at += 1 + n;
    }
    String encoding = ENCODINGS[selector >>> 4];
    if ((selector >>> 4) == 15 && at < input.length) {
      int n = Math.min(input[at] & 0xff, input.length - at - 1);
      encoding = new String(input, at + 1, n, StandardCharsets.ISO_8859_1);
      at += 1 + n;
    }
    byte[] body = Arrays.copyOfRange(input, Math.min(at, input.length), input.length);
    Headers.Builder h = Headers.builder();
    if (type != null) {
      h.add("Content-Type", type);
    }
    if (encoding != null) {
      h.add("Content-Encoding", encoding);
    }
    Headers headers = h.build();
    String e = encoding;
    String t = type;
    Bounds.checkAllocation(() -> check(input, headers, body, t, e), ALLOCATION_BUDGET, input);
  }

  private static void check(byte[] input, Headers headers, byte[] body, String type, String encoding) {
    DecodedBody decoded;
    try {
      decoded = COMPARATOR.decode(headers, body);
    } catch (RuntimeException | StackOverflowError e) {
      throw Bounds.failure("decode threw", input, e);
    }
    Bounds.check(decoded != null && decoded.kind() != null, "decode returned no kind", input);
    if (decoded.isDecoded()) {
      Bounds.check(decoded.bytes().length <= Math.max(body.length, MAX_DECODED),
          "decoded " + decoded.bytes().length + " bytes, over max-decoded-bytes", input);
    } else {
      Bounds.check(!decoded.problem().isEmpty(), "an undecodable body without a problem", input);
      Bounds.check(decoded.problem().length() <= 1024 + (encoding == null ? 0 : encoding.length())
          + (type == null ? 0 : type.length()), "a problem of " + decoded.problem().length() + " characters", input);
    }
    decoded.text(); // made on demand: must not throw either

    RecordedResponse response = new RecordedResponse(200, headers, body);
    Comparison self = compare(response, response, input);
    Bounds.check(self.match(), "a response differs from itself: " + self.differences(), input);
    if (decoded.isDecoded() && encoding != null) {
      // the same body sent without Content-Encoding (ignored by default, as Content-Length is) is the same answer
      RecordedResponse plain = new RecordedResponse(200, headers.toBuilder().remove("Content-Encoding").build(),
          decoded.bytes());
      Comparison same = compare(response, plain, input);
      Bounds.check(same.match(), "a body differs from its own decoded bytes: " + same.differences(), input);
    }
    // against an empty answer of another status: every difference kind at the top level, within the cap
    compare(response, new RecordedResponse(500, Headers.of("Content-Type", "text/plain"), new byte[0]), input);
  }

  private static Comparison compare(RecordedResponse a, RecordedResponse b, byte[] input) {
    Comparison c;
    try {
      c = COMPARATOR.compare(a, b, Rules.defaults());
    } catch (RuntimeException | StackOverflowError e) {
      throw Bounds.failure("compare threw", input, e);
    }
    Bounds.check(c.differences().size() <= new CompareOptions().getMaxDifferences(),
        c.differences().size() + " differences, over the cap", input);
    return c;
  }
}
