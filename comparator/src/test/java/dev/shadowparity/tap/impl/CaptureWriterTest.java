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
}
