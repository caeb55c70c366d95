package dev.shadowparity.tap.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.redact.Redaction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a capture line holds of bodies that are not plain UTF-8 text. */
class CaptureWriterTest {

  @TempDir
  Path dir;
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode line(RecordedResponse old) throws Exception {
    try (CaptureWriter w = new CaptureWriter(dir.resolve("c.ndjson"), 1 << 20, 1, Redaction.DEFAULT, 1 << 20, () -> { })) {
      Exchange e = new Exchange(new RecordedRequest("GET", "/x", Headers.of(), null), old,
          new RecordedResponse(200, Headers.of(), new byte[0], 1));
      return json.readTree(w.line("GET /x", e, Instant.EPOCH));
    }
  }

  private static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  @Test
  void invalidUtf8_isMaskedByteForByte() throws Exception {
    byte[] latin = "{\"name\":\"Caf\u00e9\",\"password\":\"hunter2\"}".getBytes(StandardCharsets.ISO_8859_1);
    JsonNode l = line(new RecordedResponse(200, Headers.of("Content-Type", "application/json"), latin, 1));
    byte[] written = Base64.getDecoder().decode(l.at("/old/bodyBase64").asText());
    assertThat(new String(written, StandardCharsets.ISO_8859_1)).isEqualTo("{\"name\":\"Caf\u00e9\",\"password\":\"[redacted]\"}");
  }

  @Test
  void gzipWithASecret_isWrittenDecodedAndMasked_withoutContentEncoding() throws Exception {
    byte[] gz = gzip("{\"token\":\"t-1\",\"n\":1}".getBytes(StandardCharsets.UTF_8));
    JsonNode l = line(new RecordedResponse(200, Headers.of("Content-Type", "application/json", "Content-Encoding", "gzip",
        "Content-Length", String.valueOf(gz.length)), gz, 1));
    assertThat(l.at("/old/body").asText()).isEqualTo("{\"token\":\"[redacted]\",\"n\":1}");
    assertThat(l.at("/old/headers").toString()).contains("Content-Type").doesNotContain("Content-Encoding")
        .doesNotContain("Content-Length");
  }

  @Test
  void gzipWithoutSecrets_isWrittenAsReceived() throws Exception {
    byte[] gz = gzip("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
    JsonNode l = line(new RecordedResponse(200, Headers.of("Content-Type", "application/json", "Content-Encoding", "gzip"), gz, 1));
    assertThat(Base64.getDecoder().decode(l.at("/old/bodyBase64").asText())).isEqualTo(gz);
  }

  @Test
  void truncatedGzip_cannotBeChecked_andIsLeftOut() throws Exception {
    byte[] gz = gzip(("{\"token\":\"SECRET-TOKEN-123\",\"pad\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8));
    byte[] cut = Arrays.copyOf(gz, gz.length - 20);
    JsonNode l = line(new RecordedResponse(200, Headers.of("Content-Type", "application/json", "Content-Encoding", "gzip"), cut, 1));
    assertThat(l.at("/old/bodyBase64").isMissingNode()).isTrue();
    assertThat(l.at("/old/body").isMissingNode()).isTrue();
    assertThat(l.at("/old/bodyOmitted").asText()).startsWith("not written: a gzip-encoded body that cannot be decoded");
  }

  @Test
  void binaryBodies_areWrittenAsReceived() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'p', 'a', 's', 's', 'w', 'o', 'r', 'd', '=', 'x'};
    JsonNode l = line(new RecordedResponse(200, Headers.of("Content-Type", "image/png"), png, 1));
    assertThat(Base64.getDecoder().decode(l.at("/old/bodyBase64").asText())).isEqualTo(png);
  }

  @Test
  void grpcBodies_areNotWrittenByDefault_andWrittenWholeWhenAskedFor() throws Exception {
    // a framed protobuf message holding "password=hunter2" in a string field: text rules would change its length
    byte[] message = "\n\u0010password=hunter2".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] framed = new byte[5 + message.length];
    framed[4] = (byte) message.length;
    System.arraycopy(message, 0, framed, 5, message.length);
    dev.shadowparity.engine.Headers grpc = dev.shadowparity.engine.Headers.of("content-type", "application/grpc");
    dev.shadowparity.engine.Exchange e = new dev.shadowparity.engine.Exchange(
        new dev.shadowparity.engine.RecordedRequest("POST", "/shop.Users/Login", grpc, framed, "HTTP/2"),
        new dev.shadowparity.engine.RecordedResponse(200, grpc, framed, 0,
            dev.shadowparity.engine.Headers.of("grpc-status", "0")),
        new dev.shadowparity.engine.RecordedResponse(200, grpc, framed, 0,
            dev.shadowparity.engine.Headers.of("grpc-status", "0")));
    try (CaptureWriter w = new CaptureWriter(dir.resolve("g.ndjson"), 1 << 20, 1, Redaction.DEFAULT, 1 << 20, () -> { })) {
      String line = new String(w.line("grpc /shop.Users/Login", e, java.time.Instant.EPOCH), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(line).doesNotContain("hunter2").contains("\"bodyOmitted\":\"not written: a gRPC body")
          .contains("\"protocol\":\"HTTP/2\"").contains("\"trailers\":[[\"grpc-status\",\"0\"]]");
      w.grpcBodies(true);
      String whole = new String(w.line("grpc /shop.Users/Login", e, java.time.Instant.EPOCH), java.nio.charset.StandardCharsets.UTF_8);
      com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(whole);
      byte[] written = n.at("/request/body").isTextual()
          ? n.at("/request/body").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8)
          : java.util.Base64.getDecoder().decode(n.at("/request/bodyBase64").asText());
      assertThat(written).as("the framing intact, byte for byte").isEqualTo(framed);
    }
  }
}
