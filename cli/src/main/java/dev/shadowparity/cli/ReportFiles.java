package dev.shadowparity.cli;

import dev.shadowparity.replay.FailOn;
import dev.shadowparity.replay.ReplayResult;
import dev.shadowparity.render.HtmlReport;
import dev.shadowparity.render.JsonReport;
import dev.shadowparity.render.JunitReport;
import dev.shadowparity.render.MarkdownReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The report files and the fail condition shared by {@code parity replay} and {@code parity report} (a picocli mixin). */
final class ReportFiles {

  @Option(names = "--report", paramLabel = "FILE", description = "Write a self-contained HTML report.")
  Path html;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the report document as JSON (docs/report-format.md).")
  Path json;

  @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML: one testcase per endpoint.")
  Path junit;

  @Option(names = "--markdown", paramLabel = "FILE", description = "Write a short Markdown summary (for a pull request).")
  Path markdown;

  @Option(names = "--fail-on", paramLabel = "WHEN",
      description = "mismatch (any endpoint with a mismatch or NEW failure), failing (any FAILING verdict) or never. "
          + "Default: ${DEFAULT-VALUE}.")
  String failOn = "failing";

  /** The {@code --fail-on} condition; an unknown name fails with a message. */
  FailOn failOn() {
    return FailOn.fromName(failOn);
  }

  /** Writes every report asked for. */
  void write(ReplayResult result, FailOn fail) throws IOException {
    write(html, HtmlReport.write(result, fail));
    write(json, JsonReport.write(result));
    write(junit, JunitReport.write(result, fail));
    write(markdown, MarkdownReport.write(result, fail));
  }

  /** Writes one file (creating its folder); nothing when {@code file} is null. */
  static void write(Path file, String content) throws IOException {
    if (file != null) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, content, StandardCharsets.UTF_8);
    }
  }
}
