package dev.shadowparity.tap.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.tap.impl.ClientRequestHead.Refusal;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The edge's reading of a request line and its Host, without sockets (TapEdgeTest has them). */
class ClientRequestHeadTest {

  private static ClientRequestHead.Inspected get(String target, String... hosts) {
    return ClientRequestHead.inspect(HttpMethod.GET, HttpVersion.HTTP_1_1, target, List.of(hosts));
  }

  @Test
  void validHost_namesIpv4Ipv6AndPorts_andNothingElse() {
    for (String ok : List.of("a", "shop.example", "SHOP-1.example.com.", "my_host", "10.0.0.1", "10.0.0.1:8080", "a:1",
        "a:65535", "[::1]", "[::1]:443", "[2001:db8::7]", "[::ffff:10.0.0.1]:80", "x".repeat(255))) {
      assertThat(ClientRequestHead.validHost(ok)).as(ok).isTrue();
    }
    for (String bad : List.of("", " ", "a b", "a@b", "u:p@a", "a,b", "a;b", "a%2eb", "a/b", "a\\b", "a:", ":80", "a:0",
        "a:65536", "a:99999", "a:123456", "a:x", "a:80:80", "a:-1", "[::1", "[]", "[:]", "[a]", "[::1]x", "[::1]:",
        "[::g]", "a\tb", "é.example", "x".repeat(256))) {
      assertThat(ClientRequestHead.validHost(bad)).as(bad).isFalse();
    }
  }

  @Test
  void originForm_keepsTheTargetAndTheHost() {
    assertThat(get("/a/b?c=d", "shop.example").head()).isEqualTo(new ClientRequestHead("/a/b?c=d", "shop.example"));
    assertThat(get("//x/y", "shop.example").head().uri()).isEqualTo("//x/y");
  }

  @Test
  void absoluteForm_becomesOriginForm_withTheAuthoritysHost_neverItsUserinfo() {
    assertThat(get("http://bob:pw@evil.example:99/x?q=1", "other").head())
        .isEqualTo(new ClientRequestHead("/x?q=1", "evil.example:99"));
    assertThat(get("HTTPS://evil.example", "other").head()).isEqualTo(new ClientRequestHead("/", "evil.example"));
    assertThat(get("http://evil.example?q", "other").head()).isEqualTo(new ClientRequestHead("/?q", "evil.example"));
    assertThat(get("http://evil.example/a#frag", "other").head()).isEqualTo(new ClientRequestHead("/a", "evil.example"));
    assertThat(get("http://[::1]:8080/a", "other").head()).isEqualTo(new ClientRequestHead("/a", "[::1]:8080"));
    assertThat(ClientRequestHead.inspect(HttpMethod.GET, HttpVersion.HTTP_1_0, "http://u@evil.example/a", List.of()).head())
        .isEqualTo(new ClientRequestHead("/a", "evil.example"));
  }

  @Test
  void refusals() {
    assertThat(get("/a").refusal()).isEqualTo(Refusal.HOST_MISSING);
    assertThat(get("http://evil.example/a").refusal()).isEqualTo(Refusal.HOST_MISSING);
    assertThat(get("/a", "x", "x").refusal()).isEqualTo(Refusal.HOST_REPEATED);
    assertThat(get("/a", "").refusal()).isEqualTo(Refusal.HOST_MALFORMED);
    assertThat(get("/a", "a@b").refusal()).isEqualTo(Refusal.HOST_MALFORMED);
    for (String target : List.of("*", "a/b", "evil.example:443", "ftp://x/y", "http:/x", "http://", "http:///x",
        "http://a@b@c/x", "http://x:99999/", "http://x y/", "://x/")) {
      assertThat(get(target, "shop.example").refusal()).as(target).isEqualTo(Refusal.TARGET_MALFORMED);
    }
    assertThat(ClientRequestHead.inspect(HttpMethod.OPTIONS, HttpVersion.HTTP_1_1, "*", List.of("a")).head())
        .isEqualTo(new ClientRequestHead("*", "a"));
    assertThat(ClientRequestHead.inspect(HttpMethod.CONNECT, HttpVersion.HTTP_1_1, "a:443", List.of("a:443")).refusal())
        .isEqualTo(Refusal.CONNECT);
    // HTTP/1.0 may go without Host (or with an empty one); a malformed one is refused all the same
    assertThat(ClientRequestHead.inspect(HttpMethod.GET, HttpVersion.HTTP_1_0, "/a", List.of()).head())
        .isEqualTo(new ClientRequestHead("/a", null));
    assertThat(ClientRequestHead.inspect(HttpMethod.GET, HttpVersion.HTTP_1_0, "/a", List.of("")).head())
        .isEqualTo(new ClientRequestHead("/a", null));
    assertThat(ClientRequestHead.inspect(HttpMethod.GET, HttpVersion.HTTP_1_0, "/a", List.of("a b")).refusal())
        .isEqualTo(Refusal.HOST_MALFORMED);
  }
}
