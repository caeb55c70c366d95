package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shadowparity.prometheus.CounterIncrease;
import dev.shadowparity.prometheus.LabelSelector;
import dev.shadowparity.prometheus.PromDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code parity gate --prometheus}'s options: what is refused before anything is asked (exit 2, saying what and
 * why), and the pieces that make the counts exact. The gate against a real Prometheus is in
 * {@code dev.shadowparity.dashboards.GatePrometheus*Test}.
 */
class GatePrometheusOptionsTest {

  static final String URL = "http://127.0.0.1:1";

  static CompareCommandTest.Run gate(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "gate";
    System.arraycopy(args, 0, all, 1, args.length);
    return CompareCommandTest.run(all);
  }

  static void refused(String message, String... args) {
    CompareCommandTest.Run r = gate(args);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void badOptions_exit2_beforeAskingAnything() {
    refused("--window: not a duration: 'an hour' (Prometheus' form, e.g. 30m, 1h, 1h30m, 2d)", "--prometheus", URL, "--window", "an hour");
    refused("--window: must be longer than 0, got 0s", "--prometheus", URL, "--window", "0s");
    refused("--window: not a duration: '1m1h'", "--prometheus", URL, "--window", "1m1h");
    refused("--lookback: not a duration", "--prometheus", URL, "--lookback", "5 minutes");
    refused("--timeout: not a duration", "--prometheus", URL, "--timeout", "-1s");
    refused("--selector: a selector is label matchers in braces", "--prometheus", URL, "--selector", "job=\"x\"");
    refused("--selector: not a label selector at character 6 of {job=x}: expected a quoted value", "--prometheus", URL,
        "--selector", "{job=x}");
    refused("--selector: not a label selector at character 10 of {job=\"a\" ns=\"b\"}: expected , or }", "--prometheus",
        URL, "--selector", "{job=\"a\" ns=\"b\"}");
    refused("the quoted value is not closed", "--prometheus", URL, "--selector", "{job=\"a}");
    refused("--selector: the label endpoint is not for the selector", "--prometheus", URL, "--selector",
        "{endpoint=\"GET /a\"}");
    refused("--header: give 'Name: value'", "--prometheus", URL, "--header", "X-Scope-OrgID tenant");
    refused("--header Authorization: credentials do not go on the command line", "--prometheus", URL, "--header",
        "Authorization: Bearer abc");
    refused("--header x-a: given twice", "--prometheus", URL, "--header", "X-A: 1", "--header", "x-a: 2");
    refused("--header: restricted header name: \"Host\"", "--prometheus", URL, "--header", "Host: other");
    refused("--at: not a time: 'noon'", "--prometheus", URL, "--at", "noon");
    refused("--max-response-bytes: must be at least 1024", "--prometheus", URL, "--max-response-bytes", "10");
    refused("--prometheus: give the API's http:// or https:// URL", "--prometheus", "prometheus:9090");
    refused("--prometheus: no credentials in the URL (it is printed)", "--prometheus", "http://u:p@127.0.0.1:1");
    refused("--window belongs to --prometheus", "--store", "x.db", "--window", "1h");
    refused("--header belongs to --prometheus", "--header", "X-A: 1");
    refused("--period belongs to --store; Prometheus has no periods", "--prometheus", URL, "--period", "1");
    refused("give one source of evidence: --store, --report or --prometheus, not several", "--prometheus", URL,
        "--report", "a.json");
  }

  @Test
  void credentials_fromTheEnvironment_oneKindAtATime() {
    assertThat(GateEvidence.Prometheus.authorization(Map.of())).isNull();
    assertThat(GateEvidence.Prometheus.authorization(Map.of("PARITY_PROMETHEUS_TOKEN", " t0k \n"))).isEqualTo("Bearer t0k");
    assertThat(GateEvidence.Prometheus.authorization(Map.of("PARITY_PROMETHEUS_USER", "u", "PARITY_PROMETHEUS_PASSWORD", "p:w")))
        .isEqualTo("Basic dTpwOnc=");
    assertThatThrownBy(() -> GateEvidence.Prometheus.authorization(Map.of("PARITY_PROMETHEUS_TOKEN", "t",
        "PARITY_PROMETHEUS_USER", "u"))).hasMessageContaining("not both");
    assertThatThrownBy(() -> GateEvidence.Prometheus.authorization(Map.of("PARITY_PROMETHEUS_USER", "u")))
        .hasMessageContaining("needs both");
  }

  @Test
  void durations_asPrometheusWritesThem() {
    assertThat(PromDuration.parse("1h30m", "--window")).isEqualTo(Duration.ofMinutes(90));
    assertThat(PromDuration.parse("2d", "--window")).isEqualTo(Duration.ofDays(2));
    assertThat(PromDuration.parse("1m500ms", "--window")).isEqualTo(Duration.ofMillis(60_500));
    assertThat(PromDuration.parse("3737ms", "--window")).isEqualTo(Duration.ofMillis(3737));
    assertThat(PromDuration.promQl(Duration.ofMinutes(65))).isEqualTo("3900000ms");
    assertThat(PromDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(GateEvidence.Prometheus.instant("1714564800.25")).isEqualTo(Instant.parse("2024-05-01T12:00:00.250Z"));
    assertThat(GateEvidence.Prometheus.instant("2024-05-01T14:00:00+02:00")).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
  }

  @Test
  void selectors_keepTheMatchersAsWritten() {
    LabelSelector s = LabelSelector.parse(" { job = \"parity-tap\" , namespace=~'shop|cart', pod!~`x,}`, } ");
    assertThat(s.matchers()).containsExactly("job=\"parity-tap\"", "namespace=~'shop|cart'", "pod!~`x,}`");
    assertThat(s.with("backend=\"new\"")).isEqualTo("{job=\"parity-tap\",namespace=~'shop|cart',pod!~`x,}`,backend=\"new\"}");
    assertThat(LabelSelector.parse("{a=\"x\\\"y\"}").matchers()).containsExactly("a=\"x\\\"y\"");
    assertThat(LabelSelector.parse("{}").with()).isEmpty();
    assertThat(LabelSelector.parse(null)).isEqualTo(LabelSelector.ALL);
  }

  /** Samples every 10 s; the window starts at 100. */
  @Test
  void counterIncrease_isExact_resetsAreRestarts_andASeriesBornInTheWindowCountsFromZero() {
    long[] t = {80_000, 90_000, 100_000, 110_000, 120_000, 130_000, 140_000, 150_000};
    // base 7 (at 100, the window's start), +3, +2, restart (counted 4 since), +6, +0
    long[] v = {5, 6, 7, 10, 12, 4, 10, 10};
    assertThat(CounterIncrease.of(t, v, v.length, 100_000)).isEqualTo(3 + 2 + 4 + 6);
    // no sample at or before the start: the series began inside the window, at 0
    assertThat(CounterIncrease.of(new long[] {120_000, 130_000}, new long[] {5, 9}, 2, 100_000)).isEqualTo(9);
    // only samples before the window: nothing inside it
    assertThat(CounterIncrease.of(t, v, 3, 100_000)).isZero();
    // a restart to a higher count than before is not seen: Prometheus cannot tell it either
    assertThat(CounterIncrease.of(new long[] {90_000, 110_000}, new long[] {3, 5}, 2, 100_000)).isEqualTo(2);
  }
}
