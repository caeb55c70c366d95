package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.report.EndpointReport;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to the backends with real HTTPS servers on loopback and certificates made at test time by a test CA: trusted
 * through {@code ca-file}, and each certificate failure counted as {@code new:tls} / {@code old:tls} with its reason.
 */
class TapTlsBackendTest {

  private static final String BODY = "{\"id\":7,\"name\":\"tea\"}";
  private static final String ENDPOINT = "GET /api/products/{id}";

  @TempDir
  static Path dir;
  static TestPki pki;
  static TestPki.Pair ca;
  static TestPki.Pair otherCa;
  static TestPki.Pair good;
  static TestPki.Pair wrongName;
  static TestPki.Pair expired;
  static TestPki.Pair foreign;
  static TestPki.Pair client;

  private final TapHarness h = new TapHarness();
  private final LogCapture logs = new LogCapture();

  @BeforeAll
  static void certificates() throws Exception {
    pki = new TestPki(dir);
    ca = pki.ca("test-ca");
    otherCa = pki.ca("other-ca");
    good = pki.server(ca, "good");
    wrongName = pki.leaf(ca, "wrong-name", "other.example", "DNS:other.example", "serverAuth", 2);
    expired = pki.leaf(ca, "expired", "localhost", "IP:127.0.0.1,DNS:localhost", "serverAuth", -1);
    foreign = pki.server(otherCa, "foreign");
    client = pki.client(ca, "client");
  }

  @AfterEach
  void close() {
    logs.close();
    h.close();
  }

  /** The Host header the last request to an HTTPS backend carried. */
  private final java.util.concurrent.atomic.AtomicReference<String> hostSeen = new java.util.concurrent.atomic.AtomicReference<>();

  private HttpServer https(TestPki.Pair cert, boolean requireClientCert) {
    return https(cert, requireClientCert, java.util.Set.of("TLSv1.2", "TLSv1.3"));
  }

