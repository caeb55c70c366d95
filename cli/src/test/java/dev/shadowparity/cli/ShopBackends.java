package dev.shadowparity.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * OLD and NEW shop backends on loopback (WireMock). OLD answers exactly what the browser recorded in
 * {@code fixtures/captures/har/shop.har} (read here with plain Jackson, not with the reader under test). NEW
 * answers the same except for these known differences:
 * <ul>
 *   <li>{@code /api/users/2}: balance {@code 12} instead of {@code 12.5} (integer division): {@code /balance} value;</li>
 *   <li>{@code /api/report.csv}: {@code SÃ£o Paulo} (UTF-8 read as Latin-1): a body (text) difference;</li>
 *   <li>{@code POST /api/cart}: count {@code 3} instead of {@code 2}: {@code /count} value;</li>
 * </ul>
 * and these differences that normalization must forgive: the products list with other key order and
 * {@code \\u} escapes, and the order gzip-compressed.
 */
final class ShopBackends implements AutoCloseable {

  static final Path FIXTURES = Path.of(System.getProperty("parity.fixtures", "../fixtures"));
  static final Path HAR = FIXTURES.resolve("captures/har/shop.har");
  static final Path GOR = FIXTURES.resolve("captures/gor/shop.gor");
  private static final Set<String> NOT_COPIED = Set.of("content-length", "content-encoding", "transfer-encoding", "date",
      "connection", "keep-alive");

  final WireMockServer old = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true));
  final WireMockServer neu = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true));
  /**
   * A config for replays against these backends: WireMock stamps each answer with its own Matched-Stub-Id, noise
   * ignored as a user would in their config.
   */
  final Path config;

  ShopBackends() {
    old.start();
    neu.start();
    try {
      config = java.nio.file.Files.createTempFile("parity", ".yaml");
      java.nio.file.Files.writeString(config, "rules:\n  ignore-headers: [matched-stub-id]\n");
      JsonNode har = new ObjectMapper().readTree(HAR.toFile());
      for (JsonNode e : har.path("log").path("entries")) {
        URI url = URI.create(e.path("request").path("url").asText());
        String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        String method = e.path("request").path("method").asText();
        JsonNode resp = e.path("response");
        byte[] body = body(resp.path("content"));
        old.stubFor(request(method, urlEqualTo(target)).willReturn(response(resp, body)));
        neu.stubFor(request(method, urlEqualTo(target)).willReturn(newResponse(target, resp, body)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String oldUrl() {
    return "http://127.0.0.1:" + old.port();
  }

  String newUrl() {
    return "http://127.0.0.1:" + neu.port();
  }

  private static ResponseDefinitionBuilder response(JsonNode resp, byte[] body) {
    ResponseDefinitionBuilder r = aResponse().withStatus(resp.path("status").asInt());
    for (JsonNode h : resp.path("headers")) {
      if (!NOT_COPIED.contains(h.path("name").asText().toLowerCase(Locale.ROOT))) {
        r.withHeader(h.path("name").asText(), h.path("value").asText());
      }
    }
    return body.length == 0 ? r : r.withBody(body);
  }

  private static ResponseDefinitionBuilder newResponse(String target, JsonNode resp, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return switch (target) {
      case "/api/users/2" -> response(resp, text.replace("\"balance\": 12.5", "\"balance\": 12").getBytes(StandardCharsets.UTF_8));
      case "/api/report.csv" -> response(resp, text.replace("São Paulo", "SÃ£o Paulo").getBytes(StandardCharsets.UTF_8));
      case "/api/cart" -> response(resp, text.replace("\"count\": 2", "\"count\": 3").getBytes(StandardCharsets.UTF_8));
      case "/api/products?q=caf%C3%A9&page=2" -> response(resp, ("{\"items\":[{\"currency\":\"EUR\",\"name\":\"Caf\\u00e9 cr\\u00e8me\","
          + "\"price\":3.20},{\"price\":3.5,\"name\":\"Caf\\u00e9 au lait\",\"currency\":\"EUR\"},{\"currency\":\"EUR\","
          + "\"price\":2.0,\"name\":\"D\\u00e9caf\\u00e9in\\u00e9\"}],\"page\":2,\"query\":\"caf\\u00e9\"}")
          .getBytes(StandardCharsets.UTF_8));
      case "/api/orders/1001" -> response(resp, gzip(body)).withHeader("Content-Encoding", "gzip");
      default -> response(resp, body);
    };
  }

  private static byte[] body(JsonNode content) {
    String text = content.path("text").asText("");
    return "base64".equals(content.path("encoding").asText()) ? Base64.getDecoder().decode(text)
        : text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    old.stop();
    neu.stop();
    try {
      java.nio.file.Files.deleteIfExists(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
