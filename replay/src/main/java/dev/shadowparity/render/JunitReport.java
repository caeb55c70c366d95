package dev.shadowparity.render;

import dev.shadowparity.replay.FailOn;
import dev.shadowparity.replay.ReplayResult;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.Sample;
import dev.shadowparity.report.Verdict;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * JUnit XML (the Ant/Surefire schema that CI systems read): one testcase per endpoint. A FAILING endpoint (or,
 * with {@code --fail-on mismatch}, any with a mismatch or NEW failure) is a failure; an UNPROVEN one that does
 * not fail is skipped, with why; corrupt input records are one error testcase.
 */
public final class JunitReport {

  private static final String SUITE = "shadow-parity";

  private JunitReport() {}

  public static String write(ReplayResult result, FailOn failOn) {
    Report r = result.report();
    Report.VerdictRule rule = r.verdictRule();
    int failures = 0;
    int skipped = 0;
    StringBuilder cases = new StringBuilder();
    for (EndpointReport e : r.endpoints()) {
      String why = Texts.why(e, rule.maxMismatchRate(), rule.confidence(), rule.minCompared());
      cases.append("    <testcase classname=\"").append(SUITE).append("\" name=\"").append(attr(e.endpoint()))
          .append("\" time=\"0\">\n");
      if (failOn.fails(e)) {
        failures++;
        cases.append("      <failure type=\"").append(e.verdict()).append("\" message=\"")
            .append(attr(e.verdict() + ": " + why)).append("\">").append(text(details(e))).append("</failure>\n");
      } else if (e.verdict() == Verdict.UNPROVEN) {
        skipped++;
        cases.append("      <skipped message=\"").append(attr("UNPROVEN: " + why)).append("\"/>\n");
      }
      cases.append("      <system-out>").append(text(e.verdict() + ": " + why + "\n" + details(e)))
          .append("</system-out>\n");
      cases.append("    </testcase>\n");
    }
    int errors = 0;
    if (result.input() != null && result.input().corrupt() > 0) {
      errors = 1;
      StringBuilder list = new StringBuilder();
      result.input().problems().forEach(p -> list.append(p).append('\n'));
      cases.append("    <testcase classname=\"").append(SUITE).append("\" name=\"capture files\" time=\"0\">\n")
          .append("      <error type=\"corrupt-input\" message=\"")
          .append(attr(result.input().corrupt() + " corrupt records skipped")).append("\">").append(text(list.toString()))
          .append("</error>\n    </testcase>\n");
    }
    if (result.notJudged() != null) {
      errors++;
      cases.append("    <testcase classname=\"").append(SUITE).append("\" name=\"replay\" time=\"0\">\n")
          .append("      <error type=\"nothing-judged\" message=\"").append(attr(result.notJudged())).append("\"/>\n")
          .append("    </testcase>\n");
    }
    int tests = r.endpoints().size() + errors;
    double seconds = result.input() == null ? 0 : result.input().durationMillis() / 1000.0;
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<testsuites name=\"" + SUITE + "\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors
        + "\" skipped=\"" + skipped + "\">\n"
        + "  <testsuite name=\"" + SUITE + "\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors
        + "\" skipped=\"" + skipped + "\" time=\"" + String.format(Locale.ROOT, "%.3f", seconds) + "\" timestamp=\""
        + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(r.generatedAt().atOffset(ZoneOffset.UTC).withNano(0)) + "\">\n"
        + cases
        + "  </testsuite>\n</testsuites>\n";
  }

  private static String details(EndpointReport e) {
    StringBuilder b = new StringBuilder();
    b.append("compared ").append(e.compared()).append(", matched ").append(e.matched()).append(", mismatched ")
        .append(e.mismatched()).append(", errors ").append(e.errors());
    e.errorKinds().forEach((k, v) -> b.append(", ").append(k).append(" ").append(v));
    e.skipped().forEach((k, v) -> b.append(", skipped ").append(k).append(" ").append(v));
    b.append('\n');
    for (EndpointReport.FieldCount f : e.fields()) {
      b.append("  ").append(f.field()).append(" (").append(f.kind()).append("): ").append(f.count())
          .append(f.cause() == null ? "" : ", likely " + f.cause()).append('\n');
    }
    if (!e.samples().isEmpty()) {
      Sample s = e.samples().get(0);
      b.append("first sample: ").append(s.request().method()).append(' ').append(s.request().uri()).append('\n');
      if (s.differences() != null) {
        s.differences().stream().limit(5).forEach(d -> b.append("  ").append(d.path()).append(" ").append(d.kind())
            .append(": ").append(d.oldValue() == null ? "(missing)" : d.oldValue()).append(" -> ")
            .append(d.newValue() == null ? "(missing)" : d.newValue())
            .append(d.cause() == null ? "" : " (likely " + d.cause() + ")").append('\n'));
      }
      if (s.error() != null) {
        b.append("  ").append(s.error()).append('\n');
      }
    }
    return b.toString();
  }

  private static String attr(String s) {
    return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
  }

  /** XML text: escaped, and without the characters XML 1.0 cannot hold. */
  private static String text(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        default -> {
          boolean legal = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
              || c >= 0x10000;
          b.appendCodePoint(legal ? c : 0xFFFD);
        }
      }
    });
    return b.toString();
  }
}
