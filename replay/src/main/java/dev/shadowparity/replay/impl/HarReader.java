package dev.shadowparity.replay.impl;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.MediaType;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.Unrecorded;
import dev.shadowparity.replay.CaptureFormat;
import dev.shadowparity.replay.CaptureItem;
import dev.shadowparity.replay.CaptureReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Streams the entries of a HAR 1.2 file ({@code log.entries[]}) one at a time: {@link HarEntries} finds each entry's
 * bytes (up to the record cap, {@code limits.max-record-bytes}) and only the current entry is held as a tree. An
 * entry over the cap is read past without being kept and reported as corrupt with its size; the entries after it
 * are read. A syntax error ends the file (JSON cannot be resynchronized) after what was read.
 *
 * <p>Why one file of this length: a HAR entry's every part (request, postData, response content and its encodings) is
 * read in one streaming pass with its positions for error messages.
 */
public final class HarReader implements CaptureReader {

  /** Request headers that describe the recorded connection or body framing, not the request. */
  private static final Set<String> DROPPED_REQUEST = Set.of("content-length", "connection", "keep-alive",
      "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade");

  private final InputStream in;
  private final CountingInputStream counted;
  private final HarEntries entries;
  private final int maxRecord;
  private boolean started;
  private boolean finished;
  private long entryIndex;

  /** A reader with the default record cap ({@code limits.max-record-bytes}). */
  public HarReader(InputStream in, CountingInputStream counted) throws IOException {
    this(in, counted, Json.DEFAULT_MAX_RECORD);
  }

  /** @param maxRecord the most bytes of one entry kept ({@code limits.max-record-bytes}) */
  public HarReader(InputStream in, CountingInputStream counted, int maxRecord) throws IOException {
    this.in = in;
    this.counted = counted;
    this.maxRecord = maxRecord;
    this.entries = new HarEntries(in, maxRecord, Json.factory().streamReadConstraints().getMaxNestingDepth());
  }

  @Override
  public CaptureItem next() {
    if (finished) {
      return null;
    }
    try {
      if (!started) {
        started = true;
        String problem = entries.seek();
        if (problem != null) {
          finished = true;
          return new CaptureItem.Corrupt(entries.where(), problem);
        }
      }
      HarEntries.Entry e = entries.next();
      if (e == null) {
        finished = true;
        return null;
      }
      entryIndex++;
      String position = "entry " + entryIndex + " (line " + e.line() + ", column " + e.column() + ")";
      if (e.over()) {
        return new CaptureItem.Corrupt(position, Json.overCap(e.size(), maxRecord));
      }
      JsonNode entry;
      try {
        entry = Json.mapper().readTree(e.bytes(), 0, e.length());
      } catch (JsonProcessingException x) {
        // what the scanner let pass and Jackson did not (say, bytes that are not UTF-8, a number past Jackson's limits):
        // the scanner found where the entry ends, so only this entry is lost and reading goes on
        JsonLocation loc = x.getLocation();
        String at = loc == null ? position
            : position + " at line " + (e.line() + loc.getLineNr() - 1) + ", column "
                + (loc.getLineNr() == 1 ? e.column() + loc.getColumnNr() - 1 : loc.getColumnNr());
        return new CaptureItem.Corrupt(at, "not a valid entry, skipped: " + x.getOriginalMessage());
      }
      try {
        return entry(entry, position);
      } catch (BadRecord | RuntimeException x) {
        return new CaptureItem.Corrupt(position, String.valueOf(x.getMessage()));
      }
    } catch (HarEntries.SyntaxError x) {
      finished = true;
      String at = "line " + x.line() + ", column " + x.column();
      return new CaptureItem.Corrupt(at, "not valid JSON, reading stops here: " + x.getMessage());
    } catch (IOException x) {
      finished = true;
      return new CaptureItem.Corrupt(entries.where(), "the file cannot be read further: " + x.getMessage());
    }
  }

