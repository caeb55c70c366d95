package dev.shadowparity.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.shadowparity.engine.CompareOptions;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.ResponseComparator;
import dev.shadowparity.engine.Rules;
import java.math.BigDecimal;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the JSON differ ({@code JsonDiffer}, {@code CanonicalJson}, {@code HugeNumberNode}) through
 * {@link ResponseComparator#compare}: two JSON bodies under rules the input chooses.
 *
 * <p>Input: one byte of rules (bits 0-1 numeric tolerance 0, 0.001, 1 or 1e-12; bit 2 ignore {@code /*&#47;id} and
 * {@code /meta}; bit 3 arrays unordered at {@code ""}, {@code /*} and {@code /items}; bit 4 NEW's body served as
 * {@code text/plain}), then OLD's body, a 0xFF byte (never in UTF-8), NEW's body. Without a 0xFF byte both sides are
 * the same body. Seeds: {@code JsonDifferFuzzTestInputs/diff/}, JSONTestSuite-style y_ (must parse), n_ (must not) and
 * i_ (either) cases and pairs (written by fixtures/fuzz/make_seeds.py).
 *
 * <p>Checked: nothing throws; a body compared with itself matches; with exact numbers, whether two bodies match does
 * not depend on which side is OLD; at most the configured number of differences, each value cut to its cap; one input
 * allocates a bounded number of bytes. The hang guard (@Timeout, libFuzzer's -timeout) catches work that grows faster
 * than the input.
 */
class JsonDifferFuzzTest {

  static final long ALLOCATION_BUDGET = 256L * 1024 * 1024;
  private static final BigDecimal[] TOLERANCES = {
      BigDecimal.ZERO, new BigDecimal("0.001"), BigDecimal.ONE, new BigDecimal("1e-12")};
  private static final CompareOptions OPTIONS = new CompareOptions();
  private static final ResponseComparator COMPARATOR = ResponseComparator.create(OPTIONS);
  private static final Headers JSON = Headers.of("Content-Type", "application/json");
  private static final Headers TEXT = Headers.of("Content-Type", "text/plain; charset=utf-8");

  @FuzzTest(maxDuration = "15s")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void diff(byte[] input) {
    if (input.length == 0 || input.length > Bounds.MAX_INPUT) {
      return;
    }
    int flags = input[0] & 0xff;
    Rules.Builder rules = Rules.builder().numericTolerance(TOLERANCES[flags & 3]);
    if ((flags & 4) != 0) {
      rules.ignore("/*/id", "/meta");
    }
    if ((flags & 8) != 0) {
      rules.unordered("", "/*", "/items");
    }
    Rules r = rules.build();
    int sep = -1;
    for (int i = 1; i < input.length; i++) {
      if (input[i] == (byte) 0xff) {
        sep = i;
        break;
      }
    }
    byte[] oldBody = Arrays.copyOfRange(input, 1, sep < 0 ? input.length : sep);
    byte[] newBody = sep < 0 ? oldBody.clone() : Arrays.copyOfRange(input, sep + 1, input.length);
    RecordedResponse oldResponse = new RecordedResponse(200, JSON, oldBody);
    RecordedResponse newResponse = new RecordedResponse(200, (flags & 16) != 0 ? TEXT : JSON, newBody);
    RecordedResponse newAsJson = new RecordedResponse(200, JSON, newBody);
    boolean copy = sep < 0;
    Bounds.checkAllocation(() -> check(input, flags, r, oldResponse, newResponse, newAsJson, copy), ALLOCATION_BUDGET,
        input);
  }

  private static void check(byte[] input, int flags, Rules r, RecordedResponse oldResponse,
      RecordedResponse newResponse, RecordedResponse newAsJson, boolean copy) {
    byte[] oldBody = oldResponse.body();
    Comparison forward = compare(oldResponse, newResponse, r, input);
    Comparison self = compare(oldResponse, new RecordedResponse(200, JSON, oldBody.clone()), r, input);
    Bounds.check(self.match(), "a body differs from itself: " + self.differences(), input);
    if ((flags & 3) == 0) {
      // exact numbers: equality of values is an equivalence, so matching cannot depend on the direction
      Comparison there = compare(oldResponse, newAsJson, r, input);
      Comparison back = compare(newAsJson, oldResponse, r, input);
      Bounds.check(there.match() == back.match(), "old/new match " + there.match() + " but new/old " + back.match()
          + ": " + there.differences() + " / " + back.differences(), input);
    }
    if (copy && (flags & 16) == 0) {
      Bounds.check(forward.match(), "a body differs from its copy: " + forward.differences(), input);
    }
  }

  private static Comparison compare(RecordedResponse a, RecordedResponse b, Rules rules, byte[] input) {
    Comparison c;
    try {
      c = COMPARATOR.compare(a, b, rules);
    } catch (RuntimeException | StackOverflowError e) {
      throw Bounds.failure("compare threw", input, e);
    }
    Bounds.check(c.differences().size() <= OPTIONS.getMaxDifferences(), c.differences().size() + " differences", input);
    Bounds.check(!c.truncated() || c.differences().size() == OPTIONS.getMaxDifferences(),
        "truncated with only " + c.differences().size() + " differences", input);
    for (Difference d : c.differences()) {
      checkValue(d.oldValue(), input);
      checkValue(d.newValue(), input);
    }
    return c;
  }

  private static void checkValue(String value, byte[] input) {
    // the cap, the ellipsis and "(N chars)"
    Bounds.check(value == null || value.length() <= OPTIONS.getMaxValueLength() + 32,
        "a difference value of " + (value == null ? 0 : value.length()) + " characters", input);
  }
}
