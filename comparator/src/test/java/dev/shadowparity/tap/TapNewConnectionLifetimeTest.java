package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connections to NEW are not reused past timeouts.new-connection-lifetime, so a moved canary Service is followed. */
class TapNewConnectionLifetimeTest {

  private final TapHarness h = new TapHarness();
  private final Set<String> newConnections = ConcurrentHashMap.newKeySet();

  @AfterEach
  void close() {
    h.close();
  }

  private int connectionsForTwoRequestsApart(String yaml) throws Exception {
    h.old(req -> req.response().end("same")).neu(req -> {
      newConnections.add(req.remoteAddress().toString());
      req.response().end("same");
    }).tap(yaml);
    h.get("/api/a");
    h.awaitEndpoint("GET /api/a", e -> e.compared() == 1);
    Thread.sleep(1600); // past the lifetime below and the pool's cleaner period (1 s)
    h.get("/api/a");
    h.awaitEndpoint("GET /api/a", e -> e.compared() == 2);
    return newConnections.size();
  }

  @Test
  void aConnectionOlderThanItsLifetime_isNotReused() throws Exception {
    assertThat(connectionsForTwoRequestsApart("timeouts: {new-connection-lifetime: 300ms}\n")).isEqualTo(2);
  }

  @Test
  void withinTheDefaultLifetime_theConnectionIsKept() throws Exception {
    assertThat(connectionsForTwoRequestsApart("")).isEqualTo(1);
  }
}
