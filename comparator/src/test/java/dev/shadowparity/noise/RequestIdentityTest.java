package dev.shadowparity.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestIdentityTest {

  private static final Headers PLAIN = Headers.of("Content-Type", "application/json");

  private static RecordedRequest get(String... headers) {
    return new RecordedRequest("GET", "/api/users/1", Headers.of(headers), null);
  }

  private static String id(RecordedRequest r, Headers answer) {
    return RequestIdentity.of("GET /api/users/{id}", r, answer);
  }

  @Test
  void headersThatCanChangeTheAnswer_makeAnotherRequest() {
    String base = id(get("Accept", "application/json"), PLAIN);
    for (String[] h : new String[][] {{"Origin", "https://a.example"}, {"If-None-Match", "\"v1\""},
        {"If-Modified-Since", "Sun, 06 Dec 2026 03:00:00 GMT"}, {"Range", "bytes=0-9"}, {"Accept-Language", "de"},
        {"Authorization", "Bearer a"}, {"Cookie", "sid=1"}, {"Host", "tenant-b.example"}}) {
      assertThat(id(get("Accept", "application/json", h[0], h[1]), PLAIN)).as(h[0]).isNotEqualTo(base);
    }
    assertThat(id(get("Authorization", "Bearer a"), PLAIN)).isNotEqualTo(id(get("Authorization", "Bearer b"), PLAIN));
  }

  @Test
  void headersThatCannot_andTheirOrder_doNotMatter() {
    String base = id(get("Accept", "application/json", "Cookie", "sid=1"), PLAIN);
    assertThat(id(get("Cookie", "sid=1", "User-Agent", "curl/8", "X-Forwarded-For", "10.0.0.1", "Accept",
        "application/json"), PLAIN)).isEqualTo(base);
  }

  @Test
  void vary_addsTheHeadersItNames_andStarHasNoIdentity() {
    Headers varies = Headers.of("Content-Type", "application/json", "Vary", "X-Tenant, Accept-Encoding");
    assertThat(id(get("X-Tenant", "a"), varies)).isNotEqualTo(id(get("X-Tenant", "b"), varies));
    assertThat(id(get("X-Tenant", "a"), PLAIN)).as("not named by the answer: not part of it")
        .isEqualTo(id(get("X-Tenant", "b"), PLAIN));
    assertThat(id(get("X-Tenant", "a"), varies)).as("answers that vary differently never pair")
        .isNotEqualTo(id(get("X-Tenant", "a"), PLAIN));
    assertThat(id(get(), Headers.of("Vary", "*"))).isNull();
  }

  @Test
  void bodyMethodAndTarget_areCompared_byDigest() {
    RecordedRequest a = new RecordedRequest("POST", "/q", PLAIN, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    RecordedRequest b = new RecordedRequest("POST", "/q", PLAIN, "{\"a\":2}".getBytes(StandardCharsets.UTF_8));
    assertThat(id(a, PLAIN)).isNotEqualTo(id(b, PLAIN)).hasSize(43); // SHA-256, base64url
    assertThat(id(get(), PLAIN)).isNotEqualTo(id(new RecordedRequest("GET", "/api/users/1?x=1", null, null), PLAIN));
    String secret = id(get("Cookie", "sid=s3cr3t-value"), PLAIN);
    assertThat(secret).doesNotContain("s3cr3t");
  }

  @Test
  void sameKind_isStatusAndMediaType() {
    RecordedResponse ok = new RecordedResponse(200, PLAIN, new byte[0], 0);
    assertThat(RecentOldAnswers.sameKind(ok, new RecordedResponse(304, Headers.empty(), new byte[0], 0))).isFalse();
    assertThat(RecentOldAnswers.sameKind(ok, new RecordedResponse(206, PLAIN, new byte[0], 0))).isFalse();
    assertThat(RecentOldAnswers.sameKind(ok, new RecordedResponse(200, Headers.of("Content-Type", "text/html"), new byte[0], 0)))
        .isFalse();
    assertThat(RecentOldAnswers.sameKind(ok, new RecordedResponse(200,
        Headers.of("Content-Type", "application/json; charset=utf-8"), new byte[0], 0))).isTrue();
  }
}
