package dev.shadowparity;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.DecodedBody;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.OversizedResponse;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.ResponseComparator;
import dev.shadowparity.engine.Rules;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.ledger.Outcome;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.redact.Redaction;
import dev.shadowparity.report.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every exchange ends in exactly one recorded outcome, told once to every listener, whatever goes wrong. */
class RecordingPathTest {

  private static final ParityConfig CONFIG = ConfigLoader.parse("", "test");

  private static RecordedResponse json(String body) {
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8), 1);
  }

  private static Exchange exchange(String oldBody, String newBody) {
    return new Exchange(RecordedRequest.get("/api/n"), json(oldBody), json(newBody));
  }

  /** JSONTestSuite i_number_huge_exp: valid JSON that no double or BigDecimal holds. */
  @Test
  void aHostileNumberInNewsAnswer_isAMismatch_andMakesTheEndpointFailing() {
    ParityEngine engine = new ParityEngine(CONFIG);
    List<Outcome> told = new ArrayList<>();
    engine.addListener((o, e) -> told.add(o));
    for (int i = 0; i < 3; i++) {
      assertThat(engine.process(exchange("{\"n\":1}", "{\"n\":1e9999999999}")).kind()).isEqualTo(Outcome.Kind.MISMATCH);
    }
    // a BigDecimal holds these, but arithmetic on them would build numbers of hundreds of millions of digits
    assertThat(engine.process(exchange("{\"n\":12}", "{\"n\":1e900000000}")).kind()).isEqualTo(Outcome.Kind.MISMATCH);
    assertThat(engine.process(exchange("{\"n\":1.5}", "{\"n\":-1e-200000000}")).kind()).isEqualTo(Outcome.Kind.MISMATCH);
    // a number of 5,000 digits: past Jackson's length limit, so not JSON to it; still judged (undecodable), not lost
    assertThat(engine.process(exchange("[1]", "[" + "9".repeat(5_000) + "]")).kind()).isEqualTo(Outcome.Kind.MISMATCH);
    EndpointReport e = engine.ledger().report().endpoint("GET /api/n");
    assertThat(e.compared()).isEqualTo(6);
    assertThat(e.mismatched()).isEqualTo(6);
    assertThat(e.verdict()).isEqualTo(Verdict.FAILING);
    assertThat(told).hasSize(6);
  }

  @Test
  void hugeNumbers_equalAsNumbers_match_andDifferentOnesDiffer() {
    // every exchange here asks the same URL with another OLD answer: that is not noise to learn
    ParityEngine engine = new ParityEngine(ConfigLoader.parse("noise: {learn: false}\n", "test"));
    assertThat(engine.process(exchange("{\"n\":1e9999999999}", "{\"n\":10.0E+9999999998}")).kind())
        .isEqualTo(Outcome.Kind.MATCH);
    assertThat(engine.process(exchange("{\"n\":1e9999999999}", "{\"n\":1e9999999998}")).kind())
        .isEqualTo(Outcome.Kind.MISMATCH);
    assertThat(engine.process(exchange("{\"n\":-1e-9999999999}", "{\"n\":-1e-9999999999}")).kind())
        .isEqualTo(Outcome.Kind.MATCH);
    assertThat(engine.process(exchange("{\"n\":1e300000000}", "{\"n\":0.1e300000001}")).kind()).isEqualTo(Outcome.Kind.MATCH);
    // a zero with a huge negative exponent is a BigDecimal of scale 300 million: it must never reach arithmetic
    assertThat(engine.process(exchange("{\"n\":1.5}", "{\"n\":0e-300000000}")).kind()).isEqualTo(Outcome.Kind.MISMATCH);
    assertThat(engine.process(exchange("{\"n\":1.5}", "{\"n\":0e-999999999}")).kind()).isEqualTo(Outcome.Kind.MISMATCH);
    // zero is zero, whatever its exponent
    assertThat(engine.process(exchange("{\"n\":0e9999999999}", "{\"n\":0}")).kind()).isEqualTo(Outcome.Kind.MATCH);
    assertThat(engine.process(exchange("{\"n\":0.0e-9999999999}", "{\"n\":0.0}")).kind()).isEqualTo(Outcome.Kind.MATCH);
  }

  @Test
  void underANumericTolerance_aNumberTooSmallForAnyRangeIsZero() {
    ParityEngine engine = new ParityEngine(ConfigLoader.parse("rules: {numeric-tolerance: 0.001}\nnoise: {learn: false}\n",
        "test"));
    assertThat(engine.process(exchange("{\"n\":0}", "{\"n\":1e-10001}")).kind()).isEqualTo(Outcome.Kind.MATCH);
    assertThat(engine.process(exchange("{\"n\":0.0005}", "{\"n\":-1e-99999}")).kind()).isEqualTo(Outcome.Kind.MATCH);
    assertThat(engine.process(exchange("{\"n\":0}", "{\"n\":1e10001}")).kind()).isEqualTo(Outcome.Kind.MISMATCH);
    assertThat(engine.process(exchange("{\"n\":1.5}", "{\"n\":0e-300000000}")).kind()).isEqualTo(Outcome.Kind.MISMATCH);
  }

  /** A comparator that breaks, as a bug in decoding or diffing would. */
  private static final class Broken implements ResponseComparator {
    @Override
    public Comparison compare(RecordedResponse oldResponse, RecordedResponse newResponse, Rules rules) {
      throw new IllegalStateException("a bug in the diff");
    }

    @Override
    public Comparison compareLarge(BackendResult oldResult, BackendResult newResult, Rules rules) {
      throw new IllegalStateException("a bug in the large diff");
    }

    @Override
    public DecodedBody decode(RecordedResponse response) {
      throw new IllegalStateException("a bug in the decoder");
    }

    @Override
    public DecodedBody decode(Headers headers, byte[] body) {
      throw new IllegalStateException("a bug in the decoder");
    }
  }

  @Test
  void aFailureWhileJudging_isRecordedAsNotComparable_countedAgainstProven_andLoggedOncePerKind() {
    Ledger ledger = new Ledger(CONFIG.verdict(), CONFIG.limits(), CONFIG.noise(), Redaction.DEFAULT, Clock.systemUTC());
    ParityEngine engine = new ParityEngine(CONFIG, ledger, new Broken());
    List<Outcome> told = new ArrayList<>();
    engine.addListener((o, e) -> told.add(o));
    Logger log = (Logger) LoggerFactory.getLogger(ParityEngine.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    log.addAppender(appender);
    try {
      for (int i = 0; i < 50; i++) {
        Outcome o = engine.process(exchange("{\"a\":1}", "{\"a\":1}"));
        assertThat(o.kind()).isEqualTo(Outcome.Kind.NOT_COMPARABLE);
        assertThat(o.reason()).isEqualTo("internal-error");
      }
      engine.process(new Exchange(RecordedRequest.get("/api/big"), json("{}"),
          new OversizedResponse(200, Headers.empty(), 1 << 30, null, 1)));
    } finally {
      log.detachAppender(appender);
    }
    EndpointReport e = ledger.report().endpoint("GET /api/n");
    assertThat(e.notComparable()).containsEntry("internal-error", 50L);
    assertThat(e.compared()).isZero();
    assertThat(e.trials()).isEqualTo(50);
    assertThat(e.failures()).isEqualTo(50);
    // what cannot be judged blocks PROVEN but shows no difference either: never FAILING on its own
    assertThat(e.verdict()).isEqualTo(Verdict.UNPROVEN);
    assertThat(e.upperBound()).isEqualTo(1.0);
    assertThat(e.lowerBound()).isZero();
    assertThat(e.samples()).isNotEmpty().allSatisfy(s -> assertThat(s.error()).startsWith("internal-error: IllegalStateException: a bug in the diff"));
    assertThat(ledger.report().endpoint("GET /api/big").notComparable()).containsEntry("internal-error", 1L);
    assertThat(told).hasSize(51);
    List<ILoggingEvent> warnings = appender.list.stream().filter(x -> x.getLevel() == Level.WARN).toList();
    assertThat(warnings).as("one per endpoint, stage and kind, not one per exchange").hasSize(3);
    assertThat(warnings.get(0).getFormattedMessage()).contains("GET /api/n").contains("a bug in the diff")
        .contains("recorded as not comparable");
    assertThat(warnings.get(0).getThrowableProxy()).as("the first one with its stack").isNotNull();
  }

  @Test
  void aListenerThatThrows_losesNothingFromTheLedger_andIsCounted() {
    ParityEngine engine = new ParityEngine(CONFIG);
    List<Outcome> second = new ArrayList<>();
    engine.addListener((o, e) -> {
      throw new IllegalArgumentException("a broken listener");
    });
    engine.addListener((o, e) -> second.add(o));
    for (int i = 0; i < 5; i++) {
      engine.process(exchange("{\"a\":1}", "{\"a\":1}"));
    }
    assertThat(engine.ledger().report().endpoint("GET /api/n").matched()).isEqualTo(5);
    assertThat(second).hasSize(5);
    assertThat(engine.recordingFailures()).isEqualTo(5);
  }

  @Test
  void largeAnswers_areJudgedByDigestOrSize() {
    ParityEngine engine = new ParityEngine(CONFIG);
    Headers h = Headers.of("Content-Type", "application/json");
    RecordedRequest req = RecordedRequest.get("/api/export");
    OversizedResponse a = new OversizedResponse(200, h, 50_000_000, "aa", 1);
    OversizedResponse same = new OversizedResponse(200, h, 50_000_000, "aa", 1);
    OversizedResponse other = new OversizedResponse(200, h, 50_000_001, "bb", 1);
    OversizedResponse unread = new OversizedResponse(200, h, 200_000_000, null, 1);
    assertThat(engine.process(new Exchange(req, a, same)).kind()).isEqualTo(Outcome.Kind.MATCH);
    Outcome differ = engine.process(new Exchange(req, a, other));
    assertThat(differ.kind()).isEqualTo(Outcome.Kind.NOT_COMPARABLE);
    assertThat(differ.reason()).isEqualTo("over-cap");
    assertThat(engine.process(new Exchange(req, a, unread)).kind()).isEqualTo(Outcome.Kind.NOT_COMPARABLE);
    assertThat(engine.process(new Exchange(req, a, new OversizedResponse(500, h, 50_000_000, "aa", 1))).kind())
        .as("a different status needs no body").isEqualTo(Outcome.Kind.MISMATCH);
    assertThat(engine.process(new Exchange(req, json("{}"), a)).kind()).as("2 bytes against 50 MB").isEqualTo(Outcome.Kind.MISMATCH);
    assertThat(engine.process(new Exchange(req, json("x".repeat(10_000_000)), a)).kind())
        .as("sizes within a factor of 8: unknown").isEqualTo(Outcome.Kind.NOT_COMPARABLE);
    // the kept side is measured decoded: a gzip answer of 1 MB of JSON is not "far smaller" than 1 MB sent plain
    byte[] json = ("[" + "1,".repeat(500_000) + "1]").getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
      gz.write(json);
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    RecordedResponse gzipped = new RecordedResponse(200, Headers.of("Content-Type", "application/json",
        "Content-Encoding", "gzip"), zipped.toByteArray(), 1);
    assertThat(zipped.size() * ResponseComparator.SIZE_RATIO).isLessThan(json.length);
    assertThat(engine.process(new Exchange(req, gzipped, new OversizedResponse(200, h, json.length, "cc", 1))).kind())
        .as("same size once decoded: unknown, not a size difference").isEqualTo(Outcome.Kind.NOT_COMPARABLE);
    assertThat(engine.process(new Exchange(req, gzipped, new OversizedResponse(200, h, json.length * 20L, "cc", 1))).kind())
        .isEqualTo(Outcome.Kind.MISMATCH);
    // a kept body that could not be decoded (past max-decoded-bytes) is only known to be at least its size as sent
    ParityEngine small = new ParityEngine(ConfigLoader.parse("limits: {max-decoded-bytes: 100000}\n", "test"));
    assertThat(small.process(new Exchange(req, gzipped, new OversizedResponse(200, h, json.length, "cc", 1))).kind())
        .as("undecodable kept side: not far smaller for sure").isEqualTo(Outcome.Kind.NOT_COMPARABLE);
    EndpointReport e = engine.ledger().report().endpoint("GET /api/export");
    assertThat(e.notComparable()).containsEntry("over-cap", 4L);
    assertThat(e.compared()).isEqualTo(4);
    assertThat(e.trials()).isEqualTo(8);
  }
}
