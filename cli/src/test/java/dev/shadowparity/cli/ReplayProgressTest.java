package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The progress output of {@code parity replay} on stderr, for a replay slowed down by {@code --rate} so that
 * it lasts a few seconds: the live line ({@code line}), the log lines ({@code log}), nothing ({@code none}),
 * and the summary line printed when the replay ends.
 */
class ReplayProgressTest {

  static ShopBackends shop;

  /** Live line: carriage return and erase-line, then the counts, and no line end. */
  static final String LIVE = "\r\033[K";
  static final Pattern LIVE_LINE = Pattern.compile(Pattern.quote(LIVE)
      + "(\\d+) done \\((\\d+)% of the input\\)(?:, ETA (\\d+):(\\d\\d))?, (\\d+)/s, (\\d+) mismatched(?=\r|$)");
  static final Pattern LIVE_LINE_LIMIT = Pattern.compile(Pattern.quote(LIVE)
      + "(\\d+) done/6(?:, ETA (\\d+):(\\d\\d))?, (\\d+)/s, (\\d+) mismatched(?=\r|$)");
  static final Pattern LOG_LINE = Pattern.compile(
      "^parity replay: (\\d+) done \\((\\d+)% of the input\\)(?:, ETA \\d+:\\d\\d)?, (\\d+)/s, (\\d+) mismatched$",
      Pattern.MULTILINE);

  @BeforeAll
  static void start() {
    shop = new ShopBackends();
  }

  @AfterAll
  static void stop() {
    shop.close();
  }

  /** The shop HAR (10 safe requests, 2 of them mismatched) at 5 requests per second (about 1.8 s) unless told. */
  static ReplayCommandTest.Run replay(String... more) {
    List<String> args = new ArrayList<>(List.of("replay", ShopBackends.HAR.toString(), "--old", shop.oldUrl(), "--new",
        shop.newUrl(), "--config", shop.config.toString(), "--fail-on", "never"));
    if (!List.of(more).contains("--rate")) {
      args.addAll(List.of("--rate", "5"));
    }
    args.addAll(List.of(more));
    return ReplayCommandTest.run(args.toArray(String[]::new));
  }

