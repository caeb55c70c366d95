package dev.shadowparity.render;

import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.NoiseField;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.TapContribution;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The report as the command line prints it (demo, replay, report): for people at a terminal. */
public final class TextSummary {

  private TextSummary() {}

  /** As {@link #write(PrintWriter, Report, String)}, for a tap, whose {@code /api/report} has the full lists. */
  public static void write(PrintWriter out, Report report) {
    write(out, report, "at /api/report");
  }

  /**
   * Writes what each tap of a fleet contributed (when the report has {@code taps}), the totals, one line per endpoint
   * (verdict, counts, top fields or what it still needs) and the noise.
   *
   * @param fullLists where the lists cut short here are in full, as the command that prints it has them
   *                  ({@code "at /api/report"} for a tap, {@code "in the --json report"} for replay and report)
   */
  public static void write(PrintWriter out, Report report, String fullLists) {
    if (report.taps() != null) {
      taps(out, report);
    }
    Report.Totals t = report.totals();
    out.println();
    out.printf("%d compared: %d matched, %d noise only, %s%d mismatched%s; %d errors; %d not comparable; %d skipped%n",
        t.compared(), t.matched(), t.noiseOnly(), t.accepted() > 0 ? t.accepted() + " accepted, " : "", t.mismatched(),
        t.reclassified() > 0 ? " (" + t.reclassified() + " of them later found to be noise)" : "", t.errors(),
        t.notComparable(), t.skipped());
    out.println();
    out.printf("%-12s %-38s %8s %8s %7s  %s%n", "VERDICT", "ENDPOINT", "COMPARED", "MISMATCH", "RATE", "TOP FIELDS / NOTE");
    for (EndpointReport e : report.endpoints()) {
      String note;
      String supersededBy = dev.shadowparity.report.Gate.supersededBy(e.endpoint(), report.endpoints());
      if (supersededBy != null && e.fields().isEmpty()) {
        note = "named before " + supersededBy + " was learned; its requests count there now";
      } else if (!e.fields().isEmpty()) {
        note = e.fields().stream().limit(3)
            .map(f -> f.field() + " (" + f.kind() + (f.cause() == null || f.cause().wireName().equals(f.kind()) ? ""
                : ", likely " + f.cause()) + ")")
            .collect(Collectors.joining(", "));
      } else if (!e.partsNotCompared().isEmpty() && e.failures() == 0) {
        note = "compared without " + e.partsNotCompared().entrySet().stream().map(k -> k.getKey() + " ×" + k.getValue())
            .collect(Collectors.joining(", "));
      } else if (e.compared() == 0 && !e.errorKinds().isEmpty()) {
        note = "errors: " + e.errorKinds().entrySet().stream().map(k -> k.getKey() + " ×" + k.getValue())
            .collect(Collectors.joining(", "));
      } else if (!e.skipped().isEmpty() && e.compared() == 0) {
        note = "skipped: " + e.skipped();
      } else if (e.verdict() == dev.shadowparity.report.Verdict.UNPROVEN && e.cleanNeeded() != null) {
        note = (e.failures() == 0 ? "no mismatch yet; " : "") + e.cleanNeeded() + " more clean exchanges would prove it";
      } else {
        note = "";
      }
      // mismatches later found to be noise are not counted here (the report lists them as reclassified)
      out.printf("%-12s %-38s %8d %8d %6.1f%%  %s%n", e.verdict().label(), abbreviate(e.endpoint(), 38), e.compared(),
          e.mismatched() - e.reclassified(), 100 * e.mismatchRate(), note);
    }
    groups(out, report, fullLists);
    shapes(out, report);
    List<String> noise = new ArrayList<>();
    for (EndpointReport e : report.endpoints()) {
      for (NoiseField f : e.noise()) {
        if (f.noise() != null) {
          noise.add(String.format("  %-38s %-16s %s, %s", abbreviate(e.endpoint(), 38), f.field(), f.noise(),
              switch (f.noise()) {
                case "learned" -> "differed in " + f.oldDifferences() + " of " + f.oldComparisons() + " repeats of OLD";
                case "secondary" -> "OLD vs OLD differed " + f.secondaryOld() + " of " + f.secondaryTrials() + " times";
                default -> "pinned in the config";
              } + "; hid " + f.discounted() + " when recorded" + (f.reclassified() > 0
                  ? ", and was in " + f.reclassified() + " mismatches recorded before it was learned" : "")));
        }
      }
    }
    if (!noise.isEmpty()) {
      out.println();
      out.println("Noise (differs between two answers of OLD itself; listed, never counted as a mismatch):");
      noise.stream().limit(12).forEach(out::println);
      if (noise.size() > 12) {
        out.println("  ... and " + (noise.size() - 12) + " more (" + fullLists + ")");
      }
    }
    unlearned(out, report);
  }