  private static CaptureItem entry(JsonNode entry, String position) throws BadRecord {
    if (!entry.isObject()) {
      throw new BadRecord("an entry must be an object");
    }
    JsonNode req = Json.object(entry, "request");
    String method = Json.text(req, "method", "request");
    String url = Json.text(req, "url", "request");
    // split by hand: browsers leave characters such as { } | [ ] unescaped in queries, which java.net.URI rejects
    int colon = url.indexOf(':');
    String scheme = colon > 0 ? url.substring(0, colon).toLowerCase(Locale.ROOT) : "";
    if (!scheme.equals("http") && !scheme.equals("https")) {
      // the reason is a count's key: only a short scheme-like token is named, so a hostile file cannot grow the counts
      // or the reasons (found by fuzzing: a 9,000-character "scheme")
      String named = scheme.isEmpty() ? "relative" : scheme.matches("[a-z][a-z0-9+.-]{0,15}") ? scheme + ":" : "other scheme";
      return new CaptureItem.Ignored(position, "not an http(s) URL (" + named + ")");
    }
    if (!url.startsWith("//", colon + 1)) {
      throw new BadRecord("request.url '" + Json.quoted(url) + "' has no host");
    }
    int pathStart = colon + 3;
    while (pathStart < url.length() && "/?#".indexOf(url.charAt(pathStart)) < 0) {
      pathStart++;
    }
    String authority = url.substring(colon + 3, pathStart);
    String host = authority.substring(authority.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT); // never user:password
    String failure = failure(entry);
    if (failure != null) {
      return new CaptureItem.Ignored(position, "not completed: " + failure);
    }
    String rest = url.substring(pathStart);
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    String target = Requests.encodeTarget(rest.startsWith("/") ? rest : "/" + rest);
    Headers.Builder rh = Headers.builder();
    for (JsonNode h : nameValues(req, "headers", "request")) {
      String name = h.get("name").asText();
      if (!name.startsWith(":") && !DROPPED_REQUEST.contains(name.toLowerCase(Locale.ROOT))) {
        rh.add(name, h.get("value").asText());
      }
    }
    Headers requestHeaders = rh.build();
    byte[] body = postData(req.get("postData"), requestHeaders);
    RecordedRequest request = Requests.checked(method, target, requestHeaders, body);
    boolean conditional = requestHeaders.contains("if-none-match") || requestHeaders.contains("if-modified-since");
    Recorded old = response(entry.get("response"), method, conditional);
    return new CaptureItem.Captured(request, old == null ? null : old.response(), started(entry), position,
        host.isEmpty() ? null : host, old == null ? Set.of() : old.unrecorded());
  }

  /**
   * Why the browser never completed an entry ({@code aborted}, {@code unresolved}, ...), or {@code null} when it
   * did. Chromium's DevTools writes status 0 and {@code _error}; Playwright status -1 and {@code _failureText}.
   */
  static String failure(JsonNode entry) {
    JsonNode resp = entry.path("response");
    int status = resp.path("status").asInt(0);
    if (status > 0) {
      return null; // an answer came: an error noted beside it (a failed body read) does not undo it
    }
    String text = firstText(resp.get("_failureText"), resp.get("_error"), entry.get("_failureText"), entry.get("_error"));
    if (text == null) {
      return "no response";
    }
    String kind = text.contains("ERR_ABORTED") || text.contains("ERR_CACHE_MISS") ? "aborted"
        : text.contains("ERR_NAME_NOT_RESOLVED") || text.contains("ERR_NAME_RESOLUTION_FAILED") ? "unresolved"
        : text.contains("ERR_BLOCKED") ? "blocked"
        : text.contains("ERR_CONNECTION_REFUSED") ? "refused"
        : text.contains("ERR_TIMED_OUT") || text.contains("ERR_CONNECTION_TIMED_OUT") ? "timed out"
        : "failed";
    return kind; // by kind only: the free text would make a key per hostile entry
  }

  private static String firstText(JsonNode... nodes) {
    for (JsonNode n : nodes) {
      if (n != null && n.isTextual() && !n.asText().isBlank()) {
        return n.asText();
      }
    }
    return null;
  }

  /** OLD's recorded answer, and the parts of it the browser did not keep. */
  private record Recorded(RecordedResponse response, Set<Unrecorded> unrecorded) {}

  private static byte[] postData(JsonNode post, Headers headers) throws BadRecord {
    if (post == null || post.isNull()) {
      return new byte[0];
    }
    String mime = post.path("mimeType").asText("");
    JsonNode text = post.get("text");
    if (text != null && text.isTextual()) {
      if ("base64".equals(post.path("encoding").asText(null))) {
        return base64(text.asText(), "request.postData.text");
      }
      return text.asText().getBytes(charsetOf(mime, headers.get("Content-Type")));
    }
    JsonNode params = post.get("params");
    if (params != null && params.isArray() && !params.isEmpty()) {
      if (!mime.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        throw new BadRecord("request.postData has params but no text, and its type '" + Json.quoted(mime)
            + "' is not a URL-encoded form, so the body cannot be rebuilt");
      }
      StringBuilder form = new StringBuilder();
      for (JsonNode p : params) {
        if (form.length() > 0) {
          form.append('&');
        }
        form.append(URLEncoder.encode(p.path("name").asText(), StandardCharsets.UTF_8)).append('=')
            .append(URLEncoder.encode(p.path("value").asText(), StandardCharsets.UTF_8));
      }
      return form.toString().getBytes(StandardCharsets.US_ASCII);
    }
    return new byte[0];
  }

