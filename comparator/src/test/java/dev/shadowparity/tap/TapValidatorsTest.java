package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Verdict;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through a tap on loopback: a NEW that drops its ETag (so its clients never get a 304 again) makes the
 * endpoint FAILING, while a NEW whose ETags and Last-Modified differ in value only, as two server stacks do, matches.
 */
class TapValidatorsTest {

  private static final int EXCHANGES = 5;
  private static final String BODY = "{\"id\":7,\"name\":\"lamp\"}";

  private final TapHarness h = new TapHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static void oldStack(HttpServerRequest req) {
    req.response().putHeader("Content-Type", "application/json").putHeader("ETag", "\"old-" + req.path().hashCode() + "\"")
        .putHeader("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT").end(BODY);
  }

  private static void newStack(HttpServerRequest req) {
    var res = req.response().putHeader("Content-Type", "application/json");
    if (req.path().startsWith("/api/changed/")) {
      // another stack, another hash and file time: values differ, kinds do not
      res.putHeader("ETag", "\"5f3c8a9b0d1e" + req.path().length() + "\"").putHeader("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");
    } else {
      res.putHeader("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"); // the ETag is lost
    }
    res.end(BODY);
  }

  @Test
  void newDroppingItsETag_isFailing_whileOtherETagValuesOfTheSameKindMatch() throws Exception {
    h.old(TapValidatorsTest::oldStack).neu(TapValidatorsTest::newStack).tap("");
    for (int id = 0; id < EXCHANGES; id++) {
      var lost = h.get("/api/lost/" + id);
      assertThat(lost.headers().firstValue("ETag")).as("the client still gets OLD's answer").isPresent();
      assertThat(new String(lost.body(), StandardCharsets.UTF_8)).isEqualTo(BODY);
      assertThat(h.get("/api/changed/" + id).statusCode()).isEqualTo(200);
    }

    EndpointReport lost = h.awaitEndpoint("GET /api/lost/{id}", x -> x.compared() == EXCHANGES);
    assertThat(lost.mismatched()).isEqualTo(EXCHANGES);
    assertThat(lost.verdict()).isEqualTo(Verdict.FAILING);
    assertThat(lost.fields()).extracting(EndpointReport.FieldCount::field, EndpointReport.FieldCount::kind)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("header:etag", "missing"));
    assertThat(lost.samples()).isNotEmpty().allSatisfy(s -> {
      Difference d = s.differences().get(0);
      assertThat(d.kind()).isEqualTo(DiffKind.MISSING);
      assertThat(d.oldValue()).as("OLD's ETag as sent, not its kind").startsWith("\"old-");
      assertThat(d.newValue()).isNull();
    });

    EndpointReport changed = h.awaitEndpoint("GET /api/changed/{id}", x -> x.compared() == EXCHANGES);
    assertThat(changed.matched()).isEqualTo(EXCHANGES);
    assertThat(changed.mismatched()).isZero();
    assertThat(changed.verdict()).isNotEqualTo(Verdict.FAILING);
  }
}
