package dev.shadowparity.cli;

import dev.shadowparity.baseline.Baseline;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --baseline FILE} of tap, replay and report: the reviewed file of accepted differences. */
final class BaselineOption {

  @Option(names = "--baseline", paramLabel = "FILE",
      description = "Reviewed YAML file of known, intended differences (written by parity accept): listed as accepted, "
          + "never counted; entries that no longer occur are reported as stale. Default: none.")
  Path file;

  /**
   * The baseline, {@link Baseline#NONE} without the option; a file that does not exist yet is an empty baseline
   * (said on {@code err}), so that the admin page's accept button can create it.
   *
   * @throws dev.shadowparity.config.ConfigException for a file that cannot be read or holds a bad entry
   */
  Baseline load(java.io.PrintWriter err, String command) {
    if (file == null) {
      return Baseline.NONE;
    }
    if (!Files.exists(file)) {
      err.println(command + ": baseline " + file + " does not exist yet: nothing is accepted until an entry is added "
          + "(parity accept --baseline " + file + " ...)");
    }
    return Baseline.load(file);
  }
}
