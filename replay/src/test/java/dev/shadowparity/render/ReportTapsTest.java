package dev.shadowparity.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.replay.FailOn;
import dev.shadowparity.replay.ReplayResult;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.TapContribution;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fleet's report ({@code parity report --store postgresql://...}, the admin API's {@code scope=fleet}) carries what
 * each tap contributed: every renderer lists each tap, marks one not seen for over 2 minutes before the report, and
 * shows no taps section for a report without them.
 */
class ReportTapsTest {

  private static Report report() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    RecordedRequest req = RecordedRequest.get("/api/orders/42");
    RecordedResponse ok = new RecordedResponse(200, Headers.of("Content-Type", "application/json"),
        "{\"id\": 42}".getBytes(StandardCharsets.UTF_8));
    engine.process(new Exchange(req, ok, ok));
    return engine.ledger().report();
  }

  private static Report fleet() {
    Report r = report();
    return r.withTaps(List.of(
        new TapContribution("pod-7f9c", 1200, 3, 2, 0, 40, 5, r.generatedAt().minusSeconds(4), 1),
        new TapContribution("pod-2b1e", 800, 1, 0, 0, 12, 4, r.generatedAt().minus(Duration.ofMinutes(9)), 2)));
  }

  @Test
  void text_listsEachTap_marksTheSilentOne() {
    StringWriter out = new StringWriter();
    TextSummary.write(new PrintWriter(out), fleet(), "in the --json report");
    String text = out.toString();
    assertThat(text).startsWith("Taps (2):\n").contains("LAST SEEN");
    String live = text.lines().filter(l -> l.contains("pod-7f9c")).findFirst().orElseThrow();
    String silent = text.lines().filter(l -> l.contains("pod-2b1e")).findFirst().orElseThrow();
    assertThat(live).contains("1200").contains("40").doesNotContain("not seen");
    assertThat(silent).contains("800").contains("(not seen for 9 min: stopped, or cannot reach the store)");
    // the rest of the summary follows
    assertThat(text).contains("1 compared: 1 matched");
  }

  @Test
  void markdown_hasATapsTable() {
    String md = MarkdownReport.write(new ReplayResult(fleet(), null), FailOn.FAILING);
    assertThat(md).contains("**Taps (2)**").contains("| tap | compared | mismatched | errors | skipped | endpoints | last seen |")
        .containsPattern("\\| `pod-7f9c` \\| 1200 \\| 3 \\| 2 \\| 40 \\| 5 \\| [^|⚠]+ \\|\n")
        .containsPattern("\\| `pod-2b1e` \\| 800 \\| 1 \\| 0 \\| 12 \\| 4 \\| .* ⚠️ not seen for 9 min: stopped, or cannot reach the store \\|");
  }

  @Test
  void html_hasATapsSection_theSilentTapMarked() {
    String page = HtmlReport.write(new ReplayResult(fleet(), null), FailOn.FAILING);
    assertThat(page).contains("<h2>Taps</h2>").contains("<table class=\"taps\">")
        .contains("<tr><td><code>pod-7f9c</code></td><td class=\"n\">1200</td><td class=\"n\">3</td>")
        .contains("<tr class=\"bad\"><td><code>pod-2b1e</code></td><td class=\"n\">800</td>")
        .contains("<b>⚠ not seen for 9 min: stopped, or cannot reach the store</b>");
  }

  @Test
  void withoutTaps_noTapsSection() {
    Report plain = report();
    StringWriter out = new StringWriter();
    TextSummary.write(new PrintWriter(out), plain, "in the --json report");
    assertThat(out.toString()).doesNotContain("Taps (");
    assertThat(MarkdownReport.write(new ReplayResult(plain, null), FailOn.FAILING)).doesNotContain("Taps");
    assertThat(HtmlReport.write(new ReplayResult(plain, null), FailOn.FAILING)).doesNotContain("<h2>Taps</h2>");
  }
}
