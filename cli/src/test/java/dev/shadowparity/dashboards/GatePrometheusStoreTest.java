package dev.shadowparity.dashboards;

import static dev.shadowparity.dashboards.GatePrometheusFleetTest.args;
import static dev.shadowparity.dashboards.GatePrometheusFleetTest.body;
import static dev.shadowparity.dashboards.GatePrometheusFleetTest.gate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.cli.Poll;
import dev.shadowparity.fleet.PostgresServer;
import dev.shadowparity.tap.Tap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ways a fleet is gated agree: three taps write one real PostgreSQL store and are scraped by a real
 * Prometheus; {@code parity gate --prometheus} and {@code parity gate --store postgresql://...} give the same
 * verdicts, counts and exit codes under several rules.
 */
class GatePrometheusStoreTest {

  @TempDir
  Path dir;

  @Test
  void threeTapsOnOneDatabase_gateOnPrometheus_isTheGateOnTheSharedStore() throws Exception {
    try (PostgresServer pg = PostgresServer.create(); DemoFleet fleet = new DemoFleet()) {
      Tap a = fleet.startTap(true, 0, pg.uri(), "tap-a");
      Tap b = fleet.startTap(false, 0, pg.uri(), "tap-b");
      Tap c = fleet.startTap(false, 0, pg.uri(), "tap-c");
      List<Tap> taps = List.of(a, b, c);
      for (Tap t : taps) {
        Poll.until(() -> t.store().flushProblem() == null ? true : null, Duration.ofSeconds(60),
            () -> "a tap to reach the database: " + t.store().flushProblem());
      }
      Path data = Files.createDirectories(dir.resolve("prometheus"));
      try (PrometheusServer prometheus = PrometheusServer.start(data, taps.stream().map(DemoFleet::adminAddress).toList())) {
        DemoFleet.awaitCounted(a, fleet.drive(a, 4));
        DemoFleet.awaitCounted(b, fleet.drive(b, 3));
        DemoFleet.awaitCounted(c, fleet.drive(c, 2));
        GatePrometheusFleetTest.awaitScraped(prometheus, taps);
        for (Tap t : taps) {
          t.store().flushNow(); // what each tap counted is in the database
        }

        Set<String> verdicts = new HashSet<>();
        List<List<String>> rules = List.of(List.of(), List.of("--max-mismatch-rate", "0.5", "--min-compared", "5"),
            List.of("--endpoint", DemoFleet.FLAKY_ENDPOINT, "--endpoint", "GET /api/never"));
        for (List<String> rule : rules) {
          Path fromPrometheus = dir.resolve("prometheus-" + rules.indexOf(rule) + ".json");
          Path fromStore = dir.resolve("store-" + rules.indexOf(rule) + ".json");
          GatePrometheusFleetTest.Run p = gate(args(List.of("--prometheus", prometheus.url(), "--selector",
              "{job=\"" + DashboardFiles.JOB + "\"}", "--json", fromPrometheus.toString()), rule));
          GatePrometheusFleetTest.Run s = gate(args(new ArrayList<>(List.of("--store", pg.uri(), "--json",
              fromStore.toString())), rule));
          assertThat(p.err()).as(p.out()).isEmpty();
          assertThat(s.err()).as(s.out()).isEmpty();
          assertThat(s.out()).startsWith("Evidence of postgresql://parity@").contains("(every tap)")
              .doesNotContain(":" + pg.uri().split(":")[2].split("@")[0] + "@");
          assertThat(p.exit()).as(p.out() + "\nvs\n" + s.out()).isEqualTo(s.exit()).isIn(0, 1);
          JsonNode gp = DashboardFiles.JSON.readTree(fromPrometheus.toFile());
          JsonNode gs = DashboardFiles.JSON.readTree(fromStore.toFile());
          assertThat(gp).as("rule %s:%n%s%nvs%n%s", rule, p.out(), s.out()).isEqualTo(gs);
          assertThat(body(p.out())).isEqualTo(body(s.out()));
          gp.path("endpoints").forEach(e -> verdicts.add(e.path("verdict").asText("UNSEEN")));
        }
        assertThat(verdicts).contains("FAILING", "PROVEN", "UNPROVEN", "UNSEEN");
      }
    }
  }
}
