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

  // ---------------------------------------------------------------- percent-decoding

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // UTF-8, however much of it the client encoded
      "/api/users/%EB%AF%BC%EC%A4%80             | GET /api/users/민준",
      "/api/users/%eb%af%bc%ec%a4%80             | GET /api/users/민준",
      "/api/users/민준                            | GET /api/users/민준",
      "/api/users/%EB%AF%BC준                     | GET /api/users/민준",
      "/api/users/%EB%AF%BC%EC%A4%80?tab=%EB%AF%BC | GET /api/users/민준",
      "/caf%C3%A9/menu                           | GET /café/menu",
      "/a%62c                                    | GET /abc",
      "/%61%62%63                                | GET /abc",
      // decoded digits are an id like any other
      "/users/%34%32                             | GET /users/{id}",
      // '+' is not a space in a path; an encoded '+' is a '+'
      "/tags/c++                                 | GET /tags/c++",
      "/tags/c%2B%2b                             | GET /tags/c++",
      // characters that would change what the name means stay encoded, in upper case
      "/files/a%2Fb                              | GET /files/a%2Fb",
      "/files/a%2fb                              | GET /files/a%2Fb",
      "/files/100%25                             | GET /files/100%25",
      "/files/what%3F                            | GET /files/what%3F",
      "/files/c%23                               | GET /files/c%23",
      "/files/my%20file                          | GET /files/my%20file",
      "/files/nb%C2%A0sp                         | GET /files/nb%C2%A0sp",
      // malformed escapes stay as they are, invalid UTF-8 stays encoded
      "/x/%                                      | GET /x/%",
      "/x/%4                                     | GET /x/%4",
      "/x/%zz                                    | GET /x/%zz",
      "/x/100%                                   | GET /x/100%",
      "/x/%FF                                    | GET /x/%FF",
      "/x/%ff%41                                 | GET /x/%FFA",
      "/x/%EB%AF                                 | GET /x/%EB%AF",
      "/x/%EB%AFok                               | GET /x/%EB%AFok",
      "/x/%C0%AF                                 | GET /x/%C0%AF",
      "/x/%ED%A0%80                              | GET /x/%ED%A0%80",
      "/x/%F4%90%80%80                           | GET /x/%F4%90%80%80",
      "/x/%80%EB%AF%BC                           | GET /x/%80민",
      // control and format characters never reach a name
      "/x/a%00b                                  | GET /x/a%00b",
      "/x/a%0d%0aSet-Cookie:1                    | GET /x/a%0D%0ASet-Cookie:1",
      "/x/%1F%7F                                 | GET /x/%1F%7F",
      "/x/%C2%85                                 | GET /x/%C2%85",
      "/x/a%E2%80%AEb                            | GET /x/a%E2%80%AEb",
  })
  void pathSegments_arePercentDecoded(String uri, String expected) {
    assertThat(templater().endpointOf("GET", uri)).isEqualTo(expected);
  }

  @Test
  void encodedSlash_staysInsideItsSegment() {
    EndpointTemplater t = templater("/files/{name}");
    assertThat(t.endpointOf("GET", "/files/a%2Fb")).isEqualTo("GET /files/{name}");
    assertThat(t.endpointOf("GET", "/files/a/b")).isEqualTo("GET /files/a/b");
    assertThat(t.endpointOf("GET", "/dirs/a%2F1/x")).isEqualTo("GET /dirs/a%2F1/x");
  }

  @Test
  void sameEndpoint_howeverTheClientEncodedIt() {
    EndpointTemplater t = new EndpointTemplater(List.of(), 1);
    assertThat(t.endpointOf("GET", "/api/users/민준")).isEqualTo("GET /api/users/민준");
    assertThat(t.endpointOf("GET", "/api/users/%EB%AF%BC%EC%A4%80")).isEqualTo("GET /api/users/민준");
    assertThat(t.endpointOf("GET", "/%61pi/users/%eb%af%bc%ec%a4%80")).isEqualTo("GET /api/users/민준");
  }

  @Test
  void rawControlCharacters_areEncodedToo() {
    assertThat(templater().endpointOf("GET", "/x/a\nb\u202Ec")).isEqualTo("GET /x/a%0Ab%E2%80%AEc");
  }

  private static final java.util.regex.Pattern MALFORMED_PERCENT = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

  @Test
  void decoding_neverFails_andNeverLetsAControlCharacterThrough() {
    java.util.Random random = new java.util.Random(17);
    String alphabet = "%%%0123456789abcdefABCDEFxyz+~-.é민\u0000\u007f";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder("/");
      int n = random.nextInt(12);
      for (int k = 0; k < n; k++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String name = templater().endpointOf("GET", sb.toString());
      assertThat(name.chars().noneMatch(Character::isISOControl)).as("%s -> %s", sb, name).isTrue();
      // a name's path names itself, unless a malformed '%' next to a decoded escape made a new one
      String path = name.substring(4);
      if (!path.contains("{") && !MALFORMED_PERCENT.matcher(sb).find()) {
        assertThat(templater().endpointOf("GET", path)).as(path).isEqualTo(name);
      }
    }
  }

  @Test
  void routes_matchDecodedSegments_andAreNamedDecoded() {
    EndpointTemplater t = templater("/users/민준/profile", "/tags/%EC%A4%80");
    assertThat(t.endpointOf("GET", "/users/%EB%AF%BC%EC%A4%80/profile")).isEqualTo("GET /users/민준/profile");
    assertThat(t.endpointOf("GET", "/users/민준/profile")).isEqualTo("GET /users/민준/profile");
    assertThat(t.endpointOf("GET", "/tags/준")).isEqualTo("GET /tags/준");
    assertThat(t.endpointOf("GET", "/tags/%ec%a4%80")).isEqualTo("GET /tags/준");
  }

  // ---------------------------------------------------------------- learned {name} positions

  private static EndpointTemplater learning(int threshold, String... routes) {
    return new EndpointTemplater(List.of(routes), 10_000, threshold);
  }

  @Test
  void position_becomesName_onceItTookMoreThanThresholdDistinctValues() {
    EndpointTemplater t = learning(3);
    assertThat(t.endpointOf("GET", "/users/alice")).isEqualTo("GET /users/alice");
    for (int i = 0; i < 100; i++) {
      assertThat(t.endpointOf("GET", "/users/bob")).as("a value seen again is not a new one").isEqualTo("GET /users/bob");
    }
    assertThat(t.endpointOf("GET", "/users/carol")).isEqualTo("GET /users/carol");
    assertThat(t.endpointOf("GET", "/users/dave")).isEqualTo("GET /users/{name}");
    // from then on the whole position is {name}, values named before included
    assertThat(t.endpointOf("GET", "/users/alice")).isEqualTo("GET /users/{name}");
    assertThat(t.endpointOf("GET", "/users/zoe?tab=1")).isEqualTo("GET /users/{name}");
    // per method: another method learns on its own
    assertThat(t.endpointOf("DELETE", "/users/zoe")).isEqualTo("DELETE /users/zoe");
    // a deeper or shallower path is another position
    assertThat(t.endpointOf("GET", "/users")).isEqualTo("GET /users");
    assertThat(t.endpointOf("GET", "/users/")).isEqualTo("GET /users/");
  }

  @Test
  void defaultThreshold_keepsTwentyValues() {
    EndpointTemplater t = templater();
    for (int i = 0; i < EndpointTemplater.DEFAULT_SLUG_THRESHOLD; i++) {
      assertThat(t.endpointOf("GET", "/blog/post-number-" + (char) ('a' + i))).isEqualTo("GET /blog/post-number-" + (char) ('a' + i));
    }
    assertThat(t.endpointOf("GET", "/blog/my-first-post")).isEqualTo("GET /blog/{name}");
  }

  @Test
  void trailingSegments_followTheLearnedPosition() {
    EndpointTemplater t = learning(3);
    t.endpointOf("GET", "/users/alice/posts");
    t.endpointOf("GET", "/users/bob/posts");
    t.endpointOf("GET", "/users/carol");
    assertThat(t.endpointOf("GET", "/users/dave/posts")).isEqualTo("GET /users/{name}/posts");
    assertThat(t.endpointOf("GET", "/users/alice/posts")).isEqualTo("GET /users/{name}/posts");
    assertThat(t.endpointOf("GET", "/users/erin/posts/7")).isEqualTo("GET /users/{name}/posts/{id}");
    assertThat(t.endpointOf("GET", "/users/erin/followers")).isEqualTo("GET /users/{name}/followers");
  }

  @Test
  void nestedPositions_learnUnderTheTemplatedPrefix() {
    EndpointTemplater t = learning(2);
    for (String owner : List.of("alice", "bob", "carol")) {
      t.endpointOf("GET", "/repos/" + owner + "/tools");
    }
    // repos of different owners are one position now, GET /repos/{name}
    assertThat(t.endpointOf("GET", "/repos/dave/site")).isEqualTo("GET /repos/{name}/site");
    assertThat(t.endpointOf("GET", "/repos/erin/blog")).isEqualTo("GET /repos/{name}/{name}");
    assertThat(t.endpointOf("GET", "/repos/frank/tools/issues")).isEqualTo("GET /repos/{name}/{name}/issues");
    assertThat(t.endpointOf("GET", "/repos/frank/tools/issues/12")).isEqualTo("GET /repos/{name}/{name}/issues/{id}");
  }

  @Test
  void ids_stayIds_andAreNotCountedAsNames() {
    EndpointTemplater t = learning(3);
    for (int i = 0; i < 1000; i++) {
      assertThat(t.endpointOf("GET", "/users/" + i)).isEqualTo("GET /users/{id}");
    }
    assertThat(t.endpointOf("GET", "/users/alice")).isEqualTo("GET /users/alice");
    for (String u : List.of("bob", "carol", "dave")) {
      t.endpointOf("GET", "/users/" + u);
    }
    assertThat(t.endpointOf("GET", "/users/erin")).isEqualTo("GET /users/{name}");
    assertThat(t.endpointOf("GET", "/users/77")).isEqualTo("GET /users/{id}");
    assertThat(t.endpointOf("GET", "/users/12345.json")).isEqualTo("GET /users/{id}.json");
  }

  @Test
  void firstSegment_isNeverLearned() {
    EndpointTemplater t = learning(3);
    for (int i = 0; i < 100; i++) {
      assertThat(t.endpointOf("GET", "/probe-" + (char) ('a' + i % 26) + i / 26 + "x/y")).doesNotContain("{name}");
    }
    assertThat(t.endpointOf("GET", "/api/users")).isEqualTo("GET /api/users");
  }

  @Test
  void segmentFollowedByAnId_namesACollection_andIsNotLearned() {
    EndpointTemplater t = learning(3);
    for (int i = 0; i < 50; i++) {
      String resource = "things" + (char) ('a' + i % 26) + (char) ('a' + i / 26);
      assertThat(t.endpointOf("GET", "/api/" + resource + "/42")).isEqualTo("GET /api/" + resource + "/{id}");
    }
    // even once the position learned from values without an id after them
    for (String s : List.of("alpha", "beta", "gamma", "delta")) {
      t.endpointOf("GET", "/api/" + s);
    }
    assertThat(t.endpointOf("GET", "/api/epsilon")).isEqualTo("GET /api/{name}");
    assertThat(t.endpointOf("GET", "/api/users/42")).isEqualTo("GET /api/users/{id}");
  }

  @Test
  void smallFixedSets_areNotTemplated() {
    EndpointTemplater t = templater();
    for (int i = 0; i < 1000; i++) {
      assertThat(t.endpointOf("GET", "/api/v" + (1 + i % 3) + "/status")).isEqualTo("GET /api/v" + (1 + i % 3) + "/status");
      String page = List.of("intro", "setup", "faq", "changelog", "api-reference").get(i % 5);
      assertThat(t.endpointOf("GET", "/docs/" + page)).isEqualTo("GET /docs/" + page);
    }
  }

  @Test
  void configuredRoutes_winOverLearnedNames() {
    EndpointTemplater t = learning(2, "/users/{user}", "/blog/featured");
    for (int i = 0; i < 10; i++) {
      assertThat(t.endpointOf("GET", "/users/u" + (char) ('a' + i))).isEqualTo("GET /users/{user}");
      t.endpointOf("GET", "/blog/post-" + (char) ('a' + i));
    }
    assertThat(t.endpointOf("GET", "/blog/another-post")).isEqualTo("GET /blog/{name}");
    assertThat(t.endpointOf("GET", "/blog/featured")).isEqualTo("GET /blog/featured");
  }

  @Test
  void thresholdZero_turnsLearningOff() {
    EndpointTemplater t = learning(0);
    for (int i = 0; i < 100; i++) {
      assertThat(t.endpointOf("GET", "/users/user-" + (char) ('a' + i % 26) + (char) ('a' + i / 26)))
          .doesNotContain("{name}");
    }
    assertThat(t.trackedPositions()).isZero();
  }

  @Test
  void negativeThreshold_isRejected() {
    assertThatThrownBy(() -> new EndpointTemplater(List.of(), 10, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reset_forgetsLearnedPositions() {
    EndpointTemplater t = learning(2);
    for (String u : List.of("alice", "bob", "carol")) {
      t.endpointOf("GET", "/users/" + u);
    }
    assertThat(t.endpointOf("GET", "/users/dave")).isEqualTo("GET /users/{name}");
    t.reset();
    assertThat(t.trackedPositions()).isZero();
    assertThat(t.endpointOf("GET", "/users/dave")).isEqualTo("GET /users/dave");
  }

  @Test
  void localCache_answersTheNewName_onceThePositionWasLearned() {
    EndpointTemplater t = learning(2);
    EndpointTemplater.LocalCache cache = t.localCache();
    assertThat(cache.endpointOf("GET", "/users/alice/posts")).isEqualTo("GET /users/alice/posts");
    assertThat(cache.endpointOf("GET", "/users/alice/posts")).isEqualTo("GET /users/alice/posts");
    // another event loop's requests teach the position
    t.endpointOf("GET", "/users/bob");
    t.endpointOf("GET", "/users/carol");
    assertThat(cache.endpointOf("GET", "/users/alice/posts")).isEqualTo("GET /users/{name}/posts");
    assertThat(cache.endpointOf("GET", "/users/zoe/posts")).isEqualTo("GET /users/{name}/posts");
  }

  @Test
  void cap_isNotFilledBySlugsBeforeTheThreshold_whenTheThresholdIsFarBelowIt() {
    EndpointTemplater t = new EndpointTemplater(List.of(), 25, 20);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      names.add(t.endpointOf("GET", "/users/user-" + (char) ('a' + i % 26) + (char) ('a' + i / 26)));
    }
    assertThat(names).hasSize(21).contains("GET /users/{name}").doesNotContain(EndpointTemplater.OTHER);
    assertThat(t.endpointOf("GET", "/health")).isEqualTo("GET /health");
  }

  @Test
  void learning_underConcurrency_keepsExactlyThresholdValues_andEndsWithOneName() throws Exception {
    int threshold = 5;
    int threads = 8;
    for (int round = 0; round < 20; round++) {
      EndpointTemplater t = learning(threshold);
      Set<String> answers = ConcurrentHashMap.newKeySet();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int th = 0; th < threads; th++) {
          int seed = th;
          futures.add(pool.submit(() -> {
            EndpointTemplater.LocalCache cache = t.localCache();
            start.await();
            for (int i = 0; i < 200; i++) {
              String user = "user-" + (char) ('a' + (i * 7 + seed) % 26) + (char) ('a' + seed);
              answers.add(cache.endpointOf("GET", "/users/" + user + "/posts"));
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
      // exactly the values counted before the position was learned were named as they are
      Set<String> literal = new HashSet<>(answers);
      literal.remove("GET /users/{name}/posts");
      assertThat(literal).as("round %d", round).hasSize(threshold);
      assertThat(answers).contains("GET /users/{name}/posts");
      // afterwards every thread, every cache, every value agrees
      for (int th = 0; th < threads; th++) {
        assertThat(t.localCache().endpointOf("GET", "/users/user-a" + (char) ('a' + th) + "/posts"))
            .isEqualTo("GET /users/{name}/posts");
      }
    }
  }

  @Test
  void trackedPositions_areBounded_evenForManyDistinctPrefixes() {
    EndpointTemplater t = learning(2);
    // first segments are never learned, so each of these is a position of its own: GET /dir-...
    for (int i = 0; i < EndpointTemplater.MAX_POSITIONS * 3; i++) {
      t.endpointOf("GET", "/dir-" + Integer.toString(i, 26).replace('0', 'z') + "x/leaf");
    }
    assertThat(t.trackedPositions()).isEqualTo(EndpointTemplater.MAX_POSITIONS);
    // a position that found no room is not learned: named as it is
    for (String leaf : List.of("a", "b", "c", "d")) {
      assertThat(t.endpointOf("GET", "/q/" + leaf)).isEqualTo("GET /q/" + leaf);
    }
    assertThat(t.trackedPositions()).isEqualTo(EndpointTemplater.MAX_POSITIONS);
    // long prefixes are not tracked at all
    EndpointTemplater fresh = templater();
    String longDir = "d".repeat(EndpointTemplater.MAX_POSITION_KEY);
    fresh.endpointOf("GET", "/x/" + longDir + "/leaf");
    assertThat(fresh.trackedPositions()).isEqualTo(1);
  }

  @Test
  void manyCollectionsListedAgainAndAgain_areAFixedSet_neverOneName() {
    EndpointTemplater t = new EndpointTemplater(List.of(), 500, 20);
    String[] collections = new String[30];
    for (int i = 0; i < collections.length; i++) {
      collections[i] = "collection" + (char) ('a' + i % 26) + (i / 26 == 0 ? "" : "x");
    }
    // clients list the collections again and again while more of them come into use (six more each round): more
    // distinct values than the threshold, but asked for repeatedly, unlike user names. (Thirty collections each
    // listed once in a row would look like names: routes or limits.slug-threshold are the way out then.)
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < Math.min(collections.length, 6 * (round + 1)); i++) {
        assertThat(t.endpointOf("GET", "/api/v1/" + collections[i])).isEqualTo("GET /api/v1/" + collections[i]);
      }
    }
    assertThat(t.endpointOf("GET", "/api/v1/orders")).isEqualTo("GET /api/v1/orders");
    // while user names, most asked for once, become {name}
    for (int i = 0; i < 25; i++) {
      t.endpointOf("GET", "/users/user" + (char) ('a' + i));
    }
    assertThat(t.endpointOf("GET", "/users/zed")).isEqualTo("GET /users/{name}");
  }

  @Test
  void pathParameters_andSecretSegments_neverReachAName() {
    EndpointTemplater t = new EndpointTemplater(List.of(), 500, 20,
        List.of(java.util.regex.Pattern.compile("[A-Za-z0-9_-]{32,}")));
    assertThat(t.endpointOf("GET", "/cart;jsessionid=A1B2C3D4/items")).isEqualTo("GET /cart/items");
    assertThat(t.endpointOf("GET", "/reset/AbCdEfGhIjKlMnOpQrStUvWxYzabcdef/confirm")).isEqualTo("GET /reset/{redacted}/confirm");
    assertThat(t.endpointOf("GET", "http://bob:SECRET@x/a/b")).isEqualTo("GET /a/b");
  }
}
