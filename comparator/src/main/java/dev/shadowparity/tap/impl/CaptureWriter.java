package dev.shadowparity.tap.impl;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.DecodedBody;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.redact.Redaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends compared exchanges to an NDJSON file ({@code docs/capture-format.md}) from one writer thread,
 * rotating by size ({@code file.1} is the newest rotated file). The queue is bounded: when the writer
 * falls behind, lines are dropped and counted, never buffered without limit. Secrets are masked
 * ({@link Redaction}): headers, secret fields and card numbers in bodies, secret query parameters.
 */
public final class CaptureWriter implements AutoCloseable, dev.shadowparity.EvidenceListener {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureWriter.class);
  private static final JsonFactory JSON = new JsonFactory();

  private final Path file;
  private final long maxBytes;
  private final int keep;
  private final Redaction redaction;
  private final dev.shadowparity.engine.ResponseComparator decoder;
  private final Runnable onDrop;
  private final ThreadPoolExecutor writer;
  private OutputStream out;
  private long size;

  /** @param maxDecodedBytes largest body decoded to look for secrets ({@code limits.max-decoded-bytes}) */
  public CaptureWriter(Path file, long maxBytes, int keep, Redaction redaction, long maxDecodedBytes, Runnable onDrop)
      throws IOException {
    this.decoder = dev.shadowparity.engine.ResponseComparator.create(
        new dev.shadowparity.engine.CompareOptions().setMaxDecodedBytes(maxDecodedBytes));
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
    this.redaction = redaction;
    this.onDrop = onDrop;
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    open();
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), r -> {
      Thread t = new Thread(r, "parity-capture");
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
  }

  private void open() throws IOException {
    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    size = Files.size(file);
  }

  /** Queues one exchange; drops it (and counts) when the writer is behind. */
  /** Appends every exchange that reached both backends (or failed on one): matched, mismatched, failed, unjudged. */
  @Override
  public void recorded(dev.shadowparity.ledger.Outcome outcome, Exchange exchange) {
    if (exchange != null) {
      append(outcome.endpoint(), exchange);
    }
  }

  public void append(String endpoint, Exchange exchange) {
    try {
      writer.execute(() -> write(endpoint, exchange));
    } catch (RejectedExecutionException e) {
      onDrop.run();
    }
  }

  private void write(String endpoint, Exchange exchange) {
    try {
      byte[] line = line(endpoint, exchange, Instant.now());
      if (size > 0 && size + line.length > maxBytes) {
        rotate();
      }
      out.write(line);
      out.flush();
      size += line.length;
    } catch (IOException e) {
      onDrop.run();
      LOG.warn("cannot write capture file {}: {}", file, e.toString());
    } catch (RuntimeException e) {
      onDrop.run();
      LOG.error("cannot make the capture line of an exchange of {}; it is dropped", endpoint, e);
    }
  }

  private void rotate() throws IOException {
    out.close();
    if (keep == 0) {
      Files.delete(file);
    } else {
      for (int i = keep - 1; i >= 1; i--) {
        Path from = Path.of(file + "." + i);
        if (Files.exists(from)) {
          Files.move(from, Path.of(file + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(file, Path.of(file + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }
    open();
  }

  /** Whether gRPC bodies are written (as received, base64); by default they are not: see {@link #captured}. */
  private volatile boolean grpcBodies;

  /**
   * Writes gRPC bodies too ({@code capture.grpc-bodies: true}): as received, in base64, their protobuf fields not
   * masked (masking by a field's name needs its schema, and text rules over framed bytes would corrupt them).
   */
  public CaptureWriter grpcBodies(boolean write) {
    this.grpcBodies = write;
    return this;
  }

  byte[] line(String endpoint, Exchange exchange, Instant at) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(buf, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("ts", at.toString());
      g.writeStringField("endpoint", endpoint);
      g.writeObjectFieldStart("request");
      g.writeStringField("method", exchange.request().method());
      g.writeStringField("uri", redaction.uri(exchange.request().uri()));
      if (exchange.request().http2()) {
        g.writeStringField("protocol", exchange.request().protocol());
      }
      Captured body = captured(exchange.request().headers(), exchange.request().body());
      headers(g, exchange.request().headers(), body.decoded());
      body(g, body);
      g.writeEndObject();
      result(g, "old", exchange.oldResult());
      result(g, "new", exchange.newResult());
      g.writeEndObject();
    }
    buf.write('\n');
    return buf.toByteArray();
  }

  private void result(JsonGenerator g, String name, BackendResult result) throws IOException {
    g.writeObjectFieldStart(name);
    if (result instanceof RecordedResponse r) {
      g.writeNumberField("status", r.status());
      Captured body = captured(r.headers(), r.body());
      headers(g, r.headers(), body.decoded());
      body(g, body);
      if (!r.trailers().isEmpty()) {
        headers(g, "trailers", r.trailers(), false);
      }
    } else if (result instanceof dev.shadowparity.engine.OversizedResponse o) {
      g.writeNumberField("status", o.status());
      headers(g, o.headers(), false);
      g.writeStringField("bodyOmitted", "over the copy cap: " + (o.digest() == null ? "more than " : "") + o.bodyBytes()
          + " bytes" + (o.digest() == null ? "" : ", digest " + o.digest()));
    } else {
      BackendFailure f = (BackendFailure) result;
      g.writeStringField("error", f.kind().wireName());
      g.writeStringField("message", f.message());
    }
    if (result.latencyNanos() > 0) {
      g.writeNumberField("latencyMs", Math.round(result.latencyNanos() / 1e3) / 1e3);
    }
    g.writeEndObject();
  }

  /**
   * A body as it is written: secrets masked ({@link Redaction#body(String)}). A body that is content-encoded (or
   * in a charset other than UTF-8) is decoded to look for them; when masking changed it, the decoded, masked text
   * is written (in its charset) and {@code decoded} says so, so that Content-Encoding and Content-Length are left
   * out as in a HAR. Bodies that cannot be decoded as text (images, corrupt gzip) are written as received.
   */
  private record Captured(byte[] bytes, boolean decoded, String omitted) {
    Captured(byte[] bytes, boolean decoded) {
      this(bytes, decoded, null);
    }
  }

  private Captured captured(Headers headers, byte[] body) {
    if (body.length == 0) {
      return new Captured(body, false);
    }
    if (dev.shadowparity.grpc.GrpcPath.isGrpc(headers.get("content-type"))) {
      // protobuf: text rules would change bytes under the framing's lengths (and miss fields named by number), so a
      // gRPC body is written whole, unmasked, only when the user says so; by default it is not written
      return grpcBodies ? new Captured(body, false)
          : new Captured(new byte[0], false, "not written: a gRPC body (" + body.length + " bytes) cannot be checked for"
              + " secrets by field name; capture.grpc-bodies: true writes it as received");
    }
    boolean encoded = headers.contains("content-encoding");
    String utf8 = encoded ? null : utf8(body);
    if (utf8 != null) {
      String masked = redaction.body(utf8);
      return new Captured(masked == utf8 ? body : masked.getBytes(StandardCharsets.UTF_8), false);
    }
    DecodedBody decodedBody = decoder.decode(headers, body);
    String text = decodedBody.isDecoded() ? decodedBody.text() : null;
    if (text != null) {
      String masked = redaction.body(text);
      if (!masked.equals(text)) {
        Charset cs = decodedBody.charset() == null ? StandardCharsets.UTF_8 : decodedBody.charset();
        return new Captured(masked.getBytes(cs), encoded);
      }
      return new Captured(body, false);
    }
    if (decodedBody.isDecoded()) {
      return new Captured(body, false); // binary (an image...): no text rule applies
    }
    if (!encoded) {
      // not valid in its charset (latin-1 in a body that says UTF-8...): masked over ISO-8859-1, which keeps every byte
      String latin = new String(body, StandardCharsets.ISO_8859_1);
      String masked = redaction.body(latin);
      return new Captured(masked.equals(latin) ? body : masked.getBytes(StandardCharsets.ISO_8859_1), false);
    }
    // content-encoded and not decodable (corrupt, truncated, too large): it cannot be checked for secrets
    return new Captured(new byte[0], false, "not written: a " + headers.get("content-encoding")
        + "-encoded body that cannot be decoded cannot be checked for secrets (" + decodedBody.problem() + ")");
  }

  private void headers(JsonGenerator g, Headers headers, boolean decodedBody) throws IOException {
    headers(g, "headers", headers, decodedBody);
  }

  /** {@code [name, value]} pairs, secrets masked, under {@code field} ({@code headers} or {@code trailers}). */
  private void headers(JsonGenerator g, String field, Headers headers, boolean decodedBody) throws IOException {
    g.writeArrayFieldStart(field);
    for (Map.Entry<String, String> h : headers.entries()) {
      if (decodedBody && (h.getKey().equalsIgnoreCase("content-encoding") || h.getKey().equalsIgnoreCase("content-length"))) {
        continue;
      }
      g.writeStartArray();
      g.writeString(h.getKey());
      g.writeString(redaction.value(h.getKey(), h.getValue()));
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  /** Valid UTF-8 as {@code body}; anything else (gzip-encoded bytes, images, other charsets) as {@code bodyBase64}. */
  private static void body(JsonGenerator g, Captured captured) throws IOException {
    if (captured.omitted() != null) {
      g.writeStringField("bodyOmitted", captured.omitted());
      return;
    }
    byte[] body = captured.bytes();
    if (body.length == 0) {
      return;
    }
    String text = utf8(body);
    if (text != null) {
      g.writeStringField("body", text);
    } else {
      g.writeStringField("bodyBase64", Base64.getEncoder().encodeToString(body));
    }
  }

  /** The bytes as text when they are valid UTF-8, else {@code null}. */
  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      LOG.trace("body is not UTF-8 text: {}", e.toString());
      return null;
    }
  }

  /** Writes what is queued (bounded wait), then closes the file. */
  @Override
  public void close() throws IOException {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("capture writer did not finish within 5 s; {} lines not written", writer.getQueue().size());
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.close();
  }
}