  @Test
  void line_rewritesOneLiveLineWhileReplaying_thenPrintsTheSummaryLine() {
    ReplayCommandTest.Run r = replay("--progress", "line");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    String err = r.err();
    // everything before the summary is live lines, each starting with CR + erase-line and none ending the line
    int summary = err.lastIndexOf(LIVE + "parity replay: ");
    assertThat(summary).as(err).isPositive();
    String live = err.substring(0, summary);
    assertThat(live).doesNotContain("\n").startsWith(LIVE);
    List<long[]> lines = new ArrayList<>();
    Matcher m = LIVE_LINE.matcher(live);
    int matched = 0;
    while (m.find()) {
      assertThat(m.start()).as("no text between live lines: " + live).isEqualTo(matched);
      matched = m.end();
      lines.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6))});
    }
    assertThat(matched).as("every live line is well formed: " + live).isEqualTo(live.length());
    // ticks every 500 ms over ~1.8 s
    assertThat(lines).as(live).hasSizeBetween(2, 5);
    assertThat(lines.get(0)[0]).as("the first line comes while the replay is going on").isBetween(1L, 9L);
    for (int i = 1; i < lines.size(); i++) {
      assertThat(lines.get(i)[0]).as("done never goes back").isGreaterThanOrEqualTo(lines.get(i - 1)[0]);
    }
    for (long[] l : lines) {
      assertThat(l[1]).as("rate, capped at 5/s").isBetween(1L, 7L);
      assertThat(l[2]).as("mismatched").isBetween(0L, 2L);
    }

    // the live line is erased, then the summary is printed as a full line with the final counts
    String last = err.substring(summary + LIVE.length());
    assertThat(last).matches("parity replay: 10 done \\(100% of the input\\), \\d+/s, 2 mismatched\n");
    assertThat(rate(last)).as("10 requests in about 1.8 s").isBetween(4L, 6L);
    assertThat(r.out()).contains("10 compared");
  }

  @Test
  void line_withLimit_showsTheTotalAndAnEta_theSummaryHasNoEta() {
    ReplayCommandTest.Run r = replay("--progress", "line", "--limit", "6", "--rate", "3");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    String err = r.err();
    int summary = err.lastIndexOf(LIVE + "parity replay: ");
    assertThat(summary).as(err).isPositive();
    String live = err.substring(0, summary);
    Matcher m = LIVE_LINE_LIMIT.matcher(live);
    int lines = 0;
    int withEta = 0;
    while (m.find()) {
      lines++;
      long done = Long.parseLong(m.group(1));
      long rate = Long.parseLong(m.group(4));
      assertThat(done).isBetween(0L, 6L);
      if (m.group(2) != null) {
        withEta++;
        long eta = Long.parseLong(m.group(2)) * 60 + Long.parseLong(m.group(3));
        assertThat(m.group(3)).hasSize(2);
        // ETA = what is left over the rate so far (the printed rate is rounded: allow for it)
        assertThat(eta).as(m.group()).isBetween((long) ((6 - done) / (rate + 0.5)) - 1, (long) ((6 - done) / Math.max(0.01, rate - 0.5)) + 1);
      } else {
        assertThat(done).as("no ETA only once done, or before the first answer: " + m.group()).isIn(0L, 6L);
      }
    }
    // 6 requests at 3/s: about 1.7 s, ticks at 0.5, 1.0, 1.5 s
    assertThat(lines).as(live).isBetween(2, 4);
    assertThat(withEta).as(live).isPositive();
    assertThat(live.replaceAll(LIVE_LINE_LIMIT.pattern(), "")).as("only well-formed live lines: " + live).isEmpty();
    String last = err.substring(summary + LIVE.length());
    assertThat(last).matches("parity replay: 6 done/6, \\d+/s, 1 mismatched\n");
  }

  @Test
  void log_printsAFullLinePerPeriod_andTheSummary() {
    ReplayCommandTest.Run r = replay("--progress", "log", "--progress-log-period", "400ms");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    String err = r.err();
    assertThat(err).doesNotContain("\r").doesNotContain("\033");
    List<String> lines = err.lines().toList();
    assertThat(lines).as(err).allSatisfy(l -> assertThat(l).matches(LOG_LINE.pattern().replace("^", "").replace("$", "")));
    // ~1.8 s at one line per 400 ms: 3 or 4 lines, then the summary
    assertThat(lines).as(err).hasSizeBetween(3, 6);
    Matcher first = LOG_LINE.matcher(lines.get(0));
    assertThat(first.matches()).isTrue();
    assertThat(Long.parseLong(first.group(1))).as("a line while the replay is going on").isBetween(1L, 9L);
    assertThat(lines.get(lines.size() - 1)).matches("parity replay: 10 done \\(100% of the input\\), \\d+/s, 2 mismatched");
    assertThat(err).endsWith("\n");
  }

  @Test
  void log_byDefault_waitsTenSeconds_soAShortReplayShowsOnlyTheSummary() {
    // auto is log here: the tests' stderr is not a terminal
    for (String mode : List.of("log", "auto")) {
      ReplayCommandTest.Run r = replay("--progress", mode);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
      assertThat(r.err()).as(mode).matches("parity replay: 10 done \\(100% of the input\\), \\d+/s, 2 mismatched\n");
    }
  }

  @Test
  void none_printsNoProgressWhileReplaying_onlyTheSummaryLine() {
    ReplayCommandTest.Run r = replay("--progress", "none");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.err()).doesNotContain("\r").doesNotContain("\033")
        .matches("parity replay: 10 done \\(100% of the input\\), \\d+/s, 2 mismatched\n");
  }

  @Test
  void badProgressValues_areUsageErrors() {
    ReplayCommandTest.Run mode = replay("--progress", "fancy");
    assertThat(mode.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(mode.err()).contains("--progress: 'fancy' is not one of auto, line, log, none");
    ReplayCommandTest.Run period = replay("--progress", "log", "--progress-log-period", "often");
    assertThat(period.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(period.err()).contains("'often' is not a duration");
  }

  private static long rate(String line) {
    Matcher m = Pattern.compile(", (\\d+)/s,").matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return Long.parseLong(m.group(1));
  }
}
