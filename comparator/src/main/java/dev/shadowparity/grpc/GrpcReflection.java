package dev.shadowparity.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's gRPC server reflection ({@code grpc.reflection.v1.ServerReflection}, else {@code v1alpha}): the file
 * descriptors of a service, asked once per service and kept. The messages are written and read by hand (a handful of
 * fields), over one HTTP/2 call each ({@link H2Call}). {@link #service} blocks its caller for at most the timeout
 * counted from when the service was first asked (later callers return at once once it has passed) and must never be
 * called on an event loop (the engine calls it from its compare pool). The answers are decoded and the descriptors
 * built on Vert.x worker threads, never on an event loop. Bounded: at most {@link #MAX_SERVICES} services kept (least
 * recently used out), {@link #MAX_FILES} files and {@link #MAX_ANSWER_BYTES} per answer; one fetch (all its calls)
 * ends within its deadline ({@link #FETCH_DEADLINE_MILLIS}, or the timeout when longer), the stream reset past it; at
 * most {@link #FETCHES_PER_MINUTE} fetches a minute per backend (new services, retries, refreshes: what a client
 * sending ever-new service names can make the tap ask), beyond that the call is read by field number; a service that
 * could not be had is asked again after {@link #RETRY_AFTER_MILLIS}, one that was had after {@link #TTL_MILLIS} (its
 * old descriptors are used until the new ones came). Problems are logged once a minute per kind, with counts.
 */
public final class GrpcReflection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcReflection.class);

  public static final int MAX_SERVICES = 256;
  public static final int MAX_FILES = 512;
  public static final long MAX_ANSWER_BYTES = 16L * 1024 * 1024;
  public static final long RETRY_AFTER_MILLIS = 60_000;
  /** How long one fetch may take at least (the reflection timeout when longer): past it, it failed. */
  public static final long FETCH_DEADLINE_MILLIS = 10_000;
  /** How long a service's descriptors are kept before they are asked again (a redeployed backend's new types). */
  public static final long TTL_MILLIS = 10 * 60_000;
  /** Fetches a minute per backend at most (a bucket of as many, refilled evenly over the minute). */
  public static final int FETCHES_PER_MINUTE = 10;
  /** A kind of problem is logged at most once in this long. */
  static final long WARN_EVERY_MILLIS = 60_000;
  static final String V1 = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
  static final String V1ALPHA = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

  private final Vertx vertx;
  private final H2Call call;
  private final URI backend;
  private final long timeoutMillis;
  private final long deadlineMillis;
  private final long ttlMillis;
  private final int fetchesPerMinute;
  private final String authority;
  private final Map<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_SERVICES;
    }
  };
  /** Guarded by {@link #cache}. */
  private double tokens;
  /** Guarded by {@link #cache}. */
  private long refilledNanos;
  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong waitsTimedOut = new AtomicLong();
  private final AtomicLong warnings = new AtomicLong();
  /** Kind: {total, since last logged, when last logged (nanos)}. Guarded by itself. */
  private final Map<String, long[]> problems = new LinkedHashMap<>();

  /**
   * @param set          the descriptors once come ({@code null}: could not be had); never completed exceptionally
   * @param startedNanos when it was asked
   * @param stale        the descriptors this refreshes, used until {@code set} is done; or null
   */
  private record Entry(CompletableFuture<DescriptorSet> set, long startedNanos, DescriptorSet stale) {}

  /**
   * Reflection of one backend.
   *
   * @param vertx         carries the calls
   * @param backend       the backend, {@code http://} (h2c) or {@code https://} (h2)
   * @param timeoutMillis how long one service's descriptors may take to come before its calls are read by number
   */
  public GrpcReflection(Vertx vertx, URI backend, long timeoutMillis) {
    this(vertx, backend, timeoutMillis, new io.vertx.core.http.HttpClientOptions(), null);
  }

  /** As {@link #GrpcReflection(Vertx, URI, long)}, with the backend's TLS settings in {@code base}. */
  public GrpcReflection(Vertx vertx, URI backend, long timeoutMillis, io.vertx.core.http.HttpClientOptions base) {
    this(vertx, backend, timeoutMillis, base, null);
  }

  /**
   * As {@link #GrpcReflection(Vertx, URI, long)}, with the backend's TLS settings in {@code base} and its
   * {@code server-name} (SNI and the name checked in its certificate; null: the URL's host).
   */
  public GrpcReflection(Vertx vertx, URI backend, long timeoutMillis, io.vertx.core.http.HttpClientOptions base,
      String serverName) {
    this(vertx, backend, timeoutMillis, base, serverName, Math.max(timeoutMillis, FETCH_DEADLINE_MILLIS), TTL_MILLIS,
        FETCHES_PER_MINUTE);
  }

  GrpcReflection(Vertx vertx, URI backend, long timeoutMillis, io.vertx.core.http.HttpClientOptions base,
      String serverName, long deadlineMillis, long ttlMillis, int fetchesPerMinute) {
    this.vertx = vertx;
    this.backend = backend;
    this.timeoutMillis = timeoutMillis;
    this.deadlineMillis = deadlineMillis;
    this.ttlMillis = ttlMillis;
    this.fetchesPerMinute = fetchesPerMinute;
    this.tokens = fetchesPerMinute;
    this.refilledNanos = System.nanoTime();
    this.call = new H2Call(vertx, backend, deadlineMillis, MAX_ANSWER_BYTES, base, serverName);
    this.authority = backend.getHost();
  }

  /** The backend this reflects. */
  public URI backend() {
    return backend;
  }

  /** Fetches started so far. */
  long fetches() {
    return fetches.get();
  }

  /** Callers that waited for a fetch until their time was up. */
  long waitsTimedOut() {
    return waitsTimedOut.get();
  }

  /** Warnings logged so far. */
  long warningsLogged() {
    return warnings.get();
  }

  /** Problems so far by kind ({@code rate-limited}, {@code deadline}, {@code failed}, ...). */
  Map<String, Long> problems() {
    Map<String, Long> out = new LinkedHashMap<>();
    synchronized (problems) {
      problems.forEach((k, v) -> out.put(k, v[0]));
    }
    return out;
  }

  /**
   * The descriptors of a service (full name), or {@code null} when the backend did not give them within the timeout
   * (no reflection, no such service, down, too many fetches this minute). Blocks at most until the timeout counted
   * from when the service was asked; never call on an event loop.
   */
  public DescriptorSet service(String fullName) {
    if (Vertx.currentContext() != null && Vertx.currentContext().isEventLoopContext()) {
      throw new IllegalStateException("gRPC reflection waits for the backend: not on an event loop");
    }
    Entry e;
    boolean refused = false;
    long now = System.nanoTime();
    synchronized (cache) {
      e = cache.get(fullName);
      if (e == null) {
        if (take(now)) {
          e = new Entry(fetch(fullName), now, null);
          cache.put(fullName, e);
        } else {
          refused = true;
        }
      } else if (e.set().isDone()) {
        DescriptorSet had = e.set().getNow(null);
        long age = now - e.startedNanos();
        if (had == null ? age > TimeUnit.MILLISECONDS.toNanos(RETRY_AFTER_MILLIS)
            : age > TimeUnit.MILLISECONDS.toNanos(ttlMillis)) {
          if (take(now)) {
            e = new Entry(fetch(fullName), now, had);
            cache.put(fullName, e);
          } else {
            refused = true; // the one kept (or none) meanwhile
          }
        }
      }
    }
    if (refused) {
      problem("rate-limited", fullName, "over " + fetchesPerMinute + " reflection fetches a minute");
    }
    if (e == null) {
      return null;
    }
    if (e.set().isDone()) {
      return e.set().getNow(null);
    }
    if (e.stale() != null) {
      return e.stale(); // refreshing: the descriptors had until the new ones come
    }
    long left = e.startedNanos() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) - now;
    if (left <= 0) {
      return null; // still coming, and this service's wait is over: read by field number without waiting again
    }
    try {
      return e.set().get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException x) {
      waitsTimedOut.incrementAndGet();
      return null; // still coming: this comparison decodes without it
    } catch (ExecutionException x) {
      return null; // never: completed with null on failure
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Takes one fetch from the bucket, when there is one. Holding {@link #cache}. */
  private boolean take(long now) {
    double perNano = fetchesPerMinute / (double) TimeUnit.MINUTES.toNanos(1);
    tokens = Math.min(fetchesPerMinute, tokens + (now - refilledNanos) * perNano);
    refilledNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Counts a problem; logs it when its kind was not logged within the last minute, with the count since. */
  private void problem(String kind, String service, String detail) {
    long since;
    long now = System.nanoTime();
    synchronized (problems) {
      long[] p = problems.computeIfAbsent(kind, k -> new long[] {0, 0, 0, 0});
      p[0]++;
      p[1]++;
      if (p[3] != 0 && now - p[2] < TimeUnit.MILLISECONDS.toNanos(WARN_EVERY_MILLIS)) {
        return;
      }
      since = p[1];
      p[1] = 0;
      p[2] = now;
      p[3] = 1;
    }
    warnings.incrementAndGet();
    LOG.warn("gRPC reflection of {}: {} x{} in the last minute (e.g. service {}: {}); their calls are compared by field "
        + "number, a failed service asked again after {} s; said again in a minute at most", backend, kind, since,
        service, detail, RETRY_AFTER_MILLIS / 1000);
  }

  private CompletableFuture<DescriptorSet> fetch(String service) {
    fetches.incrementAndGet();
    CompletableFuture<DescriptorSet> result = new CompletableFuture<>();
    long deadlineAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
    try {
      // a backstop: the calls fail at the deadline themselves, their streams reset
      long timer = vertx.setTimer(deadlineMillis + 1_000, id -> {
        if (result.complete(null)) {
          problem("deadline", service, "no answer within " + deadlineMillis + " ms");
        }
      });
      result.whenComplete((x, t) -> vertx.cancelTimer(timer));
      Map<String, FileDescriptorProto> files = new LinkedHashMap<>();
      ask(V1, symbolRequest(service), true, deadlineAt)
          .recover(t -> t instanceof Unimplemented ? ask(V1ALPHA, symbolRequest(service), false, deadlineAt)
              : Future.failedFuture(t))
          .compose(first -> {
            first.forEach(f -> files.putIfAbsent(f.getName(), f));
            return completeImports(files, 0, deadlineAt);
          })
          // building resolves every type: not on the event loop
          .compose(v -> vertx.executeBlocking(() -> DescriptorSet.of(files.values()), false))
          .onComplete(ar -> {
            try {
              if (ar.failed()) {
                Throwable t = ar.cause();
                if (t instanceof IllegalArgumentException) {
                  problem("not-built", service, "the descriptors do not build (" + t.getMessage() + ")");
                } else if (System.nanoTime() - deadlineAt >= 0) {
                  problem("deadline", service, "no answer within " + deadlineMillis + " ms");
                } else {
                  problem("failed", service, String.valueOf(t.getMessage()));
                }
                result.complete(null);
              } else if (!ar.result().hasService(service)) {
                problem("unknown-service", service, "the backend does not know it");
                result.complete(null);
              } else {
                LOG.info("gRPC reflection of {}: service {} known ({} files)", backend, service, files.size());
                result.complete(ar.result());
              }
            } catch (RuntimeException t) {
              problem("error", service, t.toString());
              result.complete(null);
            }
          });
    } catch (RuntimeException t) {
      problem("error", service, t.toString());
      result.complete(null);
    }
    return result;
  }

  private volatile String path = V1;

  /** Asks for the files that the files so far import and lack, until none is missing. */
  private Future<Void> completeImports(Map<String, FileDescriptorProto> files, int round, long deadlineAt) {
    List<String> missing = new ArrayList<>();
    for (FileDescriptorProto f : files.values()) {
      for (String d : f.getDependencyList()) {
        if (!files.containsKey(d) && !missing.contains(d)) {
          missing.add(d);
        }
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    if (files.size() + missing.size() > MAX_FILES || round > 32) {
      return Future.failedFuture("more than " + MAX_FILES + " files or 32 rounds of imports");
    }
    ByteArrayOutputStream requests = new ByteArrayOutputStream();
    for (String name : missing) {
      byte[] r = fileRequest(name);
      requests.writeBytes(GrpcFrames.frame(List.of(r)));
    }
    return askFramed(path, requests.toByteArray(), false, deadlineAt).compose(more -> {
      boolean added = false;
      for (FileDescriptorProto f : more) {
        added |= files.putIfAbsent(f.getName(), f) == null;
      }
      return added ? completeImports(files, round + 1, deadlineAt)
          : Future.failedFuture("the backend did not send imported files " + missing);
    });
  }

  private static final class Unimplemented extends RuntimeException {
    Unimplemented(String m) {
      super(m, null, false, false);
    }
  }

  private Future<List<FileDescriptorProto>> ask(String path, byte[] request, boolean firstTry, long deadlineAt) {
    return askFramed(path, GrpcFrames.frame(List.of(request)), firstTry, deadlineAt).onSuccess(x -> this.path = path);
  }

  private Future<List<FileDescriptorProto>> askFramed(String path, byte[] framed, boolean mayBeUnimplemented,
      long deadlineAt) {
    long left = (deadlineAt - System.nanoTime() + 999_999) / 1_000_000; // rounded up: it fails at or past the deadline
    return call.post(path, Map.of("content-type", "application/grpc", "te", "trailers"), framed, left).compose(a -> {
      String status = a.trailers().get("grpc-status");
      if (status == null) {
        status = a.headers().get("grpc-status");
      }
      if (mayBeUnimplemented && (a.status() == 404 || "12".equals(status))) {
        return Future.failedFuture(new Unimplemented(path + " unimplemented"));
      }
      if (a.status() != 200 || (status != null && !"0".equals(status.trim()))) {
        return Future.failedFuture(path + ": HTTP " + a.status() + ", grpc-status " + GrpcPath.describeStatus(status)
            + (a.trailers().get("grpc-message") == null ? "" : " " + GrpcPath.decodeMessage(a.trailers().get("grpc-message"))));
      }
      // unframing (gunzip up to 16 MiB) and parsing: on a worker, not on the event loop
      return vertx.executeBlocking(() -> decode(a), false);
    });
  }

  private static List<FileDescriptorProto> decode(H2Call.Answer a) throws IOException {
    GrpcFrames.Frames frames = GrpcFrames.read(a.body(), a.headers().get("grpc-encoding"), MAX_ANSWER_BYTES, MAX_FILES);
    if (!frames.ok()) {
      throw new IOException(frames.problem());
    }
    List<FileDescriptorProto> out = new ArrayList<>();
    for (byte[] m : frames.messages()) {
      readResponse(m, out);
    }
    return out;
  }

  /** ServerReflectionRequest { string host = 1; string file_containing_symbol = 4; } */
  private byte[] symbolRequest(String symbol) {
    return request(4, symbol);
  }

  /** ServerReflectionRequest { string host = 1; string file_by_filename = 3; } */
  private byte[] fileRequest(String name) {
    return request(3, name);
  }

  private byte[] request(int field, String value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeString(1, authority == null ? "" : authority);
      out.writeString(field, value);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
  }

  /**
   * ServerReflectionResponse { FileDescriptorResponse file_descriptor_response = 4; ErrorResponse error_response = 7; },
   * FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }, ErrorResponse { int32 error_code = 1;
   * string error_message = 2; }.
   */
  static void readResponse(byte[] message, List<FileDescriptorProto> out) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    int tag;
    while ((tag = in.readTag()) != 0) {
      int number = tag >>> 3;
      if (number == 4) {
        CodedInputStream files = in.readBytes().newCodedInput();
        int t;
        while ((t = files.readTag()) != 0) {
          if (t >>> 3 == 1) {
            out.add(FileDescriptorProto.parseFrom(files.readBytes()));
          } else {
            files.skipField(t);
          }
        }
      } else if (number == 7) {
        CodedInputStream err = in.readBytes().newCodedInput();
        int code = 0;
        String text = "";
        int t;
        while ((t = err.readTag()) != 0) {
          if (t >>> 3 == 1) {
            code = err.readInt32();
          } else if (t >>> 3 == 2) {
            text = err.readString();
          } else {
            err.skipField(t);
          }
        }
        throw new IOException("reflection error " + GrpcPath.describeStatus(Integer.toString(code)) + ": " + text);
      } else {
        in.skipField(tag);
      }
    }
  }

  @Override
  public void close() {
    call.close();
  }
}
