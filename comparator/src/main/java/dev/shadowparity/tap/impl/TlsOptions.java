package dev.shadowparity.tap.impl;

import dev.shadowparity.config.PemFiles;
import dev.shadowparity.config.TlsConfig;
import dev.shadowparity.http.Backend;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Every TLS option of the tap, built in two places only: {@link #client} for a connection to one backend and
 * {@link #server} for the listen port (at start and at each reload). Protocol negotiation (ALPN) belongs here too.
 */
public final class TlsOptions {

  private TlsOptions() {}

  /**
   * A backend's client options over {@code base}: for an {@code https://} backend, the CAs of {@code ca-file} trusted on
   * top of the JVM's, the client certificate of {@code cert-file}/{@code key-file}, hostname verification and the TLS
   * versions; {@code base} unchanged for an {@code http://} one. The name sent as SNI and verified is the request's host
   * ({@link BackendRequests}, {@code server-name} when set). Reads the files: call it off the event loops.
   */
  public static HttpClientOptions client(HttpClientOptions base, Backend backend, TlsConfig.Backend tls) {
    HttpClientOptions o = new HttpClientOptions(base);
    if (!backend.ssl()) {
      return o;
    }
    o.setSsl(true).setVerifyHost(tls.verifyHostname()).setEnabledSecureTransportProtocols(tls.protocols());
    // the files are read here, once, on the caller's thread: Vert.x gets their bytes, never a path to read later
    if (tls.caFile() != null) {
      o.setTrustOptions(TrustOptions.wrap(trustWithDefaults(
          PemFiles.certificates(PemFiles.read(tls.caFile()), tls.caFile()))));
    }
    if (tls.certFile() != null) {
      o.setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(PemFiles.read(tls.certFile())))
          .setKeyValue(Buffer.buffer(PemFiles.read(tls.keyFile()))));
    }
    return o;
  }

  /**
   * The listen port's TLS options for one certificate and key (PEM bytes, already checked with {@link PemFiles}): what
   * the proxy servers start with and what a reload gives them ({@code HttpServer.updateSSLOptions}).
   */
  public static ServerSSLOptions server(byte[] certPem, byte[] keyPem) {
    // ALPN (h2, then http/1.1: ProxyVerticle.LISTEN_ALPN) is set here, because a reload replaces every TLS option of
    // the server with what this returns
    return new ServerSSLOptions()
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(certPem)).setKeyValue(Buffer.buffer(keyPem)))
        .setEnabledSecureTransportProtocols(new java.util.LinkedHashSet<>(TlsConfig.VERSIONS))
        .setUseAlpn(true).setApplicationLayerProtocols(ProxyVerticle.LISTEN_ALPN.stream()
            .map(v -> v == io.vertx.core.http.HttpVersion.HTTP_2 ? "h2" : "http/1.1").toList());
  }

  /** {@code ssl} set on a server's options, for the listen: the same fields a reload replaces. */
  public static HttpServerOptions applyTo(HttpServerOptions options, ServerSSLOptions ssl) {
    options.setSsl(true).setKeyCertOptions(ssl.getKeyCertOptions())
        .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols()).setUseAlpn(ssl.isUseAlpn());
    return options;
  }

  /** A trust manager factory trusting the JVM's default CAs and {@code extra}: a CA file adds, never replaces. */
  static TrustManagerFactory trustWithDefaults(List<X509Certificate> extra) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jvm.init((KeyStore) null);
      int i = 0;
      for (TrustManager tm : jvm.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate c : x.getAcceptedIssuers()) {
            store.setCertificateEntry("jvm-" + i++, c);
          }
        }
      }
      for (X509Certificate c : extra) {
        store.setCertificateEntry("ca-file-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the trust store of the JVM's CAs and ca-file: " + e.getMessage(), e);
    }
  }
}
