package dev.shadowparity.render;

import dev.shadowparity.replay.FailOn;
import dev.shadowparity.replay.ReplayResult;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Report;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A short summary for a pull request comment: totals, one row per endpoint, its top fields with their likely cause.
 */
public final class MarkdownReport {

  private static final int MAX_ROWS = 50;

  private MarkdownReport() {}

  public static String write(ReplayResult result, FailOn failOn) {
    Report r = result.report();
    Report.VerdictRule rule = r.verdictRule();
    StringBuilder md = new StringBuilder();
    long failing = r.endpoints().stream().filter(failOn::fails).count();
    if (result.notJudged() != null) {
      md.append("### Shadow Parity: ⚠️ nothing judged\n\n").append(cell(result.notJudged())).append("\n\n");
    } else md.append("### Shadow Parity: ").append(failing > 0
        ? "❌ " + failing + (failing == 1 ? " endpoint fails" : " endpoints fail") + " under `--fail-on " + failOn.wireName() + "`"
        : "✅ no endpoint fails under `--fail-on " + failOn.wireName() + "`").append("\n\n");
    Report.Totals t = r.totals();
    md.append(t.compared()).append(" compared, ").append(t.matched()).append(" matched, ")
        .append(t.accepted() > 0 ? t.accepted() + " accepted, " : "").append(t.mismatched())
        .append(" mismatched, ").append(t.errors()).append(" errors, ").append(t.notComparable())
        .append(" not comparable, ").append(t.skipped()).append(" skipped")
        .append(" over ").append(r.endpoints().size()).append(" endpoints. Verdict rule: mismatch rate below ")
        .append(Texts.percent(rule.maxMismatchRate())).append(" at ").append(Math.round(rule.confidence() * 100))
        .append("% confidence, at least ").append(rule.minCompared()).append(" trials.\n\n");
    if (result.input() != null && result.input().corrupt() > 0) {
      md.append("⚠️ ").append(result.input().corrupt()).append(" corrupt records in the capture files were skipped");
      if (!result.input().problems().isEmpty()) {
        md.append(" (first: `").append(cell(result.input().problems().get(0).toString())).append("`)");
      }
      md.append(".\n\n");
    }
    md.append("| | endpoint | verdict | compared | mismatched | errors | rate | top fields |\n");
    md.append("|---|---|---|---:|---:|---:|---|---|\n");
    List<EndpointReport> endpoints = r.endpoints();
    for (int i = 0; i < Math.min(MAX_ROWS, endpoints.size()); i++) {
      EndpointReport e = endpoints.get(i);
      String mark = switch (e.verdict()) {
        case FAILING -> "❌";
        case PROVEN -> "✅";
        case UNPROVEN -> "⚠️";
        case NOT_MIRRORED -> "➖";
      };
      md.append("| ").append(mark).append(" | `").append(cell(e.endpoint())).append("` | ").append(e.verdict().label())
          .append(" | ").append(e.compared()).append(" | ").append(e.mismatched()).append(" | ").append(e.errors())
          .append(" | ").append(Texts.rateWithBounds(e, rule.confidence())).append(" | ")
          .append(topFields(e)).append(" |\n");
    }
    if (endpoints.size() > MAX_ROWS) {
      md.append("\n…and ").append(endpoints.size() - MAX_ROWS).append(" more endpoints (see the HTML or JSON report).\n");
    }
    List<dev.shadowparity.report.DifferenceGroup> shared = r.groups().stream().filter(g -> g.endpoints().size() > 1).limit(10).toList();
    if (!shared.isEmpty()) {
      md.append("\n**Differences on several endpoints**\n\n| field | kind | endpoints | exchanges | likely cause |\n|---|---|---:|---:|---|\n");
      shared.forEach(g -> md.append("| `").append(cell(g.field())).append("` | ").append(g.kind()).append(" | ")
          .append(g.endpoints().size()).append(" | ").append(g.count()).append(" | ")
          .append(g.cause() == null ? "" : g.cause().wireName()).append(" |\n"));
    }
    if (r.taps() != null) {
      md.append("\n**Taps (").append(r.taps().size()).append(")**: what each tap of the fleet contributed\n\n")
          .append("| tap | compared | mismatched | errors | skipped | endpoints | last seen |\n")
          .append("|---|---:|---:|---:|---:|---:|---|\n");
      r.taps().stream().limit(MAX_ROWS).forEach(tap -> {
        String silent = Texts.silence(tap, r.generatedAt());
        md.append("| `").append(cell(tap.tap())).append("` | ").append(tap.compared()).append(" | ").append(tap.mismatched())
            .append(" | ").append(tap.errors()).append(" | ").append(tap.skipped()).append(" | ").append(tap.endpoints())
            .append(" | ").append(tap.lastSeen() == null ? "unknown" : tap.lastSeen().toString())
            .append(silent == null ? "" : " ⚠️ " + silent).append(" |\n");
      });
      if (r.taps().size() > MAX_ROWS) {
        md.append("\n…and ").append(r.taps().size() - MAX_ROWS).append(" more taps (see the HTML or JSON report).\n");
      }
    }
    if (r.baseline() != null && !r.baseline().isEmpty()) {
      md.append("\n**Accepted differences (baseline)**\n\n| state | field | endpoints | accepted | reason |\n|---|---|---|---:|---|\n");
      r.baseline().forEach(u -> md.append("| ").append(u.state().equals(dev.shadowparity.report.BaselineUse.STALE) ? "⚠️ stale" : u.state())
          .append(" | `").append(cell(u.field())).append("`").append(u.kind() == null ? "" : " " + u.kind()).append(" | ")
          .append(cell(String.join(", ", u.endpoints()))).append(" | ").append(u.accepted()).append(" | ")
          .append(cell(u.reason())).append(" |\n"));
    }
    return md.toString();
  }

  private static String topFields(EndpointReport e) {
    String fields = e.fields().stream().limit(3)
        .map(f -> "`" + cell(f.field()) + "` " + f.kind() + " ×" + f.count()
            + (f.cause() == null || f.cause().wireName().equals(f.kind()) ? "" : " (" + f.cause() + ")"))
        .collect(Collectors.joining(", "));
    String errors = e.errorKinds().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(2).map(k -> k.getKey() + " ×" + k.getValue()).collect(Collectors.joining(", "));
    return fields.isEmpty() ? errors : errors.isEmpty() ? fields : fields + "; " + errors;
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("`", "'").replace("\n", " ");
  }
}
