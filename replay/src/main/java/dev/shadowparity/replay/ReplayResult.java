package dev.shadowparity.replay;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shadowparity.report.Report;
import java.util.List;
import java.util.Map;

/**
 * What a replay found: the engine's report, and what was read from the files.
 *
 * @param report the report document, as the tap serves it
 * @param input  what the files held
 */
public record ReplayResult(Report report, Input input) {

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
   */
  @JsonPropertyOrder({"files", "records", "sent", "corrupt", "problems", "ignored", "durationMillis", "stoppedAtLimit"})
  public record Input(List<FileInput> files, long records, long sent, long corrupt, List<InputProblem> problems,
      Map<String, Long> ignored, long durationMillis, boolean stoppedAtLimit) {

    public Input {
      files = List.copyOf(files);
      problems = List.copyOf(problems);
      ignored = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(ignored)); // stable order in reports
    }
  }

  /** One file's share. */
  @JsonPropertyOrder({"file", "format", "records", "corrupt", "ignored"})
  public record FileInput(String file, String format, long records, long corrupt, long ignored) {}
}
