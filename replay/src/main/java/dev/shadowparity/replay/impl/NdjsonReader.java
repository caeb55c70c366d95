package dev.shadowparity.replay.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.replay.CaptureFormat;
import dev.shadowparity.replay.CaptureItem;
import dev.shadowparity.replay.CaptureReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** Reads the tap's NDJSON capture ({@code docs/capture-format.md}) one line at a time. */
public final class NdjsonReader implements CaptureReader {

  /** A line may hold two 8 MiB bodies in base64 and their headers. */
  static final int MAX_LINE = 64 * 1024 * 1024;
  private static final ObjectMapper JSON = Json.mapper();

  private final InputStream in;
  private final CountingInputStream counted;
  private final LineReader lines;
  private boolean failed;

  public NdjsonReader(InputStream in, CountingInputStream counted) {
    this.in = in;
    this.counted = counted;
    this.lines = new LineReader(in, MAX_LINE);
  }

  @Override
  public CaptureItem next() {
    if (failed) {
      return null;
    }
    while (true) {
      byte[] line;
      try {
        line = lines.next();
      } catch (IOException e) {
        failed = true;
        return new CaptureItem.Corrupt("after line " + lines.lineNumber(), "the file cannot be read further: " + e.getMessage());
      }
      if (line == null) {
        return null;
      }
      String position = "line " + lines.lineNumber();
      if (lines.overLong()) {
        return new CaptureItem.Corrupt(position, "line longer than " + MAX_LINE + " bytes");
      }
      if (isBlank(line)) {
        continue;
      }
      try {
        return parse(JSON.readTree(line), position);
      } catch (JsonProcessingException e) {
        return new CaptureItem.Corrupt(position, "not JSON: " + e.getOriginalMessage());
      } catch (IOException | BadRecord | RuntimeException e) {
        return new CaptureItem.Corrupt(position, String.valueOf(e.getMessage()));
      }
    }
  }

  private static CaptureItem parse(JsonNode root, String position) throws BadRecord {
    if (!root.isObject()) {
      throw new BadRecord("not a JSON object");
    }
    JsonNode req = Json.object(root, "request");
    RecordedRequest request = Requests.checked(Json.text(req, "method", "request"), Json.text(req, "uri", "request"),
        headers(req, "request"), body(req, "request"));
    RecordedResponse old = null;
    JsonNode o = root.get("old");
    // a body the tap left out (over the copy cap, or one it could not check for secrets): status and headers are
    // still OLD's answer, the body is not recorded
    boolean bodyRecorded = o == null || !o.hasNonNull("bodyOmitted");
    if (o != null && o.isObject() && o.hasNonNull("status")) {
      JsonNode status = o.get("status");
      if (!status.canConvertToInt() || status.asInt() < 100 || status.asInt() > 999) {
        throw new BadRecord("old.status must be an HTTP status, not " + status);
      }
      double latencyMs = o.path("latencyMs").asDouble(0);
      old = new RecordedResponse(status.asInt(), headers(o, "old"), bodyRecorded ? body(o, "old") : new byte[0],
          (long) (latencyMs * 1_000_000));
    }
    long millis = -1;
    JsonNode ts = root.get("ts");
    if (ts != null && ts.isTextual()) {
      try {
        millis = Instant.parse(ts.asText()).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new BadRecord("ts '" + ts.asText() + "' is not an ISO-8601 instant");
      }
    }
    CaptureItem.Captured c = new CaptureItem.Captured(request, old, millis, position);
    return bodyRecorded ? c : new CaptureItem.Captured(request, old, millis, position, c.host(),
        java.util.Set.of(dev.shadowparity.engine.Unrecorded.BODY));
  }

  private static Headers headers(JsonNode parent, String where) throws BadRecord {
    JsonNode h = parent.get("headers");
    Headers.Builder b = Headers.builder();
    if (h == null || h.isNull()) {
      return b.build();
    }
    if (!h.isArray()) {
      throw new BadRecord(where + ".headers must be an array of [name, value] pairs");
    }
    for (JsonNode pair : h) {
      if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
        throw new BadRecord(where + ".headers must be an array of [name, value] pairs, found " + abbreviate(pair));
      }
      b.add(pair.get(0).asText(), pair.get(1).asText());
    }
    return b.build();
  }

  private static byte[] body(JsonNode parent, String where) throws BadRecord {
    JsonNode text = parent.get("body");
    JsonNode base64 = parent.get("bodyBase64");
    if (text != null && !text.isNull()) {
      if (!text.isTextual()) {
        throw new BadRecord(where + ".body must be a string");
      }
      return text.asText().getBytes(StandardCharsets.UTF_8);
    }
    if (base64 != null && !base64.isNull()) {
      try {
        return Base64.getDecoder().decode(base64.asText());
      } catch (IllegalArgumentException e) {
        throw new BadRecord(where + ".bodyBase64 is not base64: " + e.getMessage());
      }
    }
    return new byte[0];
  }

  private static String abbreviate(JsonNode n) {
    String s = n.toString();
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  @Override
  public CaptureFormat format() {
    return CaptureFormat.TAP;
  }

  @Override
  public long bytesRead() {
    return counted.count();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
