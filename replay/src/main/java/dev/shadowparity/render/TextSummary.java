package dev.shadowparity.render;

import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.NoiseField;
import dev.shadowparity.report.Report;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The report as the command line prints it (demo, replay, report): for people at a terminal. */
public final class TextSummary {

  private TextSummary() {}

  /** Writes the totals, one line per endpoint (verdict, counts, top fields or what it still needs) and the noise. */
  public static void write(PrintWriter out, Report report) {
    Report.Totals t = report.totals();
    out.println();
    out.printf("%d compared: %d matched, %d noise only, %d mismatched%s; %d errors; %d not comparable; %d skipped%n",
        t.compared(), t.matched(), t.noiseOnly(), t.mismatched(),
        t.reclassified() > 0 ? " (" + t.reclassified() + " of them later found to be noise)" : "", t.errors(),
        t.notComparable(), t.skipped());
    out.println();
    out.printf("%-12s %-38s %8s %8s %7s  %s%n", "VERDICT", "ENDPOINT", "COMPARED", "MISMATCH", "RATE", "TOP FIELDS / NOTE");
    for (EndpointReport e : report.endpoints()) {
      String note;
      if (!e.fields().isEmpty()) {
        note = e.fields().stream().limit(3)
            .map(f -> f.field() + " (" + f.kind() + (f.cause() == null || f.cause().wireName().equals(f.kind()) ? ""
                : ", likely " + f.cause()) + ")")
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
    List<String> noise = new ArrayList<>();
    for (EndpointReport e : report.endpoints()) {
      for (NoiseField f : e.noise()) {
        if (f.noise() != null) {
          noise.add(String.format("  %-38s %-16s %s, %s", abbreviate(e.endpoint(), 38), f.field(), f.noise(),
              switch (f.noise()) {
                case "learned" -> "differed in " + f.oldDifferences() + " of " + f.oldComparisons() + " repeats of OLD";
                case "secondary" -> "OLD vs OLD differed " + f.secondaryOld() + " of " + f.secondaryTrials() + " times";
                default -> "pinned in the config";
              } + "; " + f.discounted() + " exchanges not counted"));
        }
      }
    }
    if (!noise.isEmpty()) {
      out.println();
      out.println("Noise (differs between two answers of OLD itself; listed, never counted as a mismatch):");
      noise.stream().limit(12).forEach(out::println);
      if (noise.size() > 12) {
        out.println("  ... and " + (noise.size() - 12) + " more (see /api/report)");
      }
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }}
