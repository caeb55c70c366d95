package dev.shadowparity.grpc;

import dev.shadowparity.engine.Headers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.Map;

/**
 * One HTTP/2 POST to a gRPC backend, the whole answer read (status, headers, body up to a cap, trailers): over
 * {@code h2c} with prior knowledge for an {@code http://} backend, over TLS with ALPN {@code h2} for {@code https://}
 * (the trust, client certificate and hostname check of the options given: the backend's {@code tls:} block; SNI and
 * the name checked are its {@code server-name} when set, the connection always goes to the URL's address). Every call
 * has an overall deadline: past it the stream is reset and the call fails, whatever trickles in. Used for server
 * reflection; non-blocking (a {@link Future}).
 */
public final class H2Call implements AutoCloseable {

  /**
   * What came back.
   *
   * @param status   the HTTP status
   * @param headers  the response headers
   * @param body     the body bytes
   * @param trailers the trailers
   */
  public record Answer(int status, Headers headers, byte[] body, Headers trailers) {}

  private final Vertx vertx;
  private final HttpClient client;
  private final URI backend;
  private final long maxBodyBytes;
  private final SocketAddress address;
  private final String name;
  private final int port;

  /**
   * A client of one backend.
   *
   * @param vertx        the Vert.x instance whose event loops carry the calls
   * @param backend      {@code http://host:port} (h2c) or {@code https://host:port} (h2)
   * @param timeoutMillis the whole call's timeout (connecting included)
   * @param maxBodyBytes an answer with a larger body fails the call
   */
  public H2Call(Vertx vertx, URI backend, long timeoutMillis, long maxBodyBytes) {
    this(vertx, backend, timeoutMillis, maxBodyBytes, new HttpClientOptions(), null);
  }

  /**
   * As {@link #H2Call(Vertx, URI, long, long)}, over {@code base}: the backend's TLS settings (its {@code tls:} block:
   * CAs, client certificate, hostname verification), so reflection reaches a backend behind a private CA or mutual
   * TLS as the proxy does; {@code serverName} (its {@code server-name}, or null for the URL's host) is the name sent as
   * SNI and checked in the certificate, as the proxy's.
   */
  public H2Call(Vertx vertx, URI backend, long timeoutMillis, long maxBodyBytes, HttpClientOptions base,
      String serverName) {
    this.vertx = vertx;
    this.backend = backend;
    this.maxBodyBytes = maxBodyBytes;
    boolean tls = "https".equalsIgnoreCase(backend.getScheme());
    HttpClientOptions options = new HttpClientOptions(base)
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setSsl(tls)
        .setUseAlpn(tls)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
        .setIdleTimeout(60);
    this.client = vertx.createHttpClient(options);
    this.timeoutMillis = timeoutMillis;
    this.port = backend.getPort() > 0 ? backend.getPort() : tls ? 443 : 80;
    String host = backend.getHost();
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    this.address = SocketAddress.inetSocketAddress(port, host);
    this.name = tls && serverName != null && !serverName.isBlank() ? serverName : host;
  }

  private final long timeoutMillis;

  /** POSTs a body to a path with these headers and reads the whole answer, within the call's timeout. */
  public Future<Answer> post(String path, Map<String, String> headers, byte[] body) {
    return post(path, headers, body, timeoutMillis);
  }

  /**
   * POSTs a body to a path with these headers and reads the whole answer; fails, the stream reset, when the answer has
   * not ended within {@code deadlineMillis} (a backend trickling bytes included).
   */
  public Future<Answer> post(String path, Map<String, String> headers, byte[] body, long deadlineMillis) {
    io.vertx.core.Promise<Answer> done = io.vertx.core.Promise.promise();
    if (deadlineMillis <= 0) {
      return Future.failedFuture(backend + path + ": no time left");
    }
    java.util.concurrent.atomic.AtomicReference<HttpClientRequest> sent = new java.util.concurrent.atomic.AtomicReference<>();
    long timer = vertx.setTimer(deadlineMillis, id -> {
      if (done.tryFail(backend + path + ": no complete answer within " + deadlineMillis + " ms")) {
        HttpClientRequest r = sent.get();
        if (r != null) {
          r.reset();
        }
      }
    });
    done.future().onComplete(x -> vertx.cancelTimer(timer));
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setServer(address).setHost(name).setPort(port)
        .setURI(path).setIdleTimeout(Math.min(deadlineMillis, timeoutMillis))
        .setConnectTimeout(Math.min(deadlineMillis, timeoutMillis));
    headers.forEach(ro::putHeader);
    client.request(ro).compose(req -> {
      sent.set(req);
      if (done.future().isComplete()) {
        req.reset();
        return Future.failedFuture("deadline passed");
      }
      return req.send(Buffer.buffer(body));
    }).compose(resp -> {
      long declared = -1;
      String cl = resp.getHeader("content-length");
      if (cl != null) {
        try {
          declared = Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
          declared = -1; // read and counted instead
        }
      }
      if (declared > maxBodyBytes) {
        resp.request().reset();
        return Future.failedFuture(backend + path + ": answer of " + declared + " bytes, over " + maxBodyBytes);
      }
      Buffer collected = Buffer.buffer();
      resp.handler(chunk -> {
        if (collected.length() + chunk.length() > maxBodyBytes) {
          done.tryFail(backend + path + ": answer over " + maxBodyBytes + " bytes");
          resp.request().reset();
          return;
        }
        collected.appendBuffer(chunk);
      });
      resp.exceptionHandler(done::tryFail);
      resp.endHandler(v -> done.tryComplete(new Answer(resp.statusCode(), headers(resp.headers()), collected.getBytes(),
          headers(resp.trailers()))));
      return done.future();
    }).onFailure(done::tryFail);
    return done.future();
  }

  static Headers headers(MultiMap m) {
    Headers.Builder b = Headers.builder();
    for (Map.Entry<String, String> e : m) {
      b.add(e.getKey(), e.getValue());
    }
    return b.build();
  }

  @Override
  public void close() {
    client.close();
  }
}
