package dev.shadowparity.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class HopByHopTest {

  private static MultiMap headers(String... nameValues) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.add(nameValues[i], nameValues[i + 1]);
    }
    return m;
  }

  @Test
  void connectionNamed_onlyTheExtraNames_lowerCased_acrossEveryConnectionHeader() {
    assertThat(HopByHop.connectionNamed(headers("Content-Type", "text/plain"))).isEmpty();
    assertThat(HopByHop.connectionNamed(headers("Connection", "keep-alive"))).isEmpty();
    assertThat(HopByHop.connectionNamed(headers("Connection", "Keep-Alive"))).isEmpty();
    assertThat(HopByHop.connectionNamed(headers("connection", "CLOSE"))).isEmpty();
    assertThat(HopByHop.connectionNamed(headers("Connection", "close, X-Trace"))).containsExactly("x-trace");
    assertThat(HopByHop.connectionNamed(headers("Connection", "keep-alive", "Connection", " X-A ,x-b,, Keep-Alive")))
        .containsExactlyInAnyOrder("x-a", "x-b");
  }

  @Test
  void endToEnd_dropsHopByHopAndNamedHeaders_keepsTheRestInOrder_andRepeats() {
    MultiMap in = headers("Host", "shop", "Connection", "keep-alive, X-Hop", "Keep-Alive", "timeout=5", "X-Hop", "1",
        "TE", "trailers", "Transfer-Encoding", "chunked", "Upgrade", "h2c", "Proxy-Authorization", "Basic x",
        "Proxy-Connection", "keep-alive", "Trailer", "X-Sum", "Set-Cookie", "a=1", "Set-Cookie", "b=2", "x-end", "kept");
    MultiMap out = HopByHop.endToEnd(in);
    assertThat(out.names()).containsExactlyInAnyOrder("Host", "Set-Cookie", "x-end");
    assertThat(out.getAll("set-cookie")).containsExactly("a=1", "b=2");
    assertThat(out.entries()).extracting(java.util.Map.Entry::getKey).containsExactly("Host", "Set-Cookie", "Set-Cookie", "x-end");
  }

  @Test
  void copyEndToEnd_addsToWhatIsThere() {
    MultiMap to = headers("X-Already", "1");
    assertThat(HopByHop.copyEndToEnd(headers("Connection", "close", "X-New", "2"), to)).isSameAs(to);
    assertThat(to.entries()).extracting(java.util.Map.Entry::getKey).containsExactly("X-Already", "X-New");
  }

  @Test
  void clientRequest_dropsEveryParityMarker_inAnyCase_withUnderscores_andKeepsLookalikes() {
    MultiMap in = headers("X-Parity-Shadow", "1", "x-parity-replay", "1", "X_PARITY_SHADOW", "1", "x-Parity_shadow", "1",
        "X-Parity-", "1", "X-Parity", "kept", "X-Paritys-Shadow", "kept", "Parity-Shadow", "kept", "Connection", "X-Hop",
        "X-Hop", "1", "Accept", "kept");
    MultiMap out = HopByHop.clientRequest(in);
    assertThat(out.names()).containsExactlyInAnyOrder("X-Parity", "X-Paritys-Shadow", "Parity-Shadow", "Accept");
    MultiMap to = headers("X-Already", "1");
    assertThat(HopByHop.copyClientRequest(in, to)).isSameAs(to);
    assertThat(to.names()).containsExactlyInAnyOrder("X-Already", "X-Parity", "X-Paritys-Shadow", "Parity-Shadow", "Accept");
    // an answer's headers are not a client's request: copied as they are
    assertThat(HopByHop.endToEnd(in).contains("X-Parity-Shadow")).isTrue();
  }
}
