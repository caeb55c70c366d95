package dev.shadowparity.replay.impl;

import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.http.HttpParseException;
import dev.shadowparity.http.RawHttp;
import dev.shadowparity.replay.CaptureFormat;
import dev.shadowparity.replay.CaptureItem;
import dev.shadowparity.replay.CaptureReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads GoReplay's file output: payloads separated by the line {@code 🐵🙈🙉}, each a header line
 * {@code type id timestamp [latency]} (type 1 request, 2 original response, 3 replayed response; id of 24 or
 * 40 hex digits; timestamp in nanoseconds) followed by the raw HTTP/1.x message. Requests are paired with
 * their original responses by id. At most {@link #MAX_PENDING} requests wait for their response, holding at most
 * twice the record cap of bodies with the responses that came before their request; past that the oldest goes on
 * without one (replayed against NEW it is skipped as {@code no-recorded-response}). A payload over the record cap
 * ({@code limits.max-record-bytes}) is read to the next separator without being kept and reported as corrupt.
 *
 * <p>Why one file of this length: GoReplay's framing, its request/response pairing by id and its bounded wait for the
 * pair are one state machine over one buffer.
 */
public final class GorReader implements CaptureReader {

  /** The line between payloads, with the line ends around it. */
  public static final byte[] SEPARATOR = "\n\uD83D\uDC35\uD83D\uDE48\uD83D\uDE49\n".getBytes(StandardCharsets.UTF_8);
  static final int MAX_PENDING = 10_000;

  private final InputStream in;
  private final CountingInputStream counted;
  private final int maxPayload;
  /** Body bytes the waiting requests and early responses may hold together. */
  private final long maxHeld;
  private long held;
  private final byte[] chunk = new byte[64 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  private long offset; // bytes of the (decompressed) file consumed before chunk[pos]
  private long payloads;

  /** Requests by id in file order, each waiting for its response. */
  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
  /** Responses seen before their request (GoReplay may write them out of order). */
  private final LinkedHashMap<String, RecordedResponse> early = new LinkedHashMap<>();
  private final ArrayDeque<CaptureItem> ready = new ArrayDeque<>();
  private boolean ended;

  private static final class Pending {
    final CaptureItem.Captured request;
    RecordedResponse response;
    boolean answered;

    Pending(CaptureItem.Captured request) {
      this.request = request;
    }

    long bytes() {
      return request.request().body().length + (response == null ? 0 : response.body().length);
    }
  }

  /** A reader with the default record cap ({@code limits.max-record-bytes}). */
  public GorReader(InputStream in, CountingInputStream counted) {
    this(in, counted, Json.DEFAULT_MAX_RECORD);
  }

  /** @param maxPayload the most bytes of one payload kept ({@code limits.max-record-bytes}) */
  public GorReader(InputStream in, CountingInputStream counted, int maxPayload) {
    this.in = in;
    this.counted = counted;
    this.maxPayload = maxPayload;
    this.maxHeld = 2L * maxPayload;
  }

  @Override
  public CaptureItem next() {
    while (ready.isEmpty() && !ended) {
      readOne();
    }
    return ready.poll();
  }

  private void readOne() {
    long start = offset;
    Payload payload;
    try {
      payload = nextPayload();
    } catch (IOException e) {
      ready.add(new CaptureItem.Corrupt("byte " + offset, "the file cannot be read further: " + e.getMessage()));
      finish();
      return;
    }
    if (payload == null) {
      finish();
      return;
    }
    payloads++;
    String position = "byte " + start + " (payload " + payloads + ")";
    if (payload.over) {
      ready.add(new CaptureItem.Corrupt(position, Json.overCap(payload.size, maxPayload)));
      return;
    }
    if (isBlank(payload.buf, payload.len)) {
      return; // nothing between two separators, or a line end after the last one
    }
    try {
      accept(payload.bytes(), position);
    } catch (BadRecord | RuntimeException e) {
      ready.add(new CaptureItem.Corrupt(position, String.valueOf(e.getMessage())));
    }
    releaseAnswered();
  }

  private void accept(byte[] payload, String position) throws BadRecord {
    int nl = indexOf(payload, (byte) '\n', 0);
    if (nl < 0) {
      throw new BadRecord("no header line ('type id timestamp latency') before the HTTP message");
    }
    String header = new String(payload, 0, nl, StandardCharsets.ISO_8859_1).trim();
    String[] parts = header.split(" ");
    if (parts.length < 3 || parts.length > 4 || parts[0].length() != 1 || "123".indexOf(parts[0].charAt(0)) < 0) {
      throw new BadRecord("header line '" + abbreviate(header) + "' is not 'type id timestamp latency' with type 1, 2 or 3");
    }
    String id = parts[1];
    if ((id.length() != 24 && id.length() != 40) || !isHex(id)) {
      throw new BadRecord("id '" + abbreviate(id) + "' is not 24 or 40 hex digits");
    }
    long nanos;
    try {
      nanos = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      throw new BadRecord("timestamp '" + abbreviate(parts[2]) + "' is not a number of nanoseconds");
    }
    byte[] message = Arrays.copyOfRange(payload, nl + 1, payload.length);
    try {
      switch (parts[0].charAt(0)) {
        case '1' -> {
          RecordedRequest parsed = RawHttp.parseRequest(message);
          RecordedRequest request = Requests.checked(parsed.method(), parsed.uri(), parsed.headers(), parsed.body());
          CaptureItem.Captured captured = new CaptureItem.Captured(request, null, nanos / 1_000_000, position);
          Pending p = new Pending(captured);
          RecordedResponse response = early.remove(id);
          if (response != null) {
            held -= response.body().length;
            p.response = response;
            p.answered = true;
          }
          Pending earlier = pending.remove(id);
          if (earlier != null) {
            // a reused id: the earlier request goes on as it is (without a response if none came yet)
            held -= earlier.bytes();
            ready.add(earlier.answered ? withResponse(earlier) : earlier.request);
          }
          pending.put(id, p);
          held += p.bytes();
        }
        case '2' -> {
          RecordedResponse response = RawHttp.parseResponse(message);
          long latencyNanos = parts.length == 4 ? parseOr(parts[3], 0) : 0;
          response = new RecordedResponse(response.status(), response.headers(), response.body(), latencyNanos);
          Pending p = pending.get(id);
          if (p != null) {
            held -= p.bytes();
            p.response = response;
            p.answered = true;
            held += p.bytes();
          } else {
            RecordedResponse replaced = early.put(id, response);
            held += response.body().length - (replaced == null ? 0 : replaced.body().length);
            Iterator<RecordedResponse> it = early.values().iterator();
            while (it.hasNext() && (early.size() > MAX_PENDING || held > maxHeld)) {
              held -= it.next().body().length;
              it.remove(); // a response whose request has not come (yet): dropped, the oldest first
            }
          }
        }
        default -> {
          // type 3, a response replayed by GoReplay itself: not the OLD stack's answer, not needed
        }
      }
    } catch (HttpParseException e) {
      throw new BadRecord("raw HTTP at byte " + (nl + 1 + e.offset()) + " of the payload: " + e.getMessage());
    }
  }

  /**
   * Hands over answered requests in file order; when too many wait, or they hold too many bytes, the oldest goes
   * without a response.
   */
  private void releaseAnswered() {
    Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Pending p = it.next().getValue();
      if (!p.answered && pending.size() <= MAX_PENDING && held <= maxHeld) {
        break;
      }
      ready.add(p.answered ? withResponse(p) : p.request);
      held -= p.bytes();
      it.remove();
    }
  }

  private void finish() {
    for (Pending p : pending.values()) {
      ready.add(p.answered ? withResponse(p) : p.request);
    }
    pending.clear();
    early.clear();
    held = 0;
    ended = true;
  }

  private static CaptureItem.Captured withResponse(Pending p) {
    CaptureItem.Captured r = p.request;
    return new CaptureItem.Captured(r.request(), p.response, r.epochMillis(), r.position(), r.host(), java.util.Set.of());
  }

  /**
   * The bytes up to the next separator (or the end of the file), or null at the end. Of a payload over the cap
   * only the size is kept.
   */
  private Payload nextPayload() throws IOException {
    if (pos == limit && !fill()) {
      return null;
    }
    Payload out = new Payload(maxPayload);
    int matched = 0; // bytes of SEPARATOR matched so far, held back from the payload
    while (true) {
      if (pos == limit && !fill()) {
        if (matched > 1) {
          out.put(SEPARATOR, matched); // a cut separator at the end of a truncated file is data
        }
        break; // a lone trailing "\n" after the last payload is not
      }
      byte b = chunk[pos++];
      offset++;
      if (b == SEPARATOR[matched]) {
        if (++matched == SEPARATOR.length) {
          break;
        }
        continue;
      }
      if (matched > 0) {
        out.put(SEPARATOR, matched); // not a separator after all
        matched = b == SEPARATOR[0] ? 1 : 0;
        if (matched == 1) {
          continue;
        }
      }
      out.put(b);
    }
    return out;
  }

  /** A growing payload buffer that stops keeping bytes at the cap, and lets them go; it counts them all. */
  private static final class Payload {
    final int cap;
    byte[] buf = new byte[4096];
    int len;
    long size;
    boolean over;

    Payload(int cap) {
      this.cap = cap;
    }

    void put(byte b) {
      size++;
      if (over) {
        return;
      }
      if (len == cap) {
        over = true;
        buf = new byte[0];
        len = 0;
        return;
      }
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(cap, buf.length * 2L));
      }
      buf[len++] = b;
    }

    void put(byte[] bytes, int n) {
      for (int i = 0; i < n; i++) {
        put(bytes[i]);
      }
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, len);
    }
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(chunk, 0, chunk.length);
    if (n <= 0) {
      eof = true;
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  private static boolean isBlank(byte[] payload, int length) {
    for (int i = 0; i < length; i++) {
      byte b = payload[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] a, byte b, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static long parseOr(String s, long fallback) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  @Override
  public CaptureFormat format() {
    return CaptureFormat.GOR;
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
