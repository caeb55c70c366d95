package dev.shadowparity.tap.impl;

import dev.shadowparity.config.PemFiles;
import dev.shadowparity.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ServerSSLOptions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listen port's certificate and key, read again when they change. cert-manager rotates them by swapping the
 * symlinks of a mounted Secret, so the files are read (through their links) every {@code reload-interval} on a worker
 * thread, never the event loop, and compared by digest: a pair that changed and reads the same twice in a row (not
 * caught half-way through a swap) is checked and handed to every proxy server; new handshakes get it, connections
 * already open keep theirs. A broken pair is logged once and the one in use is kept.
 */
public final class ListenTlsReloader {

  private static final Logger LOG = LoggerFactory.getLogger(ListenTlsReloader.class);

  private final Vertx vertx;
  private final TlsConfig.Listen config;
  private final Function<ServerSSLOptions, Future<?>> apply;
  private final AtomicBoolean checking = new AtomicBoolean();
  private final AtomicLong reloads = new AtomicLong();
  private volatile long notAfterSeconds;
  private final ServerSSLOptions initial;
  private byte[] applied;
  private byte[] candidate;
  private byte[] broken;
  private long timer = -1;

  /**
   * Reads the pair once (the caller's thread: the tap starts before it serves) for {@link #initial()}.
   *
   * @param apply gives new options to every proxy server; its future fails when one of them refused them
   */
  public ListenTlsReloader(Vertx vertx, TlsConfig.Listen config, Function<ServerSSLOptions, Future<?>> apply) {
    this.vertx = vertx;
    this.config = config;
    this.apply = apply;
    Pair pair = read();
    this.initial = TlsOptions.server(pair.cert, pair.key);
    this.applied = pair.digest;
    this.notAfterSeconds = pair.leaf.getNotAfter().getTime() / 1000;
    LOG.info("listen TLS: certificate {} (serial {}, valid until {}) from {}; its files are looked at every {}",
        pair.leaf.getSubjectX500Principal().getName(), pair.leaf.getSerialNumber().toString(16), pair.leaf.getNotAfter(),
        config.certFile(), config.reloadInterval());
  }

  /** The options the proxy servers start with. */
  public ServerSSLOptions initial() {
    return initial;
  }

  /** Starts looking at the files. */
  public void start() {
    timer = vertx.setPeriodic(config.reloadEvery().toMillis(), id -> check());
  }

  /** Stops looking at the files. */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Certificates taken since the start. */
  public long reloads() {
    return reloads.get();
  }

  /** When the certificate in use expires, in seconds since the epoch. */
  public long notAfterSeconds() {
    return notAfterSeconds;
  }

  private void check() {
    if (!checking.compareAndSet(false, true)) {
      return; // the last look has not finished (a slow volume): one at a time
    }
    vertx.executeBlocking(this::look, false).onComplete(ar -> {
      if (ar.failed()) {
        checking.set(false);
        LOG.warn("listen TLS: looking at {} and {} failed", config.certFile(), config.keyFile(), ar.cause());
        return;
      }
      Pair pair = ar.result();
      if (pair == null) {
        checking.set(false);
        return;
      }
      apply.apply(TlsOptions.server(pair.cert, pair.key)).onComplete(done -> {
        synchronized (this) {
          if (done.succeeded()) {
            applied = pair.digest;
            notAfterSeconds = pair.leaf.getNotAfter().getTime() / 1000;
            reloads.incrementAndGet();
            LOG.info("listen TLS: new certificate {} (serial {}, valid until {}) for new connections",
                pair.leaf.getSubjectX500Principal().getName(), pair.leaf.getSerialNumber().toString(16),
                pair.leaf.getNotAfter());
          } else {
            broken = pair.digest;
            LOG.warn("listen TLS: the new certificate and key in {} and {} were refused ({}); the one in use is kept",
                config.certFile(), config.keyFile(), done.cause().getMessage());
          }
        }
        checking.set(false);
      });
    });
  }

  /** On a worker: the pair to apply now, or {@code null} (unchanged, not settled yet, or known broken). */
  private synchronized Pair look() {
    byte[] cert;
    byte[] key;
    try {
      cert = PemFiles.read(config.certFile());
      key = PemFiles.read(config.keyFile());
    } catch (IllegalArgumentException e) {
      return logBroken(digestOf(e.getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8)), e.getMessage());
    }
    byte[] digest = digest(cert, key);
    if (Arrays.equals(digest, applied) || Arrays.equals(digest, broken)) {
      candidate = null;
      return null;
    }
    if (!Arrays.equals(digest, candidate)) {
      candidate = digest; // changed since the last look: apply it once it reads the same again (a swap is over)
      return null;
    }
    candidate = null;
    try {
      List<X509Certificate> certs = PemFiles.certificates(cert, config.certFile());
      PemFiles.checkPrivateKey(key, config.keyFile(), certs.get(0));
      return new Pair(cert, key, digest, certs.get(0));
    } catch (IllegalArgumentException e) {
      return logBroken(digest, e.getMessage());
    }
  }

  private Pair logBroken(byte[] digest, String problem) {
    if (!Arrays.equals(digest, broken)) {
      broken = digest;
      LOG.warn("listen TLS: cannot use the new certificate and key ({}); the one in use is kept", problem);
    }
    return null;
  }

  private Pair read() {
    byte[] cert = PemFiles.read(config.certFile());
    byte[] key = PemFiles.read(config.keyFile());
    List<X509Certificate> certs = PemFiles.certificates(cert, config.certFile());
    PemFiles.checkPrivateKey(key, config.keyFile(), certs.get(0));
    return new Pair(cert, key, digest(cert, key), certs.get(0));
  }

  private static byte[] digest(byte[] cert, byte[] key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(cert);
      md.update((byte) 0);
      md.update(key);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] digestOf(byte[] bytes) {
    return digest(bytes, new byte[0]);
  }

  private record Pair(byte[] cert, byte[] key, byte[] digest, X509Certificate leaf) {}
}
