package dev.shadowparity.render;

import dev.shadowparity.engine.Cause;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.replay.FailOn;
import dev.shadowparity.replay.InputProblem;
import dev.shadowparity.replay.ReplayResult;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.Sample;
import dev.shadowparity.report.Verdict;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One self-contained HTML file (inline CSS, no scripts, no external assets) for people who never used the tool:
 * totals, a table of endpoints worst first, and per endpoint its likely causes, fields and samples, JSON side by
 * side and text as a unified diff. Verdicts carry words and symbols, not colour alone.
 *
 * <p>Why one file of this length: it writes one document top to bottom (head, totals, table, one section per
 * endpoint); the side-by-side JSON is already apart ({@link JsonSideBySide}).
 */
public final class HtmlReport {

  /** Rows of unmarked JSON kept around a marked one; longer runs are folded. */
  private static final int CONTEXT = 3;

  private HtmlReport() {}

  public static String write(ReplayResult result, FailOn failOn) {
    Report r = result.report();
    Report.VerdictRule rule = r.verdictRule();
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Shadow Parity report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    h.append("<header><h1>Shadow Parity report</h1>\n<p class=\"meta\">Generated ").append(esc(r.generatedAt().toString()));
    if (result.input() != null) {
      ReplayResult.Input in = result.input();
      h.append(" · replayed ").append(in.sent()).append(" requests from ").append(in.files().size())
          .append(in.files().size() == 1 ? " file" : " files").append(" in ")
          .append(String.format(Locale.ROOT, "%.1f s", in.durationMillis() / 1000.0));
    }
    h.append("</p>\n");
    boolean failed = failOn.holds(r) || result.notJudged() != null;
    h.append("<p class=\"outcome ").append(failed ? "bad" : "good").append("\">")
        .append(result.notJudged() != null ? "⚠ Nothing judged: " + esc(result.notJudged()) + "</p>\n<p class=\"meta\">" : "")
        .append(failed ? "✖ Parity is not shown: " + count(r, failOn) + " failing under --fail-on " + failOn.wireName()
            : "✔ No endpoint fails under --fail-on " + failOn.wireName())
        .append("</p>\n</header>\n");

    h.append("<section class=\"explain\"><p>Each request was sent to the OLD and the NEW stack (or NEW was compared with "
        + "OLD's recorded answer) and both responses were compared after normalization: header order and casing, "
        + "JSON key order, unicode escapes, number spelling and compression do not count. An endpoint is "
        + "<b>PROVEN</b> when, with at least ").append(rule.minCompared()).append(" trials, the upper bound of its "
        + "mismatch rate at ").append(Math.round(rule.confidence() * 100)).append("% confidence is below ")
        .append(Texts.percent(rule.maxMismatchRate())).append("; <b>FAILING</b> when even the lower bound is above it; "
        + "<b>UNPROVEN</b> otherwise; <b>NOT MIRRORED</b> when only unsafe methods were seen. The bounds are a "
        + "confidence sequence, valid however often the report is read. A NEW failure (timeout, reset, garbage) and an "
        + "answer that could not be judged count as mismatches.</p></section>\n");

    Report.Totals t = r.totals();
    h.append("<section class=\"totals\">");
    box(h, "compared", t.compared());
    box(h, "matched", t.matched());
    box(h, "noise only", t.noiseOnly());
    box(h, "accepted", t.accepted());
    box(h, "mismatched", t.mismatched());
    box(h, "errors", t.errors());
    box(h, "not comparable", t.notComparable());
    box(h, "skipped", t.skipped());
    for (Verdict v : Verdict.values()) {
      box(h, v.label(), r.endpoints().stream().filter(e -> e.verdict() == v).count());
    }
    h.append("</section>\n");

    if (result.input() != null) {
      input(h, result.input());
    }
    if (r.taps() != null) {
      taps(h, r);
    }

    triage(h, r);

    h.append("<h2>Endpoints</h2>\n<table class=\"endpoints\">\n<thead><tr><th>verdict</th><th>endpoint</th>"
        + "<th class=\"n\">compared</th><th class=\"n\">matched</th><th class=\"n\">mismatched</th><th class=\"n\">errors</th>"
        + "<th class=\"n\">skipped</th><th>mismatch rate (CI)</th><th>top field</th></tr></thead>\n<tbody>\n");
    List<EndpointReport> eps = r.endpoints();
    for (int i = 0; i < eps.size(); i++) {
      EndpointReport e = eps.get(i);
      long skipped = e.skipped().values().stream().mapToLong(Long::longValue).sum();
      h.append("<tr><td>").append(badge(e.verdict())).append("</td><td><a href=\"#ep-").append(i).append("\"><code>")
          .append(esc(e.endpoint())).append("</code></a></td><td class=\"n\">").append(e.compared())
          .append("</td><td class=\"n\">").append(e.matched()).append("</td><td class=\"n\">").append(e.mismatched())
          .append("</td><td class=\"n\">").append(e.errors()).append("</td><td class=\"n\">").append(skipped)
          .append("</td><td>").append(esc(Texts.rateWithBounds(e, rule.confidence()))).append("</td><td>")
          .append(e.fields().isEmpty() ? "" : "<code>" + esc(e.fields().get(0).field()) + "</code> " + esc(e.fields().get(0).kind())
              + " ×" + e.fields().get(0).count() + (e.fields().get(0).cause() == null ? "" : " " + cause(e.fields().get(0).cause())))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");

    for (int i = 0; i < eps.size(); i++) {
      endpoint(h, eps.get(i), i, rule);
    }
    h.append("<footer>Shadow Parity · the same evidence as <code>--json</code> "
        + "(<code>docs/report-format.md</code>)</footer>\n</body>\n</html>\n");
    return h.toString();
  }

  /** The same difference on several endpoints, and the baseline's entries with what they did. */
  private static void triage(StringBuilder h, Report r) {
    List<dev.shadowparity.report.DifferenceGroup> shared = r.groups().stream().filter(g -> g.endpoints().size() > 1).toList();
    if (!shared.isEmpty()) {
      h.append("<h2>Differences on several endpoints</h2>\n<table class=\"fields\"><thead><tr><th>field</th><th>kind</th>"
          + "<th>likely cause</th><th class=\"n\">endpoints</th><th class=\"n\">exchanges</th></tr></thead><tbody>\n");
      for (dev.shadowparity.report.DifferenceGroup g : shared) {
        h.append("<tr><td><code>").append(esc(g.field())).append("</code></td><td>").append(esc(g.kind())).append("</td><td>")
            .append(cause(g.cause())).append("</td><td class=\"n\"><details><summary>").append(g.endpoints().size())
            .append("</summary>");
        g.endpoints().forEach(ep -> h.append("<code>").append(esc(ep)).append("</code><br>"));
        h.append("</details></td><td class=\"n\">").append(g.count()).append("</td></tr>\n");
      }
      h.append("</tbody></table>\n<p class=\"meta\">An intended one is accepted with <code>parity accept --baseline FILE "
          + "--field F --reason R</code>: listed as accepted, never counted.</p>\n");
    }
    if (r.baseline() != null && !r.baseline().isEmpty()) {
      h.append("<h2>Accepted differences (baseline)</h2>\n<table class=\"fields\"><thead><tr><th>state</th><th>field</th>"
          + "<th>kind</th><th>endpoints</th><th>values</th><th class=\"n\">accepted</th><th>reason</th><th>by, at</th>"
          + "</tr></thead><tbody>\n");
      for (dev.shadowparity.report.BaselineUse u : r.baseline()) {
        h.append("<tr><td>").append(u.state().equals(dev.shadowparity.report.BaselineUse.STALE)
            ? "<b>stale: no longer occurs, remove it</b>" : esc(u.state())).append("</td><td><code>").append(esc(u.field()))
            .append("</code></td><td>").append(esc(u.kind() == null ? "any" : u.kind())).append("</td><td>")
            .append(esc(String.join(", ", u.endpoints()))).append("</td><td>")
            .append(esc((u.old() == null ? "any" : u.old()) + " → " + (u.neu() == null ? "any" : u.neu())))
            .append("</td><td class=\"n\">").append(u.accepted()).append("</td><td>").append(esc(u.reason()))
            .append("</td><td>").append(esc((u.by() == null ? "" : u.by()) + (u.at() == null ? "" : ", " + u.at())))
            .append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
  }

  private static long count(Report r, FailOn failOn) {
    return r.endpoints().stream().filter(failOn::fails).count();
  }

  /** What each tap of a fleet contributed; a tap that went silent is marked. */
  private static void taps(StringBuilder h, Report r) {
    h.append("<h2>Taps</h2>\n<p class=\"meta\">What each tap of the fleet wrote to the shared store in this period; a tap not "
        + "seen for over ").append(Texts.STALE_TAP.toMinutes()).append(" minutes has stopped writing.</p>\n")
        .append("<table class=\"taps\"><thead><tr><th>tap</th><th class=\"n\">compared</th><th class=\"n\">mismatched</th>"
            + "<th class=\"n\">errors</th><th class=\"n\">skipped</th><th class=\"n\">endpoints</th><th>last seen</th>"
            + "</tr></thead><tbody>\n");
    for (dev.shadowparity.report.TapContribution t : r.taps()) {
      String silent = Texts.silence(t, r.generatedAt());
      h.append("<tr").append(silent == null ? "" : " class=\"bad\"").append("><td><code>").append(esc(t.tap()))
          .append("</code></td><td class=\"n\">").append(t.compared()).append("</td><td class=\"n\">").append(t.mismatched())
          .append("</td><td class=\"n\">").append(t.errors()).append("</td><td class=\"n\">").append(t.skipped())
          .append("</td><td class=\"n\">").append(t.endpoints()).append("</td><td>")
          .append(t.lastSeen() == null ? "unknown" : esc(t.lastSeen().toString()))
          .append(silent == null ? "" : " <b>⚠ " + esc(silent) + "</b>").append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private static void input(StringBuilder h, ReplayResult.Input in) {
    h.append("<h2>Input</h2>\n<table class=\"input\"><thead><tr><th>file</th><th>format</th><th class=\"n\">records</th>"
        + "<th class=\"n\">corrupt</th><th class=\"n\">not replayable</th></tr></thead><tbody>\n");
    for (ReplayResult.FileInput f : in.files()) {
      h.append("<tr><td><code>").append(esc(f.file())).append("</code></td><td>").append(esc(f.format()))
          .append("</td><td class=\"n\">").append(f.records()).append("</td><td class=\"n\">").append(f.corrupt())
          .append("</td><td class=\"n\">").append(f.ignored()).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
    if (in.stoppedAtLimit()) {
      h.append("<p>Stopped at the <code>--limit</code> of ").append(in.sent()).append(" requests.</p>\n");
    }
    if (!in.ignored().isEmpty()) {
      h.append("<p>Not replayable: ");
      in.ignored().forEach((k, v) -> h.append(esc(k)).append(" ×").append(v).append("; "));
      h.append("</p>\n");
    }
    if (in.corrupt() > 0) {
      h.append("<details class=\"problems\" open><summary>⚠ ").append(in.corrupt())
          .append(" corrupt records were skipped").append(in.corrupt() > in.problems().size()
              ? " (the first " + in.problems().size() + " listed)" : "").append("</summary><ul>\n");
      for (InputProblem p : in.problems()) {
        h.append("<li><code>").append(esc(p.file())).append("</code> ").append(esc(p.position())).append(": ")
            .append(esc(p.problem())).append("</li>\n");
      }
      h.append("</ul></details>\n");
    }
  }

  private static void endpoint(StringBuilder h, EndpointReport e, int i, Report.VerdictRule rule) {
    h.append("<section class=\"endpoint\" id=\"ep-").append(i).append("\">\n<h2>").append(badge(e.verdict()))
        .append(" <code>").append(esc(e.endpoint())).append("</code></h2>\n<p>")
        .append(esc(Texts.why(e, rule.maxMismatchRate(), rule.confidence(), rule.minCompared()))).append(".</p>\n");
    h.append("<p class=\"meta\">compared ").append(e.compared()).append(" · matched ").append(e.matched());
    if (e.noiseOnly() > 0) {
      h.append(" · noise only ").append(e.noiseOnly());
    }
    if (e.accepted() > 0) {
      h.append(" · accepted ").append(e.accepted());
    }
    h.append(" · mismatched ").append(e.mismatched());
    if (e.reclassified() > 0) {
      h.append(" (").append(e.reclassified()).append(" later found to be noise)");
    }
    h.append(" · errors ").append(e.errors());
    for (Map.Entry<String, Long> k : e.errorKinds().entrySet()) {
      h.append(" (").append(esc(k.getKey())).append(" ×").append(k.getValue()).append(")");
    }
    for (Map.Entry<String, Long> k : e.notComparable().entrySet()) {
      h.append(" · not comparable ").append(esc(k.getKey())).append(" ×").append(k.getValue());
    }
    for (Map.Entry<String, Long> k : e.skipped().entrySet()) {
      h.append(" · skipped ").append(esc(k.getKey())).append(" ×").append(k.getValue());
    }
    for (Map.Entry<String, Long> k : e.partsNotCompared().entrySet()) {
      h.append(" · not compared: ").append(esc(k.getKey())).append(" ×").append(k.getValue());
    }
    if (!e.causes().isEmpty()) {
      h.append("<br>likely causes:");
      e.causes().forEach((c, n) -> h.append(" ").append(cause(Cause.fromWireName(c))).append(" ×").append(n));
    }
    EndpointReport.Latency lat = e.latency();
    if (lat != null && (lat.old().count() > 0 || lat.neu().count() > 0)) {
      h.append("<br>latency p50/p99: OLD ").append(ms(lat.old())).append(" · NEW ").append(ms(lat.neu()));
    }
    h.append("</p>\n");
    if (!e.fields().isEmpty()) {
      h.append("<table class=\"fields\"><thead><tr><th>field</th><th>kind</th><th class=\"n\">mismatching exchanges</th>"
          + "<th>likely cause</th></tr></thead><tbody>\n");
      for (EndpointReport.FieldCount f : e.fields()) {
        h.append("<tr><td><code>").append(esc(f.field())).append("</code></td><td>").append(esc(f.kind()))
            .append("</td><td class=\"n\">").append(f.count()).append("</td><td>").append(cause(f.cause()))
            .append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    if (e.queryShapes().size() > 1) {
      h.append("<table class=\"fields\"><thead><tr><th>query shape</th><th class=\"n\">compared</th>"
          + "<th class=\"n\">mismatched</th></tr></thead><tbody>\n");
      for (EndpointReport.QueryShapeCount q : e.queryShapes()) {
        h.append("<tr><td><code>").append(esc(q.shape().isEmpty() ? "(no query)" : q.shape())).append("</code></td><td class=\"n\">")
            .append(q.compared()).append("</td><td class=\"n\">").append(q.mismatched()).append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    List<dev.shadowparity.report.NoiseField> noisy = e.noise().stream().filter(f -> f.noise() != null).toList();
    if (!noisy.isEmpty()) {
      h.append("<details class=\"noise\"><summary>Noise: ").append(noisy.size())
          .append(noisy.size() == 1 ? " field differs" : " fields differ")
          .append(" between two answers of OLD itself, not counted</summary>\n<table class=\"fields\"><thead><tr>"
              + "<th>field</th><th>why</th><th class=\"n\">hidden when recorded</th><th class=\"n\">in mismatches recorded before it was learned</th>"
              + "<th>evidence</th></tr></thead><tbody>\n");
      for (dev.shadowparity.report.NoiseField f : noisy) {
        String evidence = switch (f.noise()) {
          case "learned" -> "differed in " + f.oldDifferences() + " of " + f.oldComparisons() + " repeated requests to OLD";
          case "secondary" -> "OLD vs OLD differed in " + f.secondaryOld() + " of " + f.secondaryTrials()
              + " exchanges, OLD vs NEW in " + f.secondaryNew();
          default -> "pinned in the config";
        };
        h.append("<tr><td><code>").append(esc(f.field())).append("</code></td><td>").append(esc(f.noise()))
            .append("</td><td class=\"n\">").append(f.discounted()).append("</td><td class=\"n\">").append(f.reclassified())
            .append("</td><td>").append(esc(evidence))
            .append("</td></tr>\n");
      }
      h.append("</tbody></table></details>\n");
    }
    int n = 0;
    for (Sample s : e.samples()) {
      sample(h, s, ++n);
    }
    h.append("</section>\n");
  }

  private static String ms(EndpointReport.Percentiles p) {
    return p.count() == 0 ? "–" : String.format(Locale.ROOT, "%.1f/%.1f ms", p.p50Ms(), p.p99Ms());
  }

  private static void sample(StringBuilder h, Sample s, int n) {
    Sample.Request rq = s.request();
    h.append("<details class=\"sample\"").append(n == 1 ? " open" : "").append("><summary>Sample ").append(n)
        .append(": <code>").append(esc(rq.method() + " " + rq.uri())).append("</code>");
    if (s.fields() != null && !s.fields().isEmpty()) {
      h.append(" — differs at ").append(esc(String.join(", ", s.fields())));
    }
    h.append("</summary>\n");
    h.append("<h4>Request</h4><pre class=\"msg\">").append(esc(rq.method() + " " + rq.uri() + "\n"));
    if (rq.headers() != null) {
      for (List<String> hv : rq.headers()) {
        h.append(esc(hv.get(0) + ": " + hv.get(1) + "\n"));
      }
    }
    if (rq.body() != null && !rq.body().isEmpty()) {
      h.append("\n").append(esc(rq.body()));
    }
    h.append("</pre>\n");
    if (s.error() != null) {
      h.append("<p class=\"bad\">✖ ").append(esc(s.error())).append("</p>\n");
    }
    if (s.write() != null) {
      h.append("<p>Likely explained by a write the NEW stack never got: <code>").append(esc(s.write())).append("</code></p>\n");
    }
    if (s.differences() != null && !s.differences().isEmpty()) {
      h.append("<h4>Differences</h4><table class=\"diffs\"><thead><tr><th>where</th><th>kind</th><th>OLD</th><th>NEW</th>"
          + "<th>likely cause</th></tr></thead><tbody>\n");
      for (Difference d : s.differences()) {
        h.append("<tr><td><code>").append(esc(d.path())).append("</code></td><td>").append(esc(d.kind().toString()))
            .append("</td><td class=\"old\">").append(d.oldValue() == null ? "<i>(absent)</i>" : "<code>" + esc(d.oldValue()) + "</code>")
            .append("</td><td class=\"new\">").append(d.newValue() == null ? "<i>(absent)</i>" : "<code>" + esc(d.newValue()) + "</code>")
            .append("</td><td>").append(cause(d.cause())).append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    bodies(h, s);
    h.append("</details>\n");
  }

  private static void bodies(StringBuilder h, Sample s) {
    Sample.Response o = s.old();
    Sample.Response nw = s.neu();
    h.append("<h4>Responses</h4>\n<table class=\"sxs\"><thead><tr><th>OLD ").append(status(o)).append("</th><th>NEW ")
        .append(status(nw)).append("</th></tr></thead><tbody>\n<tr><td><pre class=\"msg\">").append(headers(o))
        .append("</pre></td><td><pre class=\"msg\">").append(headers(nw)).append("</pre></td></tr>\n</tbody></table>\n");
    String textDiff = null;
    Set<String> paths = new HashSet<>();
    if (s.differences() != null) {
      for (Difference d : s.differences()) {
        if (d.path() != null && d.path().startsWith("/")) {
          paths.add(d.path());
        }
        if (d.detail() != null && textDiff == null) {
          textDiff = d.detail();
        }
      }
    }
    boolean json = o != null && nw != null && "json".equals(o.bodyKind()) && "json".equals(nw.bodyKind())
        && !Boolean.TRUE.equals(o.truncated()) && !Boolean.TRUE.equals(nw.truncated());
    List<JsonSideBySide.Row> rows = json ? JsonSideBySide.rows(o.body(), nw.body(), paths) : null;
    if (rows != null) {
      h.append("<p class=\"legend\">Bodies with keys sorted; rows marked ▶ hold a difference listed above. "
          + "Other rows may be spelled differently and still count as equal.</p>\n<table class=\"json\"><tbody>\n");
      jsonRows(h, rows);
      h.append("</tbody></table>\n");
    } else if (textDiff != null) {
      h.append("<p class=\"legend\">Unified diff of the bodies (− OLD, + NEW).</p>\n<pre class=\"udiff\">");
      String[] lines = textDiff.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        boolean fileHeader = i < 2 && (line.startsWith("---") || line.startsWith("+++"));
        String cls = fileHeader ? null : line.startsWith("+") ? "add" : line.startsWith("-") ? "del"
            : line.startsWith("@@") ? "hunk" : null;
        // a marked line is a block of its own: a newline after it would add an empty line
        h.append(cls == null ? esc(line) + "\n" : "<span class=\"" + cls + "\">" + esc(line) + "</span>");
      }
      h.append("</pre>\n");
    } else if ((o != null && o.body() != null) || (nw != null && nw.body() != null)) {
      h.append("<table class=\"sxs\"><tbody><tr><td><pre class=\"msg\">").append(body(o)).append("</pre></td><td>")
          .append("<pre class=\"msg\">").append(body(nw)).append("</pre></td></tr></tbody></table>\n");
    }
  }

  private static void jsonRows(StringBuilder h, List<JsonSideBySide.Row> rows) {
    boolean[] keep = new boolean[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).marked()) {
        for (int j = Math.max(0, i - CONTEXT); j <= Math.min(rows.size() - 1, i + CONTEXT); j++) {
          keep[j] = true;
        }
      }
    }
    if (rows.size() <= 2 * CONTEXT + 10) {
      java.util.Arrays.fill(keep, true);
    }
    int folded = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (!keep[i]) {
        folded++;
        continue;
      }
      if (folded > 0) {
        h.append("<tr class=\"fold\"><td colspan=\"3\">⋯ ").append(folded).append(" equal lines ⋯</td></tr>\n");
        folded = 0;
      }
      JsonSideBySide.Row row = rows.get(i);
      String mark = row.marked() ? " class=\"mark\"" : "";
      h.append("<tr").append(mark).append("><td class=\"gutter\">").append(row.marked() ? "▶" : "").append("</td><td class=\"old\">")
          .append(row.old() == null ? "" : esc(row.old().text())).append("</td><td class=\"new\">")
          .append(row.neu() == null ? "" : esc(row.neu().text())).append("</td></tr>\n");
    }
    if (folded > 0) {
      h.append("<tr class=\"fold\"><td colspan=\"3\">⋯ ").append(folded).append(" equal lines ⋯</td></tr>\n");
    }
  }

  private static String status(Sample.Response r) {
    if (r == null) {
      return "";
    }
    return r.status() == null ? "(no response)" : String.valueOf(r.status())
        + (r.latencyMs() == null ? "" : String.format(Locale.ROOT, " · %.1f ms", r.latencyMs()));
  }

  private static String headers(Sample.Response r) {
    if (r == null || r.headers() == null) {
      return r != null && r.problem() != null ? esc(r.problem()) : "";
    }
    StringBuilder b = new StringBuilder();
    for (List<String> hv : r.headers()) {
      b.append(esc(hv.get(0) + ": " + hv.get(1))).append('\n');
    }
    return b.toString();
  }

  private static String body(Sample.Response r) {
    if (r == null) {
      return "";
    }
    String b = r.body() == null ? "" : esc(r.body());
    if (Boolean.TRUE.equals(r.truncated())) {
      b += "\n<i>(cut)</i>";
    }
    if (r.problem() != null) {
      b += "\n<i>" + esc(r.problem()) + "</i>";
    }
    return b;
  }

  private static void box(StringBuilder h, String label, long value) {
    h.append("<div class=\"box\"><span class=\"v\">").append(value).append("</span><span class=\"l\">").append(esc(label))
        .append("</span></div>");
  }

  /** A cause as a small label whose tooltip says what it means; empty for none. */
  private static String cause(Cause c) {
    return c == null ? "" : "<span class=\"cause\" title=\"" + esc(c.description()) + "\">" + esc(c.wireName()) + "</span>";
  }

  private static String badge(Verdict v) {
    return switch (v) {
      case PROVEN -> "<span class=\"badge proven\">✔ PROVEN</span>";
      case FAILING -> "<span class=\"badge failing\">✖ FAILING</span>";
      case UNPROVEN -> "<span class=\"badge unproven\">? UNPROVEN</span>";
      case NOT_MIRRORED -> "<span class=\"badge unproven\">– NOT MIRRORED</span>";
    };
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static final String CSS = """
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:0 20px 40px;color:#1b1f24;background:#fff}
      h1{font-size:26px;margin:24px 0 4px}h2{font-size:19px;margin:28px 0 8px}h4{margin:14px 0 4px;font-size:14px}
      code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
      pre{white-space:pre-wrap;word-break:break-all;margin:0}
      .meta{color:#57606a;margin:4px 0}.explain{color:#33393f;font-size:14px;max-width:900px}
      .outcome{font-weight:600;font-size:17px;padding:8px 12px;border-radius:6px;display:inline-block}
      .outcome.bad,.bad{background:#ffebe9;color:#82071e}.outcome.good{background:#dafbe1;color:#116329}
      .totals{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
      .box{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:90px}
      .box .v{display:block;font-size:22px;font-weight:600}.box .l{color:#57606a;font-size:13px}
      table{border-collapse:collapse;width:100%;margin:6px 0 10px}
      th,td{border-bottom:1px solid #d8dee4;padding:5px 8px;text-align:left;vertical-align:top}
      th{background:#f6f8fa;font-weight:600;font-size:13px}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
      .badge{font-weight:700;font-size:12px;padding:2px 7px;border-radius:10px;white-space:nowrap;border:1px solid}
      .badge.proven{color:#116329;background:#dafbe1;border-color:#4ac26b}
      .badge.failing{color:#82071e;background:#ffebe9;border-color:#ff8182}
      .badge.unproven{color:#7d4e00;background:#fff8c5;border-color:#d4a72c}
      .endpoint{border-top:2px solid #d0d7de;margin-top:26px}
      details.sample{border:1px solid #d0d7de;border-radius:6px;padding:6px 12px;margin:8px 0}
      details summary{cursor:pointer;font-weight:600}
      pre.msg{background:#f6f8fa;padding:6px 8px;border-radius:4px}
      td.old{background:#fff5f5}td.new{background:#f3fff5}
      table.json td{font:13px/1.35 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;padding:1px 8px;border:0}
      table.json td.old,table.json td.new{background:none;width:49%}
      table.json tr.mark td.old{background:#ffd7d5;font-weight:600}table.json tr.mark td.new{background:#ccffd8;font-weight:600}
      table.json td.gutter{width:1em;color:#82071e}tr.fold td{color:#57606a;text-align:center;font-style:italic;background:#f6f8fa}
      pre.udiff{background:#f6f8fa;padding:6px 8px}.udiff .add{background:#ccffd8;display:block}
      .udiff .del{background:#ffd7d5;display:block}.udiff .hunk{color:#0550ae;display:block}
      .legend{color:#57606a;font-size:13px;margin:4px 0}
      .cause{font-size:12px;padding:1px 6px;border-radius:10px;background:#ddf4ff;color:#0a3069;border:1px solid #54aeff;white-space:nowrap}
      footer{margin-top:40px;color:#57606a;font-size:13px}
      """;
}