  /**
   * OLD's recorded answer. A body the browser did not keep (no {@code content.text}, and a size that is not 0:
   * Chromium writes {@code -1} for redirects, cached and some error answers) is not recorded: compared on status and
   * headers only. A HEAD, 1xx, 204 or 304 answer has no body to record.
   */
  private static Recorded response(JsonNode resp, String method, boolean conditional) throws BadRecord {
    if (resp == null || !resp.isObject()) {
      throw new BadRecord("no 'response' object");
    }
    int status = resp.path("status").asInt(0);
    if (status < 100 || status > 999) {
      throw new BadRecord("response.status " + status + " is not an HTTP status");
    }
    Headers.Builder hb = Headers.builder();
    String contentType = null;
    for (JsonNode h : nameValues(resp, "headers", "response")) {
      String name = h.get("name").asText();
      String lower = name.toLowerCase(Locale.ROOT);
      // HAR content.text is the body after Content-Encoding was undone: the header no longer describes it
      if (lower.equals("content-encoding") || lower.equals("content-length") || lower.equals("transfer-encoding")) {
        continue;
      }
      if (lower.equals("content-type") && contentType == null) {
        contentType = h.get("value").asText();
      }
      hb.add(name, h.get("value").asText());
    }
    JsonNode content = resp.get("content");
    byte[] body = new byte[0];
    boolean bodiless = method.equals("HEAD") || status < 200 || status == 204 || status == 304;
    boolean recorded = true;
    if (content != null && content.isObject()) {
      JsonNode text = content.get("text");
      if (text != null && text.isTextual()) {
        body = "base64".equals(content.path("encoding").asText(null))
            ? base64(text.asText(), "response.content.text")
            : text.asText().getBytes(charsetOf(content.path("mimeType").asText(""), contentType));
      } else {
        // no text: an empty body only when the size says 0; otherwise (-1, unknown, or bytes not kept) not recorded
        recorded = bodiless || content.path("size").asLong(-1) == 0;
      }
    } else {
      recorded = bodiless;
    }
    Set<Unrecorded> unrecorded = recorded ? Set.of() : Set.of(Unrecorded.BODY);
    if (conditional && status >= 200 && status < 300 && resp.path("bodySize").asLong(-1) == 0
        && content != null && content.path("size").asLong(0) > 0) {
      // a revalidation the browser answered from its cache: the body is the cached 200's, the headers the 304's (no
      // Content-Type, no Content-Length); the content's mimeType is the cached answer's type
      unrecorded = recorded ? Set.of(Unrecorded.HEADERS) : Set.of(Unrecorded.HEADERS, Unrecorded.BODY);
      String mime = content.path("mimeType").asText("");
      if (contentType == null && !mime.isBlank() && !mime.equals("x-unknown")) {
        hb.add("Content-Type", mime);
      }
    }
    return new Recorded(new RecordedResponse(status, hb.build(), body, 0), unrecorded);
  }

  private static long started(JsonNode entry) {
    JsonNode s = entry.get("startedDateTime");
    if (s == null || !s.isTextual()) {
      return -1;
    }
    try {
      return OffsetDateTime.parse(s.asText()).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return -1; // optional for replay: only --speed uses it, and falls back to no gaps
    }
  }

  private static Iterable<JsonNode> nameValues(JsonNode parent, String field, String where) throws BadRecord {
    JsonNode a = parent.get(field);
    if (a == null || a.isNull()) {
      return List.of();
    }
    if (!a.isArray()) {
      throw new BadRecord(where + "." + field + " must be an array");
    }
    for (JsonNode h : a) {
      if (!h.path("name").isTextual() || !h.path("value").isTextual()) {
        throw new BadRecord(where + "." + field + " entries need a string name and value");
      }
    }
    return a;
  }

  private static byte[] base64(String text, String where) throws BadRecord {
    try {
      return Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new BadRecord(where + " is marked base64 but is not: " + e.getMessage());
    }
  }

  /** The charset to turn HAR text back into bytes: the one the response declared, else UTF-8. */
  private static Charset charsetOf(String mime, String contentType) {
    for (String candidate : new String[] {contentType, mime}) {
      if (candidate == null) {
        continue;
      }
      String cs = MediaType.parse(candidate).charset();
      if (cs != null) {
        try {
          return Charset.forName(cs);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          return StandardCharsets.UTF_8; // the comparator reports the unknown charset on decoding
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  @Override
  public CaptureFormat format() {
    return CaptureFormat.HAR;
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
