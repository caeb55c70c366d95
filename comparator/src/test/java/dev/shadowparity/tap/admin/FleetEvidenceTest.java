package dev.shadowparity.tap.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.store.Store;
import dev.shadowparity.store.StoreLocation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet view's read is shared and kept {@link FleetEvidence#TTL}: requests in that time get the same answer, a
 * failed read too (a database that is away is not asked per request), and the failure says why without the password.
 * A PostgreSQL store on a loopback port nothing listens on: a real connection attempt, refused (the fleet tests of
 * the cli module read a real PostgreSQL).
 */
class FleetEvidenceTest {

  private final Vertx vertx = Vertx.vertx();
  private Store store;

  @AfterEach
  void close() throws Exception {
    if (store != null) {
      store.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void oneReadServesEveryRequestForTheTtl_aFailureToo_thenANewRead() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    StoreLocation location = StoreLocation.parse("postgresql://parity:s3cret-pw@127.0.0.1:" + closedPort + "/parity",
        Map.of());
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    store = Store.open(location, "tap-a", engine.ledger(), Duration.ofHours(1), engine::reset);
    AtomicLong now = new AtomicLong(1_000_000_000L);
    FleetEvidence fleet = new FleetEvidence(vertx, engine, store, FleetEvidence.TTL, now::get);
    assertThat(fleet.available()).isTrue();
    assertThat(fleet.notShared()).isNull();

    Future<FleetEvidence.Snapshot> first = fleet.snapshot();
    assertThat(fleet.snapshot()).as("while it runs, requests share it").isSameAs(first);
    Throwable failure = failure(first);
    assertThat(failure).isInstanceOf(FleetEvidence.Unavailable.class);
    assertThat(failure.getMessage()).contains("postgresql://parity@127.0.0.1:" + closedPort + "/parity")
        .doesNotContain("s3cret-pw");

    now.addAndGet(FleetEvidence.TTL.toNanos() - 1);
    assertThat(fleet.snapshot()).as("within the TTL after it ended, its answer serves").isSameAs(first);
    now.addAndGet(1);
    Future<FleetEvidence.Snapshot> second = fleet.snapshot();
    assertThat(second).as("past the TTL, a new read").isNotSameAs(first);
    assertThat(failure(second)).isInstanceOf(FleetEvidence.Unavailable.class);
  }

  @Test
  void aMessageNeverCarriesThePassword() {
    StoreLocation location = StoreLocation.parse("postgresql://u:pa55word@db:5432/parity", Map.of());
    assertThat(FleetEvidence.withoutPassword("auth failed for pa55word", location)).isEqualTo("auth failed for [password]");
    assertThat(FleetEvidence.withoutPassword(null, location)).isEqualTo("the store could not be read");
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the read should have failed");
  }
}
