package dev.shadowparity.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigException;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.http.HttpParseException;
import dev.shadowparity.http.RawHttp;
import dev.shadowparity.report.ReportJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parity compare OLD NEW}: one pair of responses through the full comparison. */
@Command(name = "compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Compares two saved responses the way the tap and replay do, and lists what differs after normalization.",
        "Each file is either a raw HTTP/1.x response exactly as 'curl -si URL > file' saves it, or a bare body.",
        "A file is read whole, up to limits.max-record-bytes (--config; default 8 MiB); a larger one is refused.",
        "Exit code: 0 equal, 1 different, 2 bad input (a file over the cap included)."
    })
final class CompareCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OLD", description = "The OLD backend's response (raw HTTP or bare body).")
  Path oldFile;

  @Parameters(index = "1", paramLabel = "NEW", description = "The NEW backend's response (raw HTTP or bare body).")
  Path newFile;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML config with normalization rules (see docs/configuration.md). Default: built-in rules.")
  Path config;

  @Option(names = "--endpoint", paramLabel = "REQUEST",
      description = "The request the responses answer, e.g. \"GET /api/products/7\": picks that endpoint's rules "
          + "from the config and names the endpoint in the output. Default: none (global rules only).")
  String endpoint;

  @Option(names = "--content-type", paramLabel = "TYPE",
      description = "Content-Type assumed for bare-body files (raw HTTP files carry their own). "
          + "Default: none, the kind is sniffed from the bytes.")
  String contentType;

  @Option(names = "--json", description = "Print a JSON document ({match, endpoint, differences}) instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ParityConfig cfg;
    RecordedResponse oldResponse;
    RecordedResponse newResponse;
    RecordedRequest request = null;
    try {
      cfg = ConfigLoader.load(config);
      long cap = cfg.limits().maxRecordBytes();
      oldResponse = read(oldFile, cap);
      newResponse = read(newFile, cap);
      if (endpoint != null) {
        request = parseRequestLine(endpoint);
      }
    } catch (ConfigException | InputException e) {
      err.println("parity compare: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    ParityEngine engine = new ParityEngine(cfg);
    String endpointName = request == null ? null : engine.endpointOf(request);
    Comparison result = engine.compare(request, oldResponse, newResponse,
        endpointName == null ? cfg.globalRules() : engine.rulesFor(endpointName));
    if (json) {
      printJson(out, endpointName, result);
    } else {
      printText(out, endpointName, result);
    }
    out.flush();
    return result.match() ? ExitCodes.OK : ExitCodes.DIFFERENT;
  }

  /**
   * The response in {@code file}, read up to {@code cap} bytes and one more: a larger file (or a device that never
   * ends, such as {@code /dev/zero}) is refused without being held.
   */
  private RecordedResponse read(Path file, long cap) throws InputException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
    if (bytes.length > cap) {
      throw new InputException(file + ": over " + cap + " bytes (limits.max-record-bytes); parity compare reads a "
          + "response whole, so a larger one needs a larger limits.max-record-bytes in --config (and the heap for it)");
    }
    if (RawHttp.looksLikeResponse(bytes)) {
      try {
        return RawHttp.parseResponse(bytes);
      } catch (HttpParseException e) {
        throw new InputException(file + ": starts like an HTTP response but " + e.getMessage());
      }
    }
    Headers headers = contentType == null ? Headers.empty() : Headers.of("Content-Type", contentType);
    return new RecordedResponse(200, headers, bytes);
  }

  private static RecordedRequest parseRequestLine(String text) throws InputException {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 2 || !parts[1].startsWith("/")) {
      throw new InputException("--endpoint '" + text + "' must be METHOD and path, e.g. \"GET /api/products/7\"");
    }
    return new RecordedRequest(parts[0], parts[1], Headers.empty(), null);
  }

  private static void printJson(PrintWriter out, String endpointName, Comparison result) {
    ObjectNode doc = ReportJson.mapper().createObjectNode();
    doc.put("match", result.match());
    if (endpointName != null) {
      doc.put("endpoint", endpointName);
    }
    doc.set("differences", ReportJson.mapper().valueToTree(result.differences()));
    if (result.truncated()) {
      doc.put("truncated", true);
    }
    try {
      out.println(ReportJson.mapper().writeValueAsString(doc));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serializes", e);
    }
  }

  private void printText(PrintWriter out, String endpointName, Comparison result) {
    out.println("OLD  " + oldFile + "  (" + result.oldBody() + ")");
    out.println("NEW  " + newFile + "  (" + result.newBody() + ")");
    if (endpointName != null) {
      out.println("Endpoint  " + endpointName);
    }
    out.println();
    if (result.match()) {
      out.println("EQUAL after normalization: no differences.");
      return;
    }
    int width = 10;
    for (Difference d : result.differences()) {
      width = Math.max(width, label(d).length());
    }
    width = Math.min(width, 48);
    out.println(result.differences().size() + (result.truncated() ? "+" : "") + " difference"
        + (result.differences().size() == 1 ? "" : "s") + " at " + result.fields().size() + " field"
        + (result.fields().size() == 1 ? "" : "s") + ":");
    for (Difference d : result.differences()) {
      out.printf("  %-" + width + "s  %-12s  %s -> %s%s%n", label(d), d.kind().wireName(),
          shown(d.oldValue()), shown(d.newValue()), d.cause() == null ? "" : "    likely " + d.cause().wireName());
      if (d.detail() != null) {
        for (String line : d.detail().split("\n")) {
          out.println("      " + line);
        }
      }
    }
    out.println();
    out.println("DIFFERENT");
  }

  private static String label(Difference d) {
    boolean showPath = !d.path().isEmpty() && !d.path().equals(d.field()) && !d.field().equals("header:" + d.path());
    return showPath ? d.field() + " @ " + d.path() : d.field();
  }

  private static String shown(String value) {
    if (value == null) {
      return "(absent)";
    }
    return value.replace("\n", "\\n");
  }

  /** Bad input named for the user; turned into exit code 2. */
  static final class InputException extends Exception {
    InputException(String message) {
      super(message);
    }
  }
}