  /**
   * What each tap of a fleet contributed: a tap that stopped writing (marked when not seen for over 2 minutes before
   * the report), or sees little traffic, shows here.
   */
  public static void taps(PrintWriter out, Report report) {
    List<TapContribution> taps = report.taps() == null ? List.of() : report.taps();
    out.printf("Taps (%d):%n", taps.size());
    out.printf("  %-32s %10s %10s %8s %8s %9s  %s%n", "TAP", "COMPARED", "MISMATCHED", "ERRORS", "SKIPPED", "ENDPOINTS",
        "LAST SEEN");
    for (TapContribution t : taps) {
      out.printf("  %-32s %10d %10d %8d %8d %9d  %s%n", t.tap(), t.compared(), t.mismatched(), t.errors(), t.skipped(),
          t.endpoints(), t.lastSeen() == null ? "-" : Texts.lastSeen(t, report.generatedAt()));
    }
  }

  /** Endpoints that learned no noise because writes to OLD only came between their repeated reads: why. */
  private static void unlearned(PrintWriter out, Report report) {
    List<String> lines = new ArrayList<>();
    for (EndpointReport e : report.endpoints()) {
      if (e.repeatsAfterWrites() > 0 && e.noise().stream().noneMatch(f -> f.noise() != null)) {
        lines.add(String.format("  %-38s %d repeated read%s with a write between", abbreviate(e.endpoint(), 38),
            e.repeatsAfterWrites(), e.repeatsAfterWrites() == 1 ? "" : "s"));
      }
    }
    if (!lines.isEmpty()) {
      out.println();
      out.println("No noise learned where writes that reached OLD only came between identical reads (two states of the "
          + "data, not one; --old-secondary or noise.always learn it):");
      lines.stream().limit(8).forEach(out::println);
    }
  }

  /** The same difference on several endpoints: what to triage once. */
  private static void groups(PrintWriter out, Report report, String fullLists) {
    List<dev.shadowparity.report.DifferenceGroup> shared = report.groups().stream().filter(g -> g.endpoints().size() > 1).toList();
    if (!shared.isEmpty()) {
      out.println();
      out.println("Differences on several endpoints (triage once; parity accept --baseline FILE for the intended ones):");
      shared.stream().limit(8).forEach(g -> out.printf("  %-44s %-8s on %d endpoints, %d exchanges%s%n", abbreviate(g.field(), 44),
          g.kind(), g.endpoints().size(), g.count(), g.cause() == null ? "" : " (likely " + g.cause() + ")"));
      if (shared.size() > 8) {
        out.println("  ... and " + (shared.size() - 8) + " more (" + fullLists + ")");
      }
    }
    if (report.baseline() != null && !report.baseline().isEmpty()) {
      out.println();
      out.println("Accepted as intended (baseline):");
      for (dev.shadowparity.report.BaselineUse u : report.baseline()) {
        String where = u.endpoints().contains("*") ? "every endpoint" : String.join(", ", u.endpoints());
        out.printf("  %-10s %s%s on %s: %s%n", u.state().equals(dev.shadowparity.report.BaselineUse.STALE) ? "STALE" : u.state(),
            u.field(), u.kind() == null ? "" : " (" + u.kind() + ")", abbreviate(where, 60),
            switch (u.state()) {
              case dev.shadowparity.report.BaselineUse.IN_USE -> u.accepted() + " exchanges accepted";
              case dev.shadowparity.report.BaselineUse.STALE -> "no longer occurs: remove the entry";
              case dev.shadowparity.report.BaselineUse.RECORDED -> "matches mismatches recorded without it";
              default -> "no evidence for its endpoints yet";
            } + " (" + u.reason() + (u.by() == null ? "" : ", " + u.by()) + ")");
      }
    }
  }

  /** Endpoints whose mismatches are in some query shapes only: which feature broke. */
  private static void shapes(PrintWriter out, Report report) {
    List<String> lines = new ArrayList<>();
    for (EndpointReport e : report.endpoints()) {
      List<EndpointReport.QueryShapeCount> q = e.queryShapes();
      boolean split = q.size() > 1 && q.stream().anyMatch(x -> x.mismatched() > 0) && q.stream().anyMatch(x -> x.mismatched() == 0);
      if (split) {
        lines.add(String.format("  %-38s %s", abbreviate(e.endpoint(), 38), q.stream().limit(5)
            .map(x -> (x.shape().isEmpty() ? "(no query)" : x.shape()) + " " + x.mismatched() + "/" + x.compared())
            .collect(Collectors.joining(", "))));
      }
    }
    if (!lines.isEmpty()) {
      out.println();
      out.println("Mismatches by query shape (mismatched/compared), where some shapes are clean:");
      lines.stream().limit(8).forEach(out::println);
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }}