  private HttpServer https(TestPki.Pair cert, boolean requireClientCert, java.util.Set<String> versions) {
    HttpServerOptions o = new HttpServerOptions().setSsl(true).setEnabledSecureTransportProtocols(versions)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.cert().toString()).setKeyPath(cert.key().toString()));
    if (requireClientCert) {
      o.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(ca.cert().toString()));
    }
    return TapHarness.await(h.vertx.createHttpServer(o)
        .requestHandler(req -> {
          hostSeen.set(req.headers().get("host"));
          req.response().putHeader("content-type", "application/json").end(BODY);
        })
        .listen(0, "127.0.0.1"));
  }

  private HttpServer plain() {
    return TapHarness.await(h.vertx.createHttpServer()
        .requestHandler(req -> req.response().putHeader("content-type", "application/json").end(BODY))
        .listen(0, "127.0.0.1"));
  }

  private static String url(HttpServer s, boolean tls) {
    return (tls ? "https" : "http") + "://127.0.0.1:" + s.actualPort();
  }

  private void tap(String oldUrl, String newUrl, String yaml) {
    String full = "listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nold: " + oldUrl + "\nnew: " + newUrl + "\n" + yaml;
    h.tap = TapHarness.await(Tap.start(h.vertx, ConfigLoader.parse(full, "test.yaml"), ConfigLoader.parseTap(full, "test.yaml")));
  }

  /** NEW over TLS with {@code cert}, OLD plain; one request through the tap, the client always getting OLD's answer. */
  private EndpointReport newBehind(TestPki.Pair cert, boolean requireClientCert, String tlsNew) throws Exception {
    tap(url(plain(), false), url(https(cert, requireClientCert), true), tlsNew == null ? "" : "tls:\n  new: " + tlsNew + "\n");
    HttpResponse<byte[]> r = h.get("/api/products/7");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(BODY);
    return h.awaitEndpoint(ENDPOINT, e -> e.compared() + e.errors() == 1);
  }

  private void assertNewTls(EndpointReport e, String reason) throws Exception {
    assertThat(e.errorKinds()).containsExactly(java.util.Map.entry("new:tls", 1L));
    String samples = h.adminGet("/api/endpoints/" + URLEncoder.encode(ENDPOINT, StandardCharsets.UTF_8) + "/samples").body();
    assertThat(samples).contains("new:tls: " + reason);
    String metrics = h.adminGet("/metrics").body();
    assertThat(metrics).containsPattern("parity_backend_errors_total\\{backend=\"new\",endpoint=\"GET /api/products/\\{id}\","
        + "kind=\"tls\",?} 1\\.0");
  }

  private String ca() {
    return "ca-file: " + ca.cert();
  }

  @Test
  void caFile_trustsTheTestCa() throws Exception {
    EndpointReport e = newBehind(good, false, "{" + ca() + "}");
    assertThat(e.errors()).isZero();
    assertThat(e.matched()).isEqualTo(1);
  }

  @Test
  void withoutCaFile_unknownCa() throws Exception {
    assertNewTls(newBehind(good, false, null), "unknown CA");
  }

  @Test
  void signedByAnotherCa_unknownCa() throws Exception {
    assertNewTls(newBehind(foreign, false, "{" + ca() + "}"), "unknown CA");
  }

  @Test
  void wrongName_nameMismatch() throws Exception {
    assertNewTls(newBehind(wrongName, false, "{" + ca() + "}"), "name mismatch");
  }

  @Test
  void wrongName_passesWithServerName() throws Exception {
    EndpointReport e = newBehind(wrongName, false, "{" + ca() + ", server-name: other.example}");
    assertThat(e.errorKinds()).isEmpty();
    assertThat(e.matched()).isEqualTo(1);
    // the name is TLS's only: NEW gets the client's Host, as without server-name
    assertThat(hostSeen.get()).isEqualTo("127.0.0.1:" + h.tap.proxyPort());
  }

  @Test
  void wrongName_passesWithoutHostnameVerification_andSaysSoAtStart() throws Exception {
    EndpointReport e = newBehind(wrongName, false, "{" + ca() + ", verify-hostname: false}");
    assertThat(e.errorKinds()).isEmpty();
    assertThat(e.matched()).isEqualTo(1);
    assertThat(logs.at(Level.WARN)).anyMatch(m -> m.contains("tls.new.verify-hostname is false"));
  }

  @Test
  void expired_certificateExpired() throws Exception {
    assertNewTls(newBehind(expired, false, "{" + ca() + "}"), "certificate expired");
  }

  @Test
  void mutualTls_refusedWithoutClientCertificate() throws Exception {
    EndpointReport e = newBehind(good, true, "{" + ca() + "}");
    assertThat(e.errorKinds()).containsExactly(java.util.Map.entry("new:tls", 1L));
    String samples = h.adminGet("/api/endpoints/" + URLEncoder.encode(ENDPOINT, StandardCharsets.UTF_8) + "/samples").body();
    assertThat(samples).contains("new:tls: client certificate refused or missing");
  }

  @Test
  void mutualTls_worksWithClientCertificate() throws Exception {
    EndpointReport e = newBehind(good, true, "{" + ca() + ", cert-file: " + client.cert() + ", key-file: " + client.key() + "}");
    assertThat(e.errorKinds()).isEmpty();
    assertThat(e.matched()).isEqualTo(1);
  }

  @Test
  void minVersion13_reachesATls13Backend() throws Exception {
    EndpointReport e = newBehind(good, false, "{" + ca() + ", min-version: TLSv1.3}");
    assertThat(e.matched()).isEqualTo(1);
  }

  @Test
  void minVersion13_againstATls12OnlyBackend_protocolVersion() throws Exception {
    tap(url(plain(), false), url(https(good, false, java.util.Set.of("TLSv1.2")), true),
        "tls:\n  new: {" + ca() + ", min-version: TLSv1.3}\n");
    assertThat(h.get("/api/products/7").statusCode()).isEqualTo(200);
    assertNewTls(h.awaitEndpoint(ENDPOINT, x -> x.errors() == 1), "protocol version");
  }

  @Test
  void oldFailsTls_theClientGets502AsFromAnyProxy_andItIsCountedAsOldTls() throws Exception {
    tap(url(https(expired, false), true), url(plain(), false), "tls:\n  old: {" + ca() + "}\n");
    HttpResponse<byte[]> r = h.get("/api/products/7");
    assertThat(r.statusCode()).isEqualTo(502);
    EndpointReport e = h.awaitEndpoint(ENDPOINT, x -> x.errors() == 1);
    assertThat(e.errorKinds()).containsExactly(java.util.Map.entry("old:tls", 1L));
    String samples = h.adminGet("/api/endpoints/" + URLEncoder.encode(ENDPOINT, StandardCharsets.UTF_8) + "/samples").body();
    assertThat(samples).contains("old:tls: certificate expired");
  }

  @Test
  void oldOverTls_clientGetsOldsAnswer() throws Exception {
    tap(url(https(good, false), true), url(https(good, false), true), "tls:\n  old: {" + ca() + "}\n  new: {" + ca() + "}\n");
    HttpResponse<byte[]> r = h.get("/api/products/7");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(BODY);
    assertThat(h.awaitEndpoint(ENDPOINT, x -> x.compared() == 1).matched()).isEqualTo(1);
  }
}
