package dev.shadowparity.cli;

import dev.shadowparity.baseline.Baseline;
import dev.shadowparity.baseline.BaselineEntry;
import dev.shadowparity.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parity accept}: adds a known, intended difference to a reviewed baseline file. */
@Command(name = "accept",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Accepts a known, intended difference: adds an entry (field, kind, endpoints, values, reason, who, when) to a "
            + "baseline file meant to be reviewed and committed. Taps, replays and reports given --baseline FILE then "
            + "list the difference as accepted and never count it; an entry that no longer occurs is reported as stale.",
        "Example: parity accept --baseline parity-baseline.yaml --field header:access-control-allow-origin "
            + "--kind value --new '*' --reason 'blanket CORS policy, reviewed in SEC-112'",
        "Exit code: 0 when the entry was added, 2 on usage errors, a bad baseline file or an entry already there."
    })
final class AcceptCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--baseline", paramLabel = "FILE", required = true,
      description = "The baseline file; created when it does not exist.")
  Path file;

  @Option(names = "--field", paramLabel = "FIELD", required = true,
      description = "The field key as the report names it: header:NAME, status, body, a JSON pointer such as /id or /items/*/price.")
  String field;

  @Option(names = "--kind", paramLabel = "KIND",
      description = "value, type, missing, extra, array-length, array-order, undecodable or size. Default: any kind.")
  String kind;

  @Option(names = "--endpoint", paramLabel = "ENDPOINT",
      description = "An endpoint as the report names it, e.g. 'GET /posts/{id}' (repeatable). Default: every endpoint.")
  List<String> endpoints;

  @Option(names = "--old", paramLabel = "VALUE",
      description = "Only when OLD's value is this text, or matches /regex/ (the whole value). Default: any value.")
  String old;

  @Option(names = "--new", paramLabel = "VALUE", description = "Only when NEW's value is this text or matches /regex/. Default: any.")
  String neu;

  @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why the difference is intended.")
  String reason;

  @Option(names = "--by", paramLabel = "WHO", description = "Who accepts it. Default: the USER environment variable.")
  String by;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String who = by != null ? by : System.getenv().getOrDefault("USER", System.getProperty("user.name", "unknown"));
    try {
      BaselineEntry entry = new BaselineEntry(field, kind, endpoints, old, neu, reason, who,
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      Baseline baseline = Baseline.append(file, entry);
      out.println("Accepted " + entry.field() + (entry.kind() == null ? "" : " (" + entry.kind() + ")") + " on "
          + (entry.endpoints().contains(BaselineEntry.ALL) ? "every endpoint" : String.join(", ", entry.endpoints()))
          + " as entry " + entry.id() + " in " + file + " (" + baseline.entries().size() + " entries). Review and commit it.");
      return ExitCodes.OK;
    } catch (ConfigException e) {
      err.println("parity accept: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (dev.shadowparity.config.InvalidValueException e) {
      err.println("parity accept: --" + e.key() + ": " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("parity accept: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IOException e) {
      err.println("parity accept: cannot write " + file + ": " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
  }
}
