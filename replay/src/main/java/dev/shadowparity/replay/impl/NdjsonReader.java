package dev.shadowparity.replay.impl;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Reads the tap's NDJSON capture ({@code docs/capture-format.md}) one line at a time. A line over the record cap
 * ({@code limits.max-record-bytes}) is read to its end without being kept and reported as corrupt with its size.
 * The {@code new} member (NEW's recorded answer, which replay asks again) is skipped as the line is parsed, never
 * built, so that a line holds in memory little more than OLD's answer and the request.
 */
public final class NdjsonReader implements CaptureReader {

  private static final ObjectMapper JSON = Json.mapper();

  private final InputStream in;
  private final CountingInputStream counted;
  private final LineReader lines;
  private final int maxRecord;
  private boolean failed;

  /** A reader with the default record cap ({@code limits.max-record-bytes}). */
  public NdjsonReader(InputStream in, CountingInputStream counted) {
    this(in, counted, Json.DEFAULT_MAX_RECORD);
  }

  /** @param maxRecord the most bytes of one line kept ({@code limits.max-record-bytes}) */
  public NdjsonReader(InputStream in, CountingInputStream counted, int maxRecord) {
    this.in = in;
    this.counted = counted;
    this.maxRecord = maxRecord;
    this.lines = new LineReader(in, maxRecord);
  }

  @Override
  public CaptureItem next() {
    if (failed) {
      return null;
    }
    while (true) {
      try {
        if (!lines.next()) {
          return null;
        }
      } catch (IOException e) {
        failed = true;
        return new CaptureItem.Corrupt("after line " + lines.lineNumber(), "the file cannot be read further: " + e.getMessage());
      }
      String position = "line " + lines.lineNumber();
      if (lines.overLong()) {
        return new CaptureItem.Corrupt(position, Json.overCap(lines.size(), maxRecord));
      }
      if (isBlank(lines.buffer(), lines.length())) {
        continue;
      }
      try {
        return parse(readRecord(lines.buffer(), lines.length()), position);
      } catch (JsonProcessingException e) {
        return new CaptureItem.Corrupt(position, "not JSON: " + e.getOriginalMessage());
      } catch (IOException | BadRecord | RuntimeException e) {
        return new CaptureItem.Corrupt(position, String.valueOf(e.getMessage()));
      }
    }
  }

  /**
   * The line as a tree, without its {@code new} member: skipped token by token (its strings are never built). What
   * is not an object is read whole, for {@link #parse} to say so.
   */
  private static JsonNode readRecord(byte[] line, int length) throws IOException {
    try (JsonParser p = JSON.createParser(line, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return JSON.readTree(line, 0, length);
      }
      ObjectNode root = JSON.createObjectNode();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        if (t != JsonToken.FIELD_NAME) {
          throw new JsonParseException(p, "expected a field name, found " + t);
        }
        String name = p.currentName();
        p.nextToken();
        if (name.equals("new")) {
          p.skipChildren();
        } else {
          root.set(name, JSON.readTree(p));
        }
      }
      return root;
    }
  }

  /** The last {@code ts} read and its instant: records of one millisecond (or second) share it, and parsing costs. */
  private String lastTs;
  private long lastTsMillis;

  private long epochMillis(String ts) throws BadRecord {
    if (ts.equals(lastTs)) {
      return lastTsMillis;
    }
    try {
      long millis = Instant.parse(ts).toEpochMilli();
      lastTs = ts;
      lastTsMillis = millis;
      return millis;
    } catch (DateTimeParseException e) {
      throw new BadRecord("ts '" + Json.quoted(ts) + "' is not an ISO-8601 instant");
    }
  }

  private CaptureItem parse(JsonNode root, String position) throws BadRecord {
    if (!root.isObject()) {
      throw new BadRecord("not a JSON object");
    }
    JsonNode req = Json.object(root, "request");
    if (req.hasNonNull("bodyOmitted")) {
      // the tap left the request's body out (a gRPC body without capture.grpc-bodies, or one over the copy cap): it
      // cannot be sent again as it was
      return new CaptureItem.Ignored(position, "request body not recorded");
    }
    JsonNode protocol = req.get("protocol");
    if (protocol != null && !protocol.isNull() && !protocol.isTextual()) {
      throw new BadRecord("request.protocol must be a string such as \"HTTP/2\"");
    }
    RecordedRequest request = Requests.checked(Json.text(req, "method", "request"), Json.text(req, "uri", "request"),
        headers(req, "request"), body(req, "request"), protocol == null || protocol.isNull() ? null : protocol.asText());
    RecordedResponse old = null;
    JsonNode o = root.get("old");
    // a body the tap left out (over the copy cap, or one it could not check for secrets): status and headers are
    // still OLD's answer, the body is not recorded
    boolean bodyRecorded = o == null || !o.hasNonNull("bodyOmitted");
    if (o != null && o.isObject() && o.hasNonNull("status")) {
      JsonNode status = o.get("status");
      if (!status.canConvertToInt() || status.asInt() < 100 || status.asInt() > 999) {
        throw new BadRecord("old.status must be an HTTP status, not " + Json.quoted(status.toString()));
      }
      double latencyMs = o.path("latencyMs").asDouble(0);
      old = new RecordedResponse(status.asInt(), headers(o, "old"), bodyRecorded ? body(o, "old") : new byte[0],
          (long) (latencyMs * 1_000_000), headers(o, "trailers", "old"));
    }
    long millis = -1;
    JsonNode ts = root.get("ts");
    if (ts != null && ts.isTextual()) {
      millis = epochMillis(ts.asText());
    }
    CaptureItem.Captured c = new CaptureItem.Captured(request, old, millis, position);
    return bodyRecorded ? c : new CaptureItem.Captured(request, old, millis, position, c.host(),
        java.util.Set.of(dev.shadowparity.engine.Unrecorded.BODY));
  }

  private static Headers headers(JsonNode parent, String where) throws BadRecord {
    return headers(parent, "headers", where);
  }

  /** {@code [name, value]} pairs under {@code field} ({@code headers} or {@code trailers}). */
  private static Headers headers(JsonNode parent, String field, String where) throws BadRecord {
    JsonNode h = parent.get(field);
    Headers.Builder b = Headers.builder();
    if (h == null || h.isNull()) {
      return b.build();
    }
    if (!h.isArray()) {
      throw new BadRecord(where + "." + field + " must be an array of [name, value] pairs");
    }
    for (JsonNode pair : h) {
      if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
        throw new BadRecord(where + "." + field + " must be an array of [name, value] pairs, found " + abbreviate(pair));
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

  private static boolean isBlank(byte[] line, int length) {
    for (int i = 0; i < length; i++) {
      byte b = line[i];
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
