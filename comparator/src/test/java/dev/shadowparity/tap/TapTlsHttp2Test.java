package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.Await;
import dev.shadowparity.config.ConfigLoader;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 over TLS on both sides: a client negotiates {@code h2} by ALPN on the tap's {@code listen-tls} port (and still
 * does after the certificate is reloaded), and the tap reaches an {@code https://} NEW behind a private CA over
 * {@code h2} ({@code protocol: {new: h2}}, {@code tls: {new: {ca-file}}}); the client gets OLD's answer, NEW's is
 * compared.
 */
class TapTlsHttp2Test {

  private static final String BODY = "{\"ok\":true}";

  @TempDir
  Path dir;
  private final TapHarness h = new TapHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void h2ByAlpn_onTheListenPort_andToAnHttpsNew_acrossACertificateReload() throws Exception {
    TestPki pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
    TestPki.Pair ca = pki.ca("ca");
    TestPki.Pair first = pki.server(ca, "first");
    TestPki.Pair second = pki.server(ca, "second");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.copy(first.cert(), cert);
    Files.copy(first.key(), key);
    List<HttpVersion> newSaw = new CopyOnWriteArrayList<>();
    HttpServer neu = TapHarness.await(h.vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(first.cert().toString()).setKeyPath(first.key().toString())))
        .requestHandler(req -> {
          newSaw.add(req.version());
          req.response().putHeader("content-type", "application/json").end(BODY);
        })
        .listen(0, "127.0.0.1"));
    h.old(req -> req.response().putHeader("content-type", "application/json").end(BODY));
    String yaml = "listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nold: " + h.oldUrl() + "\nnew: https://127.0.0.1:" + neu.actualPort()
        + "\nsample-rate: 1\nprotocol: {new: h2}\ntls:\n  new: {ca-file: " + ca.cert() + "}\n"
        + "listen-tls: {cert-file: " + cert + ", key-file: " + key + ", reload-interval: 100ms}\n";
    h.tap = TapHarness.await(Tap.start(h.vertx, ConfigLoader.parse(yaml, "test.yaml"), ConfigLoader.parseTap(yaml, "test.yaml")));

    SSLContext trusting = trusting(ca.cert());
    HttpResponse<String> r = h2(trusting).send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + h.tap.proxyPort()
        + "/api/items/1")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.version()).as("ALPN gave h2 on the listen port").isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(BODY);
    Await.until(() -> h.tap.engine().report().totals().compared() == 1, Duration.ofSeconds(10), "the exchange compared");
    assertThat(h.tap.engine().report().totals().matched()).isEqualTo(1);
    assertThat(newSaw).containsExactly(HttpVersion.HTTP_2);

    // a reload replaces every TLS option of the listen port: ALPN must survive it
    Files.copy(second.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(second.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Await.until(() -> metrics().contains("parity_listen_tls_reloads_total 1.0"), Duration.ofSeconds(10),
        "the new certificate taken");
    HttpResponse<String> after = h2(trusting).send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
        + h.tap.proxyPort() + "/api/items/2")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(after.version()).as("h2 after the reload").isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(after.body()).isEqualTo(BODY);
  }

  private String metrics() {
    try {
      return h.adminGet("/metrics").body();
    } catch (Exception e) {
      throw new IllegalStateException("GET /metrics failed: " + e, e);
    }
  }

  private static HttpClient h2(SSLContext trusting) {
    // a new client each time: a new connection, a new handshake
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      store.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
