package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.NoiseField;
import dev.shadowparity.report.Verdict;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Noise is learned only from two answers of OLD to the same request: requests that differ in a header that can
 * change the answer (Origin, If-None-Match, Accept, credentials...) or answers of another status never teach it.
 */
class TapNoiseIdentityTest {

  private final TapHarness h = new TapHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static java.util.List<String> learned(EndpointReport e) {
    return e.noise().stream().filter(n -> n.noise() != null).map(NoiseField::field).toList();
  }

  /** A CORS-enabled API as Express's cors() with a whitelist serves it: reflects the Origin, says Vary: Origin. */
  private static Handler<HttpServerRequest> reflectingCors() {
    return req -> {
      String origin = req.getHeader("Origin");
      if (origin != null) {
        req.response().putHeader("Access-Control-Allow-Origin", origin);
      }
      req.response().putHeader("Vary", "Origin").putHeader("Content-Type", "application/json")
          .putHeader("X-Nonce", UUID.randomUUID().toString()).end("{\"id\":1,\"name\":\"Ada\"}");
    };
  }

  /** The rewrite: a blanket CORS policy. */
  private static Handler<HttpServerRequest> starCors() {
    return req -> req.response().putHeader("Access-Control-Allow-Origin", "*").putHeader("Content-Type", "application/json")
        .putHeader("X-Nonce", UUID.randomUUID().toString()).end("{\"id\":1,\"name\":\"Ada\"}");
  }

  @Test
  void corsWithMixedOrigins_staysFailing_andTheCorsHeaderIsNeverNoise() throws Exception {
    h.old(reflectingCors()).neu(starCors()).tap("");
    int n = 0;
    for (int round = 0; round < 20; round++) {
      for (String origin : new String[] {null, "https://app.example", null, "https://admin.example"}) {
        HttpRequest.Builder b = HttpRequest.newBuilder(h.proxy("/api/users/1")).GET();
        if (origin != null) {
          b.header("Origin", origin);
        }
        h.send(b.build());
        n++;
      }
    }
    int total = n;
    EndpointReport e = h.awaitEndpoint("GET /api/users/{id}", x -> x.compared() == total);
    assertThat(learned(e)).as("the nonce differs between identical requests; nothing else does")
        .containsExactly("header:x-nonce");
    assertThat(e.reclassified()).isZero();
    // the requests without an Origin match (NEW's "*" is an extra header there... which is a real difference too)
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field).contains("header:access-control-allow-origin");
    assertThat(e.verdict()).isEqualTo(Verdict.FAILING);
    assertThat(e.failures()).isEqualTo(e.mismatched()).isEqualTo(total);
  }

  /** An ETag-aware server: 304 without a body or Content-Type when If-None-Match matches. */
  private static Handler<HttpServerRequest> conditional(String contentType) {
    return req -> {
      String etag = "\"v1\"";
      req.response().putHeader("ETag", etag).putHeader("X-Nonce", UUID.randomUUID().toString());
      if (Objects.equals(req.getHeader("If-None-Match"), etag)) {
        req.response().setStatusCode(304).end();
      } else {
        req.response().putHeader("Content-Type", contentType).end("{\"title\":\"hello\"}");
      }
    };
  }

  @Test
  void conditionalAndPlainRequestsMixed_teachNoNoise_soALaterContentTypeChangeIsCounted() throws Exception {
    // NEW serves the same until it serves the body as text/plain
    boolean[] broken = {false};
    Handler<HttpServerRequest> good = conditional("application/json");
    Handler<HttpServerRequest> bad = conditional("text/plain");
    h.old(good).neu(req -> (broken[0] ? bad : good).handle(req)).tap("");
    for (int round = 0; round < 10; round++) {
      h.get("/api/articles/7");
      h.send(HttpRequest.newBuilder(h.proxy("/api/articles/7")).header("If-None-Match", "\"v1\"").GET().build());
    }
    EndpointReport clean = h.awaitEndpoint("GET /api/articles/{id}", x -> x.compared() == 20);
    assertThat(clean.mismatched() - clean.reclassified()).as("only the nonce differed, before it was learned").isZero();
    assertThat(learned(clean)).containsExactly("header:x-nonce");
    broken[0] = true;
    for (int round = 0; round < 5; round++) {
      h.get("/api/articles/7");
      h.send(HttpRequest.newBuilder(h.proxy("/api/articles/7")).header("If-None-Match", "\"v1\"").GET().build());
    }
    EndpointReport e = h.awaitEndpoint("GET /api/articles/{id}", x -> x.compared() == 30);
    assertThat(learned(e)).doesNotContain("header:content-type");
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field).containsExactly("header:content-type");
    assertThat(e.mismatched() - e.reclassified()).as("the five plain GETs after NEW broke").isEqualTo(5);
  }
}
