package dev.shadowparity.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server reflection against real HTTP/2 servers on 127.0.0.1 (Vert.x, h2c or h2 over TLS; grpc-java for a real
 * reflection service): a backend that trickles its answer, the rate of fetches, the TTL, the TLS server name. States
 * and counts are asserted; every wait is bounded.
 */
class GrpcReflectionTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpServer listen(HttpServerOptions options, Consumer<HttpServerRequest> handler) throws Exception {
    return vertx.createHttpServer(options).requestHandler(handler::accept).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void close(HttpServer s) throws Exception {
    s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Answers 200 and then one byte every 20 ms, never ending; counts requests and reset streams. */
  private static HttpServer trickling(AtomicInteger requests, AtomicInteger closed) throws Exception {
    return listen(new HttpServerOptions(), req -> {
      requests.incrementAndGet();
      req.response().setStatusCode(200).putHeader("content-type", "application/grpc");
      req.response().write(Buffer.buffer(new byte[] {0}));
      long timer = vertx.setPeriodic(20, id -> req.response().write(Buffer.buffer(new byte[] {0})));
      req.response().closeHandler(v -> {
        vertx.cancelTimer(timer);
        closed.incrementAndGet();
      });
    });
  }

  /** Answers every call at once with grpc-status NOT_FOUND (trailers-only). */
  private static Consumer<HttpServerRequest> notFound(AtomicInteger requests) {
    return req -> {
      requests.incrementAndGet();
      req.end().onComplete(x -> req.response().setStatusCode(200).putHeader("content-type", "application/grpc")
          .putHeader("grpc-status", "5").end());
    };
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    dev.shadowparity.Await.until(condition, java.time.Duration.ofSeconds(10), "the reflection test's state");
  }

  private static URI h2c(HttpServer s) {
    return URI.create("http://127.0.0.1:" + s.actualPort());
  }

  @Test
  void aTricklingBackendFailsTheFetchAtItsDeadlineItsStreamResetAndIsNotWaitedForAgain() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    HttpServer server = trickling(requests, closed);
    // a comparison would wait 20 s; the fetch's deadline is 300 ms
    try (GrpcReflection r = new GrpcReflection(vertx, h2c(server), 20_000, new HttpClientOptions(), null, 300,
        GrpcReflection.TTL_MILLIS, 10)) {
      assertThat(r.service("shop.v1.Slow")).isNull();
      assertThat(r.waitsTimedOut()).isZero(); // it ended (failed) within the deadline, not the comparison's timeout
      assertThat(r.problems()).containsEntry("deadline", 1L);
      await(() -> closed.get() == 1); // the stream was reset
      // failed: read by field number until the retry time, no wait, no new call
      assertThat(r.service("shop.v1.Slow")).isNull();
      assertThat(r.fetches()).isEqualTo(1);
      assertThat(requests.get()).isEqualTo(1);
      assertThat(r.waitsTimedOut()).isZero();
    } finally {
      close(server);
    }
  }

  @Test
  void whileAFetchIsPendingOnlyTheFirstComparisonsWaitUntilTheTimeout() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    HttpServer server = trickling(requests, closed);
    try (GrpcReflection r = new GrpcReflection(vertx, h2c(server), 200, new HttpClientOptions(), null, 30_000,
        GrpcReflection.TTL_MILLIS, 10)) {
      assertThat(r.service("shop.v1.Slow")).isNull();
      assertThat(r.waitsTimedOut()).isEqualTo(1);
      // the service's 200 ms are over: later comparisons return at once, by field number
      for (int i = 0; i < 5; i++) {
        assertThat(r.service("shop.v1.Slow")).isNull();
      }
      assertThat(r.waitsTimedOut()).isEqualTo(1);
      assertThat(r.fetches()).isEqualTo(1);
    } finally {
      close(server);
    }
  }

  @Test
  void newServicesAreFetchedAtABoundedRateAndProblemsAreLoggedOncePerKind() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = listen(new HttpServerOptions(), notFound(requests));
    // one fetch a minute: a client naming six new services makes the tap ask OLD once
    try (GrpcReflection r = new GrpcReflection(vertx, h2c(server), 5_000, new HttpClientOptions(), null, 5_000,
        GrpcReflection.TTL_MILLIS, 1)) {
      for (int i = 0; i < 6; i++) {
        assertThat(r.service("evil.v1.S" + i)).isNull();
      }
      assertThat(requests.get()).isEqualTo(1);
      assertThat(r.fetches()).isEqualTo(1);
      assertThat(r.problems()).containsEntry("failed", 1L).containsEntry("rate-limited", 5L);
      for (int i = 0; i < 6; i++) {
        r.service("evil.v1.S" + i);
      }
      // S0 failed and waits for its retry time (no fetch wanted); the five others are still refused
      assertThat(r.problems()).containsEntry("rate-limited", 10L);
      assertThat(requests.get()).isEqualTo(1);
      assertThat(r.warningsLogged()).isEqualTo(2); // one per kind, not one per service
    } finally {
      close(server);
    }
  }

  @Test
  void descriptorsHadAreAskedAgainAfterTheTtlAndUsedMeanwhile() throws Exception {
    Server grpc = GrpcBackends.start(false, "v1");
    try (GrpcReflection r = new GrpcReflection(vertx, URI.create("http://127.0.0.1:" + grpc.getPort()), 10_000,
        new HttpClientOptions(), null, 10_000, 0, 10)) {
      assertThat(r.service("shop.v1.Users")).isNotNull();
      assertThat(r.fetches()).isEqualTo(1);
      long fetched = System.nanoTime();
      await(() -> System.nanoTime() > fetched); // older than the TTL of 0 ms
      // expired: asked again, the kept descriptors read this call meanwhile
      assertThat(r.service("shop.v1.Users")).isNotNull();
      assertThat(r.fetches()).isEqualTo(2);
    } finally {
      GrpcBackends.stop(grpc);
    }
  }

  @Test
  void overTlsTheConfiguredServerNameIsSentAndCheckedWhileTheUrlsAddressIsDialled() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("backend.test");
    AtomicInteger requests = new AtomicInteger();
    AtomicReference<String> sni = new AtomicReference<>();
    Consumer<HttpServerRequest> answer = notFound(requests);
    HttpServer server = listen(new HttpServerOptions().setSsl(true).setUseAlpn(true).setSni(true)
        .setKeyCertOptions(cert.keyCertOptions()), req -> {
          sni.set(req.connection().indicatedServerName());
          answer.accept(req);
        });
    HttpClientOptions tls = new HttpClientOptions().setTrustOptions(cert.trustOptions()).setVerifyHost(true);
    try (GrpcReflection r = new GrpcReflection(vertx, URI.create("https://127.0.0.1:" + server.actualPort()), 5_000,
        tls, "backend.test")) {
      assertThat(r.service("shop.v1.Users")).isNull(); // NOT_FOUND, but asked: the certificate names backend.test
      assertThat(requests.get()).isEqualTo(1);
      assertThat(sni.get()).isEqualTo("backend.test");
      assertThat(r.problems()).containsEntry("failed", 1L);
    } finally {
      close(server);
      cert.delete();
    }
  }
}
