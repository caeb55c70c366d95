package dev.shadowparity.replay;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shadowparity.report.Report;
import java.util.List;
import java.util.Map;

/**
 * What a replay found: the engine's report, and what was read from the files.
 *
 * @param report    the report document, as the tap serves it
 * @param input     what the files held
 * @param notJudged why the run judges nothing, when it does not (nothing was sent, or nothing was compared because
 *                  every request failed): every report says so in its headline, never "no endpoint fails"
 */
public record ReplayResult(Report report, Input input,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String notJudged) {

  /** A result that judged what it read. */
  public ReplayResult(Report report, Input input) {
    this(report, input, null);
  }

  /** This result, saying why it judges nothing. */
  public ReplayResult notJudged(String why) {
    return new ReplayResult(report, input, why);
  }

  /**
   * What was read.
   *
   * @param files          per file: format and counts
   * @param records        records read in all (requests, corrupt and ignored)
   * @param sent           requests replayed
   * @param corrupt        records that could not be read
   * @param problems       the first {@link Replayer#MAX_PROBLEMS_KEPT} of them, with positions
   * @param ignored        well-formed records replay cannot send, by reason
   * @param durationMillis how long the replay took
   * @param stoppedAtLimit whether {@code --limit} ended it before the files did
   * @param otherHosts     requests not replayed because they went to another host than {@code --host}, per host (at
   *                       most {@value Replayer#MAX_HOSTS_LISTED} hosts listed; the rest under {@code (other hosts)})
   * @param unconditioned  recorded revalidations (a 200 recorded for a request with {@code If-None-Match} or
   *                       {@code If-Modified-Since}) sent to NEW without those headers, so that it answers the same
   *                       representation instead of a 304
   * @param http2          requests sent over HTTP/2 (recorded over HTTP/2 and needing it: gRPC, or an https backend)
   */
  @JsonPropertyOrder({"files", "records", "sent", "corrupt", "problems", "ignored", "otherHosts", "unconditioned",
      "http2", "durationMillis", "stoppedAtLimit"})
  public record Input(List<FileInput> files, long records, long sent, long corrupt, List<InputProblem> problems,
      Map<String, Long> ignored, long durationMillis, boolean stoppedAtLimit, Map<String, Long> otherHosts,
      long unconditioned, long http2) {

    public Input(List<FileInput> files, long records, long sent, long corrupt, List<InputProblem> problems,
        Map<String, Long> ignored, long durationMillis, boolean stoppedAtLimit, Map<String, Long> otherHosts,
        long unconditioned) {
      this(files, records, sent, corrupt, problems, ignored, durationMillis, stoppedAtLimit, otherHosts, unconditioned, 0);
    }

    public Input {
      files = List.copyOf(files);
      problems = List.copyOf(problems);
      ignored = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(ignored)); // stable order in reports
      otherHosts = otherHosts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(otherHosts));
    }
  }

  /**
   * One file's share.
   *
   * @param hosts       the hosts whose requests were replayed; empty: every host
   * @param hostChosen  whether {@code hosts} is the file's most frequent host, chosen because {@code --host} was not
   *                    given
   */
  @JsonPropertyOrder({"file", "format", "records", "corrupt", "ignored", "hosts", "hostChosen"})
  public record FileInput(String file, String format, long records, long corrupt, long ignored, List<String> hosts,
      boolean hostChosen) {

    public FileInput {
      hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
  }
}
