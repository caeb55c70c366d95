package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.shadowparity.Await;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tap serving HTTPS on its listen port ({@code listen-tls}), and a rotation as cert-manager makes it: the mounted
 * Secret's {@code ..data} symlink swapped to a directory with the new pair. New connections get the new certificate,
 * an open one keeps working, a broken replacement is logged and the certificate in use kept.
 */
class TapTlsListenTest {

  private static final String BODY = "{\"ok\":true}";

  @TempDir
  Path dir;
  private final TapHarness h = new TapHarness();
  private final LogCapture logs = new LogCapture();

  @AfterEach
  void close() {
    logs.close();
    h.close();
  }

  @Test
  void servesHttps_andNewConnectionsGetARotatedCertificate_whileABrokenOneIsKeptOut() throws Exception {
    TestPki pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
    TestPki.Pair ca = pki.ca("listen-ca");
    TestPki.Pair first = pki.server(ca, "first");
    TestPki.Pair second = pki.server(ca, "second");
    TestPki.Pair third = pki.server(ca, "third");
    // the layout of a mounted Secret: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/
    Path secret = Files.createDirectories(dir.resolve("secret"));
    swap(secret, "..v1", Files.readAllBytes(first.cert()), Files.readAllBytes(first.key()));
    Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data/tls.crt"));
    Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data/tls.key"));

    h.old(req -> req.response().putHeader("content-type", "application/json").end(BODY)).neu(req -> req.response()
        .putHeader("content-type", "application/json").end(BODY))
        .tap("listen-tls: {cert-file: " + secret.resolve("tls.crt") + ", key-file: " + secret.resolve("tls.key")
            + ", reload-interval: 100ms}\nlimits: {event-loops: 2}\n"); // two proxy instances: both must take it
    SSLContext trusting = trusting(ca.cert());
    HttpClient https = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + h.tap.proxyPort() + "/api/x"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(BODY);
    assertThat(serialSeen(trusting)).isEqualTo(serial(first.cert()));
    assertThat(h.adminGet("/metrics").body()).contains("parity_listen_tls_reloads_total 0.0")
        .contains("parity_listen_tls_not_after_seconds " + notAfter(first.cert()));

    try (SSLSocket open = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", h.tap.proxyPort())) {
      open.startHandshake();
      swap(secret, "..v2", Files.readAllBytes(second.cert()), Files.readAllBytes(second.key()));
      Await.until(() -> serialSeen(trusting).equals(serial(second.cert())), Duration.ofSeconds(10),
          "a new connection gets the rotated certificate");
      // the connection opened before the rotation still works
      open.setSoTimeout(5000);
      open.getOutputStream().write("GET /api/y HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      open.getOutputStream().flush();
      assertThat(TapHarness.readAll(open.getInputStream())).startsWith("HTTP/1.1 200").endsWith(BODY);
    }
    Await.until(() -> metrics().contains("parity_listen_tls_reloads_total 1.0"), Duration.ofSeconds(10),
        "the reload is counted once every instance took it");
    assertThat(metrics()).contains("parity_listen_tls_not_after_seconds " + notAfter(second.cert()));
    for (int i = 0; i < 4; i++) { // connections go to either instance: each serves the new certificate
      assertThat(serialSeen(trusting)).isEqualTo(serial(second.cert()));
    }

    // a broken replacement: not PEM at all, then a certificate with another certificate's key
    swap(secret, "..v3", "not a certificate".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(second.key()));
    Await.until(() -> logs.at(Level.WARN).stream().anyMatch(m -> m.contains("not a PEM file")), Duration.ofSeconds(10),
        "the broken certificate is logged");
    swap(secret, "..v4", Files.readAllBytes(third.cert()), Files.readAllBytes(second.key()));
    Await.until(() -> logs.at(Level.WARN).stream().anyMatch(m -> m.contains("is not the key of the certificate")),
        Duration.ofSeconds(10), "the mismatched pair is logged");
    assertThat(serialSeen(trusting)).isEqualTo(serial(second.cert()));
    assertThat(logs.at(Level.WARN).stream().filter(m -> m.contains("not a PEM file")).count()).isEqualTo(1);
    assertThat(h.adminGet("/metrics").body()).contains("parity_listen_tls_reloads_total 1.0");
  }

  private String metrics() {
    try {
      return h.adminGet("/metrics").body();
    } catch (Exception e) {
      throw new IllegalStateException("GET /metrics failed: " + e, e);
    }
  }

  /** Points the Secret's {@code ..data} at a new directory holding the pair, in one rename, as kubelet does. */
  private static void swap(Path secret, String version, byte[] cert, byte[] key) throws Exception {
    Path d = Files.createDirectories(secret.resolve(version));
    Files.write(d.resolve("tls.crt"), cert);
    Files.write(d.resolve("tls.key"), key);
    Path tmp = secret.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(version));
    Files.move(tmp, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The serial of the certificate a new TLS connection to the tap gets. */
  private BigInteger serialSeen(SSLContext ctx) {
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", h.tap.proxyPort())) {
      s.setSoTimeout(5000);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("TLS connection to the tap failed: " + e, e);
    }
  }

  private static X509Certificate cert(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static BigInteger serial(Path pem) {
    try {
      return cert(pem).getSerialNumber();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** As Prometheus prints the gauge: seconds since the epoch, in E notation. */
  private static String notAfter(Path pem) throws Exception {
    double seconds = cert(pem).getNotAfter().getTime() / 1000;
    return String.valueOf(seconds);
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("ca", cert(caPem));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
