package dev.shadowparity.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTemplaterTest {

  private static EndpointTemplater templater() {
    return new EndpointTemplater(List.of(), 10_000);
  }

  private static EndpointTemplater templater(String... routes) {
    return new EndpointTemplater(List.of(routes), 10_000);
  }

  // ---------------------------------------------------------------- ids become {id}

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      // integers
      "0", "7", "42", "1234567890", "12345678901234567890123",
      // UUIDs, lower and upper case
      "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
      "00000000-0000-0000-0000-000000000000",
      // Mongo ObjectIds (24 hex)
      "507f1f77bcf86cd799439011", "5f8d0d55b54764421b7156c9",
      // long hex: digests, 16+ hex even without digits, 8+ with digits and letters
      "da39a3ee5e6b4b0d3255bfef95601890afd80709", "d41d8cd98f00b204e9800998ecf8427e", "deadbeefcafebabe",
      "a1b2c3d4", "0BADF00D", "1f3870be274f6c49b3e31a0c6728957f",
      // base64url tokens
      "dGhpcyBpcyBhIHRva2Vu", "Xk9_aZ3-Qp7LmN2wR8sT", "AbC123xYz456QwE789", "cus_9s6XKzkNRiz8i3",
      "k3j4h5g6f7d8s9a0", "a8f5f167f44f4964e6c998dee827110c",
      // JWT-ish segments: a header, and a whole three-part token
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  })
  void idLikeSegment_becomesIdPlaceholder(String segment) {
    assertThat(EndpointTemplater.looksLikeId(segment)).as("looksLikeId(%s)", segment).isTrue();
    assertThat(templater().endpointOf("GET", "/api/things/" + segment + "/detail"))
        .isEqualTo("GET /api/things/{id}/detail");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      // plain words and version markers
      "api", "users", "healthz", "v1", "v2", "v10", "2fa", "me", "latest", "OAuth2",
      // slugs and dashed names
      "avatar-url", "order-2024-summary", "avatar_url", "best-sellers-2023", "getUserProfileSettings",
      "sitemap-products-1.xml", "order-2024-q3-summary", "release-notes-v2-3-1", "iphone-15-pro-max-256gb",
      // file names
      "index.html", "favicon.ico", "robots.txt",
      // hex-looking words: letters only and shorter than 16 are names
      "deadbeef", "cafebabe", "facade", "decade", "accede", "ad", "beef",
      // short mixed segments
      "a1", "x86", "h264", "utf8",
  })
  void wordOrSlug_staysAsIs(String segment) {
    assertThat(EndpointTemplater.looksLikeId(segment)).as("looksLikeId(%s)", segment).isFalse();
    assertThat(templater().endpointOf("GET", "/api/" + segment)).isEqualTo("GET /api/" + segment);
  }

  @Test
  void emptySegment_isNotAnId() {
    assertThat(EndpointTemplater.looksLikeId("")).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "GET    | /api/users/42                                    | GET /api/users/{id}",
      "get    | /api/users/42                                    | GET /api/users/{id}",
      "Post   | /api/orders                                      | POST /api/orders",
      "GET    | /api/users/42/orders/9001                        | GET /api/users/{id}/orders/{id}",
      "GET    | /api/users/42/avatar-url                         | GET /api/users/{id}/avatar-url",
      "GET    | /api/v2/users/507f1f77bcf86cd799439011/healthz   | GET /api/v2/users/{id}/healthz",
      "DELETE | /files/3f2504e0-4f89-11d3-9a0c-0305e82c3301      | DELETE /files/{id}",
      "GET    | /                                                | GET /",
      "GET    | /api/users/                                      | GET /api/users/",
      "GET    | /api/users/42/                                   | GET /api/users/{id}/",
  })
  void endpointOf_templatesPath(String method, String uri, String expected) {
    assertThat(templater().endpointOf(method, uri)).isEqualTo(expected);
  }

  // ---------------------------------------------------------------- query strings and fragments

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/api/users/42?expand=true               | GET /api/users/{id}",
      "/api/users/42?                          | GET /api/users/{id}",
      "/search?q=a/b/c                         | GET /search",
      "/search?q=123                           | GET /search",
      "/docs#section/2                         | GET /docs",
      "/docs/intro#top                         | GET /docs/intro",
      "/a?x=1#frag                             | GET /a",
      "/a#frag?x=1                             | GET /a",
      "/?x=1                                   | GET /",
      "?x=1                                    | GET /",
      "/redirect?next=http://example.com/a/b   | GET /redirect",
  })
  void queryAndFragment_areDropped(String uri, String expected) {
    assertThat(templater().endpointOf("GET", uri)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/p?s=s3://bucket/key       | GET /p",
      "/cb?r=ftp://h/x/1          | GET /cb",
      "/go?u=http://evil/x        | GET /go",
  })
  void originFormWithUrlInQuery_isNotMistakenForAbsoluteForm(String uri, String expected) {
    assertThat(templater().endpointOf("GET", uri)).isEqualTo(expected);
  }

  // ---------------------------------------------------------------- absolute-form URIs

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "http://old.internal:8080/api/users/42?x=1          | GET /api/users/{id}",
      "https://shop.example.com/api/products/123#reviews  | GET /api/products/{id}",
      "http://user:pw@host/api/users/7                     | GET /api/users/{id}",
      "http://host                                         | GET /",
      "http://host/                                        | GET /",
      "http://host?x=1                                     | GET /",
      "http://host?next=/a/b                               | GET /",
      "http://host#frag/x                                  | GET /",
  })
  void absoluteFormUri_usesOnlyThePath(String uri, String expected) {
    assertThat(templater().endpointOf("GET", uri)).isEqualTo(expected);
  }

  // ---------------------------------------------------------------- configured routes

  @Test
  void configuredRoute_winsOverAutomaticTemplating() {
    EndpointTemplater t = templater("/api/items/{sku}", "/api/codes/404");
    assertThat(t.endpointOf("GET", "/api/items/blue-shirt")).isEqualTo("GET /api/items/{sku}");
    assertThat(t.endpointOf("GET", "/api/items/12345")).isEqualTo("GET /api/items/{sku}");
    assertThat(t.endpointOf("GET", "/api/items/blue-shirt?size=m")).isEqualTo("GET /api/items/{sku}");
    // a literal route keeps a segment the templater would have turned into {id}
    assertThat(t.endpointOf("GET", "/api/codes/404")).isEqualTo("GET /api/codes/404");
    assertThat(t.endpointOf("GET", "/api/codes/500")).isEqualTo("GET /api/codes/{id}");
  }

  @Test
  void configuredRouteWithoutMethod_matchesEveryMethod() {
    EndpointTemplater t = templater("/api/users/{user}/avatar-url");
    assertThat(t.endpointOf("GET", "/api/users/alice/avatar-url")).isEqualTo("GET /api/users/{user}/avatar-url");
    assertThat(t.endpointOf("put", "/api/users/bob/avatar-url")).isEqualTo("PUT /api/users/{user}/avatar-url");
  }

  @Test
  void configuredRouteWithMethod_matchesOnlyThatMethod() {
    EndpointTemplater t = templater("POST /api/orders/{order}");
    assertThat(t.endpointOf("POST", "/api/orders/abc")).isEqualTo("POST /api/orders/{order}");
    assertThat(t.endpointOf("post", "/api/orders/abc")).isEqualTo("POST /api/orders/{order}");
    assertThat(t.endpointOf("GET", "/api/orders/abc")).isEqualTo("GET /api/orders/abc");
    assertThat(t.endpointOf("GET", "/api/orders/17")).isEqualTo("GET /api/orders/{id}");
  }

  @Test
  void configuredRouteWithLowerCaseMethod_isNormalized() {
    EndpointTemplater t = templater("get /api/x/{name}");
    assertThat(t.endpointOf("GET", "/api/x/foo")).isEqualTo("GET /api/x/{name}");
  }

  @Test
  void configuredRoute_mustMatchSegmentCountAndLiterals() {
    EndpointTemplater t = templater("/api/items/{sku}");
    assertThat(t.endpointOf("GET", "/api/items/1/reviews")).isEqualTo("GET /api/items/{id}/reviews");
    assertThat(t.endpointOf("GET", "/api/items")).isEqualTo("GET /api/items");
    assertThat(t.endpointOf("GET", "/API/items/x")).isEqualTo("GET /API/items/x");
  }

  @Test
  void firstMatchingRoute_wins() {
    EndpointTemplater t = templater("/api/users/me", "/api/users/{user}");
    assertThat(t.endpointOf("GET", "/api/users/me")).isEqualTo("GET /api/users/me");
    assertThat(t.endpointOf("GET", "/api/users/alice")).isEqualTo("GET /api/users/{user}");
  }

  @Test
  void configuredRoute_matchesAbsoluteFormUri() {
    EndpointTemplater t = templater("/api/items/{sku}");
    assertThat(t.endpointOf("GET", "http://old:8000/api/items/hat?x=1")).isEqualTo("GET /api/items/{sku}");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"api/users/{id}", "/api/{id", "/api/id}", "/api/x{id}", "/api/{}", "/api/{a}{b}", "G3T /x", "GET api/x"})
  void badRoute_isRejectedWithTheRouteInTheMessage(String route) {
    assertThatThrownBy(() -> new EndpointTemplater(List.of(route), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(route.trim());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void nonPositiveCap_isRejected(int cap) {
    assertThatThrownBy(() -> new EndpointTemplater(List.of(), cap)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- cap

  @Test
  void cap_sendsOverflowToOther_andKnownEndpointsKeepTheirNames() {
    EndpointTemplater t = new EndpointTemplater(List.of(), 3);
    assertThat(t.endpointOf("GET", "/a")).isEqualTo("GET /a");
    assertThat(t.endpointOf("GET", "/b/1")).isEqualTo("GET /b/{id}");
    assertThat(t.endpointOf("POST", "/a")).isEqualTo("POST /a");
    // cap reached: new endpoints go to OTHER
    assertThat(t.endpointOf("GET", "/c")).isEqualTo(EndpointTemplater.OTHER);
    assertThat(t.endpointOf("DELETE", "/a")).isEqualTo(EndpointTemplater.OTHER);
    // known endpoints keep their names, also under other ids and query strings
    assertThat(t.endpointOf("GET", "/a?x=1")).isEqualTo("GET /a");
    assertThat(t.endpointOf("GET", "/b/99999")).isEqualTo("GET /b/{id}");
    assertThat(t.endpointOf("post", "/a")).isEqualTo("POST /a");
    // and a refused endpoint stays refused
    assertThat(t.endpointOf("GET", "/c")).isEqualTo(EndpointTemplater.OTHER);
  }

  @Test
  void cap_countsTemplatedEndpointsOnce() {
    EndpointTemplater t = new EndpointTemplater(List.of(), 2);
    for (int i = 0; i < 1000; i++) {
      assertThat(t.endpointOf("GET", "/users/" + i)).isEqualTo("GET /users/{id}");
    }
    assertThat(t.endpointOf("GET", "/other")).isEqualTo("GET /other");
    assertThat(t.endpointOf("GET", "/third")).isEqualTo(EndpointTemplater.OTHER);
  }

  @Test
  void cap_appliesToConfiguredRoutesToo_whenFirstSeenAfterTheCap() {
    // Documented: "Once maxEndpoints distinct endpoints were seen, new ones all go to OTHER."
    EndpointTemplater t = new EndpointTemplater(List.of("/api/items/{sku}"), 1);
    assertThat(t.endpointOf("GET", "/a")).isEqualTo("GET /a");
    assertThat(t.endpointOf("GET", "/api/items/hat")).isEqualTo(EndpointTemplater.OTHER);
  }

  @Test
  void reset_letsTheCapCountAfresh() {
    EndpointTemplater t = new EndpointTemplater(List.of(), 1);
    assertThat(t.endpointOf("GET", "/a")).isEqualTo("GET /a");
    assertThat(t.endpointOf("GET", "/b")).isEqualTo(EndpointTemplater.OTHER);
    t.reset();
    assertThat(t.endpointOf("GET", "/b")).isEqualTo("GET /b");
    assertThat(t.endpointOf("GET", "/a")).isEqualTo(EndpointTemplater.OTHER);
  }

  @Test
  void capOfOne_underConcurrency_admitsExactlyOneEndpoint() throws Exception {
    for (int round = 0; round < 50; round++) {
      EndpointTemplater t = new EndpointTemplater(List.of(), 1);
      int threads = 8;
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          String path = "/p" + i;
          results.add(pool.submit(() -> {
            start.await();
            return t.endpointOf("GET", path);
          }));
        }
        start.countDown();
        Set<String> names = new HashSet<>();
        for (Future<String> f : results) {
          names.add(f.get(10, TimeUnit.SECONDS));
        }
        names.remove(EndpointTemplater.OTHER);
        assertThat(names).as("round %d", round).hasSize(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void cap_underConcurrency_neverExceedsCapPlusOther_andEachEndpointGetsOneAnswer() throws Exception {
    int cap = 50;
    int threads = 16;
    int distinct = 500;
    int callsPerThread = 5_000;
    EndpointTemplater t = new EndpointTemplater(List.of("/api/routed/{x}/r" ), cap);
    Map<String, Set<String>> answersByEndpoint = new ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        int seed = th;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < callsPerThread; i++) {
            int k = (i * 31 + seed * 17) % distinct;
            String uri = k % 10 == 0 ? "/api/routed/" + k + "/r" : "/api/e" + k + "/" + (i + seed) + "?q=" + i;
            String key = k % 10 == 0 ? "routed" : "e" + k;
            String name = t.endpointOf(i % 2 == 0 ? "GET" : "get", uri);
            answersByEndpoint.computeIfAbsent(key, x -> ConcurrentHashMap.newKeySet()).add(name);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Set<String> allNames = new HashSet<>();
    answersByEndpoint.values().forEach(allNames::addAll);
    Set<String> named = new HashSet<>(allNames);
    named.remove(EndpointTemplater.OTHER);
    assertThat(named).hasSize(cap);
    assertThat(allNames).hasSize(cap + 1).contains(EndpointTemplater.OTHER);
    // an endpoint is either admitted or refused, never both
    answersByEndpoint.forEach((key, answers) -> assertThat(answers).as(key).hasSize(1));
    // admitted endpoints keep their names afterwards
    for (String name : named) {
      String path = name.substring(name.indexOf(' ') + 1).replace("{id}", "1").replace("{x}", "7");
      assertThat(t.endpointOf("GET", path)).isEqualTo(name);
    }
  }

  @Test
  void localCache_answersAsTheTemplater_forManyTargetsThatShareSlots() {
    EndpointTemplater t = new EndpointTemplater(List.of("/api/shops/{shop}/orders"), 10_000);
    EndpointTemplater reference = new EndpointTemplater(List.of("/api/shops/{shop}/orders"), 10_000);
    EndpointTemplater.LocalCache cache = t.localCache();
    java.util.Random random = new java.util.Random(7);
    String[] methods = {"GET", "HEAD", "POST", "get"};
    for (int i = 0; i < 5_000; i++) {
      String m = methods[random.nextInt(methods.length)];
      String uri = switch (random.nextInt(5)) {
        case 0 -> "/api/users/" + random.nextInt(50);
        case 1 -> "/api/users/" + random.nextInt(50) + "?page=" + random.nextInt(3);
        case 2 -> "/api/shops/s" + random.nextInt(9) + "/orders";
        case 3 -> "/static/app-" + random.nextInt(4) + ".js";
        default -> "http://host:8080/api/items/" + Long.toHexString(random.nextLong()) + "abc123";
      };
      assertThat(cache.endpointOf(m, uri)).as(m + " " + uri).isEqualTo(reference.endpointOf(m, uri));
    }
  }

  @Test
  void localCache_forgetsAtReset_soTheEndpointCapCountsAfresh() {
    EndpointTemplater t = new EndpointTemplater(List.of(), 1);
    EndpointTemplater.LocalCache cache = t.localCache();
    assertThat(cache.endpointOf("GET", "/a")).isEqualTo("GET /a");
    assertThat(cache.endpointOf("GET", "/b")).isEqualTo(EndpointTemplater.OTHER);
    assertThat(cache.endpointOf("GET", "/b")).isEqualTo(EndpointTemplater.OTHER);
    t.reset();
    // after the reset /b comes first, so it is the one endpoint admitted, and /a is now past the cap
    assertThat(cache.endpointOf("GET", "/b")).isEqualTo("GET /b");
    assertThat(cache.endpointOf("GET", "/a")).isEqualTo(EndpointTemplater.OTHER);
  }

  @Test
  void localCache_answersLongTargetsToo_beforeAndAfterAReset() {
    EndpointTemplater t = new EndpointTemplater(List.of(), 10);
    EndpointTemplater.LocalCache cache = t.localCache();
    String longUri = "/search?q=" + "x".repeat(EndpointTemplater.CACHE_MAX_URI);
    assertThat(cache.endpointOf("GET", longUri)).isEqualTo("GET /search");
    t.reset();
    assertThat(cache.endpointOf("GET", longUri)).isEqualTo("GET /search");
  }
}
