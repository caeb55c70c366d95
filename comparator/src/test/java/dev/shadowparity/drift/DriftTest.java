package dev.shadowparity.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.Cause;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.ledger.Outcome;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Only a write made before a read was sent explains it, or keeps its answers from teaching noise. */
class DriftTest {

  private static RecordedResponse user(String name, boolean etag) {
    Headers h = etag ? Headers.of("Content-Type", "application/json", "ETag", "\"" + name.hashCode() + "\"")
        : Headers.of("Content-Type", "application/json");
    return new RecordedResponse(200, h, ("{\"id\":3,\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8), 1_000_000);
  }

  private static final RecordedRequest GET = RecordedRequest.get("/api/users/3");

  @Test
  void aReadSentBeforeTheWrite_isNotExplainedByIt_evenWhenJudgedAfter() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    long sentBefore = engine.writeSequence();
    engine.unmirroredWrite("PUT", "/api/users/3", 204);
    // NEW lost its ETag: a real regression, in a read sent before the write and judged after it
    Outcome before = engine.process(new Exchange(GET, user("Ada", true), user("Ada", false), null, sentBefore));
    assertThat(before.kind()).isEqualTo(Outcome.Kind.MISMATCH);
    assertThat(before.comparison().differences()).noneMatch(d -> d.cause() == Cause.WRITE_NOT_MIRRORED);
    // a read sent after the write, whose data differ: explained
    Outcome after = engine.process(new Exchange(GET, user("Caroline", true), user("Ada", true), null, engine.writeSequence()));
    assertThat(after.comparison().differences()).allMatch(d -> d.cause() == Cause.WRITE_NOT_MIRRORED);
  }

  @Test
  void drift_explainsDataDifferences_notALostHeader() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    engine.unmirroredWrite("PUT", "/api/users/3", 204);
    Outcome o = engine.process(new Exchange(GET, user("Caroline", true), user("Ada", false), null, engine.writeSequence()));
    assertThat(o.comparison().differences()).anySatisfy(d -> {
      assertThat(d.field()).isEqualTo("/name");
      assertThat(d.cause()).isEqualTo(Cause.WRITE_NOT_MIRRORED);
    }).anySatisfy(d -> {
      assertThat(d.field()).isEqualTo("header:etag");
      assertThat(d.cause()).as("a write changes data, it does not take a header away").isNull();
    });
  }

  @Test
  void twoReadsWithAWriteBetween_teachNoNoise_andAreCounted() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    String[] names = {"Ada", "Grace", "Edsger", "Barbara"};
    for (String name : names) {
      // each read follows a write of the user: OLD's answers change because the data did, not on their own
      engine.unmirroredWrite("PUT", "/api/users/3", 204);
      engine.process(new Exchange(GET, user(name, true), user(name, true), null, engine.writeSequence()));
    }
    var e = engine.report().endpoint("GET /api/users/{id}");
    assertThat(e.noise()).noneMatch(f -> f.noise() != null);
    assertThat(e.repeatsAfterWrites()).isEqualTo(names.length - 1);
    // and a later real difference at /name is counted, not hidden
    Outcome o = engine.process(new Exchange(GET, user("Ada", true), user("ADA", true), null, engine.writeSequence()));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.MISMATCH);
  }
}
