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
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Map;

/**
 * One HTTP/2 POST to a gRPC backend, the whole answer read (status, headers, body up to a cap, trailers): over
 * {@code h2c} with prior knowledge for an {@code http://} backend, over TLS with ALPN {@code h2} for {@code https://}
 * (the JVM's trust). Used for server reflection; non-blocking (a {@link Future}).
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

  private final HttpClient client;
  private final URI backend;
  private final long maxBodyBytes;

  /**
   * A client of one backend.
   *
   * @param vertx        the Vert.x instance whose event loops carry the calls
   * @param backend      {@code http://host:port} (h2c) or {@code https://host:port} (h2)
   * @param timeoutMillis the whole call's timeout
   * @param maxBodyBytes an answer with a larger body fails the call
   */
  public H2Call(Vertx vertx, URI backend, long timeoutMillis, long maxBodyBytes) {
    this.backend = backend;
    this.maxBodyBytes = maxBodyBytes;
    boolean tls = "https".equalsIgnoreCase(backend.getScheme());
    HttpClientOptions options = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setSsl(tls)
        .setUseAlpn(tls)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
        .setIdleTimeout(60)
        .setDefaultHost(backend.getHost())
        .setDefaultPort(backend.getPort() > 0 ? backend.getPort() : tls ? 443 : 80);
    this.client = vertx.createHttpClient(options);
    this.timeoutMillis = timeoutMillis;
  }

  private final long timeoutMillis;

  /** POSTs a body to a path with these headers and reads the whole answer. */
  public Future<Answer> post(String path, Map<String, String> headers, byte[] body) {
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setURI(path).setIdleTimeout(timeoutMillis);
    headers.forEach(ro::putHeader);
    return client.request(ro).compose(req -> req.send(Buffer.buffer(body))).compose(resp -> {
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
        return Future.failedFuture(backend + path + ": answer of " + declared + " bytes, over " + maxBodyBytes);
      }
      Buffer collected = Buffer.buffer();
      io.vertx.core.Promise<Answer> done = io.vertx.core.Promise.promise();
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
    });
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
