package dev.shadowparity.replay;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.concurrent.Deadlines;
import dev.shadowparity.concurrent.NappingWorkers;
import dev.shadowparity.concurrent.Window;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.ledger.Outcome;
import dev.shadowparity.http.Backend;
import dev.shadowparity.http.BackendClients;
import dev.shadowparity.http.BufferedCall;
import dev.shadowparity.http.HopByHop;
import dev.shadowparity.ledger.SkipReason;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays capture files against OLD and NEW (or NEW alone, against the recorded OLD responses) through the
 * same engine as the tap. The calling thread reads the files and paces the requests; event loops send them
 * (one HTTP client pair per loop); a pool of comparison threads compares. At most {@code concurrency}
 * requests are in flight or waiting for their comparison, holding at most twice {@code limits.max-record-bytes} of
 * recorded bodies between them, and one record is read at a time, capped at {@code limits.max-record-bytes}: memory
 * stays flat whatever the file size.
 *
 * <p>Why one file of this length: one run's reading, pacing, sending (its event-loop senders) and hand-over to the
 * comparisons share the window and the counts of that run.
 */
public final class Replayer {

  private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);
  /** Problems kept in the result with their positions; all are counted. */
  public static final int MAX_PROBLEMS_KEPT = 100;

  private final ParityEngine engine;
  private final ReplayOptions options;
  private final ReplayListener listener;
  private final Backend old;
  private final Backend neu;
  private final long responseCap;
  private final long maxRecordBytes;

  private final LongAdder records = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder mismatched = new LongAdder();
  private final LongAdder corrupt = new LongAdder();
  private final List<InputProblem> problems = new CopyOnWriteArrayList<>();
  private final Map<String, LongAdder> ignored = new ConcurrentHashMap<>();
  private final AtomicLong bytesDone = new AtomicLong();
  private volatile long bytesTotal;
  private volatile long startNanos;

  public Replayer(ParityEngine engine, ReplayOptions options, ReplayListener listener) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.options = Objects.requireNonNull(options, "options");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.neu = Backend.parse("new", Objects.requireNonNull(options.newUrl(), "the NEW URL is required"));
    this.old = options.oldUrl() == null ? null : Backend.parse("old", options.oldUrl());
    if (options.noiseProbe() && old == null) {
      throw new IllegalArgumentException("--noise-probe asks OLD twice, so it needs --old");
    }
    this.responseCap = engine.config().limits().responseCopyBytes();
    this.maxRecordBytes = engine.config().limits().maxRecordBytes();
  }

  /** A snapshot for progress lines. */
  public record Progress(long records, long sent, long completed, long mismatched, long corrupt, long bytesRead,
      long bytesTotal, long elapsedNanos) {}

  public Progress progress() {
    long start = startNanos;
    return new Progress(records.sum(), sent.sum(), completed.sum(), mismatched.sum(), corrupt.sum(), bytesDone.get(),
        bytesTotal, start == 0 ? 0 : System.nanoTime() - start);
  }

  /**
   * Replays the files in order and returns what was found. Blocks until every request sent has been
   * compared (or has failed).
   *
   * @throws IOException when a file cannot be opened or its format told (nothing has been sent from it)
   */
  public ReplayResult run(List<Path> files) throws IOException, InterruptedException {
    for (Path f : files) {
      if (!Files.isReadable(f) || Files.isDirectory(f)) {
        throw new java.nio.file.NoSuchFileException(f.toString(), null, "not a readable file");
      }
      bytesTotal += Files.size(f);
      // every file must open and have a known format before anything is sent
      CaptureFiles.open(f, options.format(), maxRecordBytes).close();
    }
    startNanos = System.nanoTime();
    // limits.event-loops, as the tap's: half the CPUs by default. The comparison threads, the reading thread and the
    // backends themselves need the rest; on 2 cores one loop sent as much as two, for less CPU (bench/README.md)
    int loops = Math.max(1, Math.min(engine.config().limits().eventLoops(), options.concurrency()));
    // the same factory as the tap's: the transport limits.transport names (epoll where it runs, by default)
    Vertx vertx = dev.shadowparity.http.VertxFactory.create(loops, engine.config().limits().transport());
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    // the window bounds what is in flight, so the queue (sized to it) can never refuse a comparison
    NappingWorkers compare = new NappingWorkers("replay-compare", threads, options.concurrency());
    if (engine.config().grpc().reflection()) {
      // gRPC calls of services no descriptor set names are read with the backends' server reflection, as in the tap;
      // against recorded OLD only NEW's is asked (its types then read both sides)
      long timeout = engine.config().grpc().reflectionTimeoutDuration().toMillis();
      engine.grpcSchemas().reflectOn(
          options.oldUrl() == null ? null : new dev.shadowparity.grpc.GrpcReflection(vertx, java.net.URI.create(options.oldUrl()), timeout),
          new dev.shadowparity.grpc.GrpcReflection(vertx, java.net.URI.create(options.newUrl()), timeout));
    }
    try {
      List<Sender> senders = deploy(vertx, loops);
      Window slots = new Window(options.concurrency());
      HeldBytes held = new HeldBytes(dev.shadowparity.config.LimitsConfig.recordBytesInFlight(maxRecordBytes));
      List<ReplayResult.FileInput> inputs = new ArrayList<>();
      Pacer pacer = new Pacer(options.rate(), options.speed());
      boolean stopped = false;
      long next = 0;
      for (Path file : files) {
        FileCounts counts = new FileCounts();
        long before = bytesDone.get();
        List<String> hosts = options.hosts();
        boolean hostChosen = false;
        if (hosts.isEmpty()) {
          String most = mostFrequentHarHost(file);
          if (most != null) {
            hosts = List.of(most);
            hostChosen = true;
          }
        }
        try (CaptureReader reader = CaptureFiles.open(file, options.format(), maxRecordBytes)) {
          counts.format = reader.format().wireName();
          CaptureItem item;
          while (!stopped && (item = reader.next()) != null) {
            records.increment();
            counts.records++;
            bytesDone.set(before + reader.bytesRead());
            if (item instanceof CaptureItem.Corrupt c) {
              counts.corrupt++;
              corrupt(new InputProblem(file.toString(), c.position(), c.problem()));
            } else if (item instanceof CaptureItem.Ignored i) {
              counts.ignored++;
              ignored.computeIfAbsent(i.reason(), k -> new LongAdder()).increment();
            } else if (item instanceof CaptureItem.Captured c && !hosts.isEmpty()
                && !ReplayOptions.hostMatches(c.host(), hosts)) {
              counts.ignored++;
              ignored.computeIfAbsent(OTHER_HOST, k -> new LongAdder()).increment();
              otherHost(c.host());
            } else if (item instanceof CaptureItem.Captured c) {
              String endpoint = engine.endpointOf(c.request());
              SkipReason skip = skipReason(c);
              if (skip != null) {
                if (skip == SkipReason.UNSAFE_METHOD && old == null && c.recordedOld() != null) {
                  // the recorded OLD answers saw this write and NEW never gets it: later reads of the resource may
                  // differ for that alone (each read carries the write sequence of its place in the file, so this
                  // write explains only the reads after it)
                  engine.unmirroredWrite(c.request().method(), c.request().uri(), c.recordedOld().status(),
                      c.epochMillis() < 0 ? null : java.time.Instant.ofEpochMilli(c.epochMillis()));
                }
                engine.skip(endpoint, skip);
                continue;
              }
              pacer.await(c.epochMillis());
              Outgoing out = outgoing(c);
              c = null; // a recorded body over the copy cap is let go here, only its digest goes on
              item = null;
              slots.acquire();
              long bytes = held.acquire(out.heldBytes());
              Runnable release = () -> {
                held.release(bytes);
                slots.release();
              };
              sent.increment();
              senders.get((int) (next++ % senders.size())).send(file.toString(), endpoint, out, engine.writeSequence(), compare,
                  release);
              stopped = options.limit() > 0 && sent.sum() >= options.limit();
            }
          }
        }
        inputs.add(new ReplayResult.FileInput(file.toString(), counts.format, counts.records, counts.corrupt,
            counts.ignored, hosts, hostChosen));
        if (stopped) {
          break;
        }
      }
      slots.awaitEmpty(); // every request answered and compared
      Map<String, Long> ignoredCounts = new java.util.TreeMap<>();
      ignored.forEach((k, v) -> ignoredCounts.put(k, v.sum()));
      Map<String, Long> hostCounts = new java.util.TreeMap<>();
      otherHosts.forEach((k, v) -> hostCounts.put(k, v.sum()));
      ReplayResult.Input input = new ReplayResult.Input(inputs, records.sum(), sent.sum(), corrupt.sum(),
          problems, ignoredCounts, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), stopped, hostCounts,
          unconditioned.sum(), http2Sent.sum());
      // a run of its own: shards of one replay are distinct sources, and so summable by parity gate --report
      return new ReplayResult(engine.report().withSource("replay " + java.util.UUID.randomUUID()), input);
    } finally {
      compare.shutdown(0, task -> LOG.warn("replay ended with a comparison still queued"));
      close(vertx);
    }
  }

  /** The reason under which requests to another host than {@code --host} are counted. */
  public static final String OTHER_HOST = "other-host";
  /** Other hosts listed by name in the input summary; the rest are summed. */
  static final int MAX_HOSTS_LISTED = 50;
  private final Map<String, LongAdder> otherHosts = new java.util.concurrent.ConcurrentHashMap<>();
  private final LongAdder unconditioned = new LongAdder();
  private final LongAdder http2Sent = new LongAdder();

  /**
   * Whether a record goes over HTTP/2: it came over HTTP/2 and needs it. A gRPC call (its status is in HTTP/2
   * trailers, and gRPC servers speak nothing else) always does; any other over HTTP/2 when a backend is https://, where
   * ALPN falls back to HTTP/1.1 for a server without it. A plain REST request recorded over HTTP/2 goes to an
   * http:// backend over HTTP/1.1: prior knowledge would fail with a server that has no h2c, and the answer is the same.
   */
  private boolean sendsOverHttp2(RecordedRequest request) {
    if (!request.http2()) {
      return false;
    }
    String type = request.headers().get("content-type");
    boolean grpc = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/grpc");
    return grpc || neu.ssl() && (old == null || old.ssl());
  }

  private void otherHost(String host) {
    String key = host == null ? "(none)" : otherHosts.containsKey(host) || otherHosts.size() < MAX_HOSTS_LISTED ? host
        : "(other hosts)";
    otherHosts.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  /**
   * For a HAR file, the host most of its requests went to (a page also loads fonts, scripts and analytics from other
   * hosts, which are not OLD); {@code null} for other formats, or a HAR whose requests all went to one host. Reads the
   * file once more, streaming.
   */
  private String mostFrequentHarHost(Path file) throws IOException {
    Map<String, long[]> counts = new java.util.HashMap<>();
    try (CaptureReader reader = CaptureFiles.open(file, options.format(), maxRecordBytes)) {
      if (reader.format() != CaptureFormat.HAR) {
        return null;
      }
      CaptureItem item;
      while ((item = reader.next()) != null) {
        if (item instanceof CaptureItem.Captured c && c.host() != null && (counts.containsKey(c.host()) || counts.size() < 1000)) {
          counts.computeIfAbsent(c.host(), k -> new long[1])[0]++;
        }
      }
    }
    if (counts.size() < 2) {
      return null;
    }
    return counts.entrySet().stream().max(Map.Entry.<String, long[]>comparingByValue(java.util.Comparator.comparingLong(a -> a[0]))
        .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse(null);
  }

  /**
   * What is sent for a record: its request and OLD's recorded answer. A recorded body over {@code
   * limits.response-copy-bytes} is judged as a live answer over the cap is, by its length and digest, so that replay
   * never parses more than the cap of a body, whatever {@code limits.max-record-bytes} lets be read.
   */
  private Outgoing outgoing(CaptureItem.Captured c) {
    RecordedResponse r = c.recordedOld();
    BackendResult recorded = r != null && r.body().length > responseCap ? dev.shadowparity.http.BodyDigest.of(r) : r;
    return new Outgoing(c.request(), c.position(), recorded, old == null && revalidated(c), c.oldUnrecorded());
  }

  /**
   * A request on its way: what the senders and the comparison need of its record.
   *
   * @param recordedOld  OLD's recorded answer (a {@link RecordedResponse}, or an {@link
   *                     dev.shadowparity.engine.OversizedResponse} for a body over the copy cap), or null
   * @param revalidation a recorded revalidation, sent to NEW without its conditional headers
   */
  private record Outgoing(RecordedRequest request, String position, BackendResult recordedOld, boolean revalidation,
      java.util.Set<dev.shadowparity.engine.Unrecorded> oldUnrecorded) {

    /** Bytes of recorded bodies it holds until its comparison is done. */
    long heldBytes() {
      return request.body().length + (recordedOld instanceof RecordedResponse r ? r.body().length : 0L);
    }
  }

  private SkipReason skipReason(CaptureItem.Captured c) {
    RecordedRequest r = c.request();
    if (options.include() != null || options.exclude() != null) {
      String line = r.method() + " " + r.uri();
      if ((options.include() != null && !options.include().matcher(line).find())
          || (options.exclude() != null && options.exclude().matcher(line).find())) {
        return SkipReason.FILTERED;
      }
    }
    if (!options.allowUnsafe() && !ReplayOptions.SAFE_METHODS.contains(r.method())) {
      return SkipReason.UNSAFE_METHOD;
    }
    if (old == null && c.recordedOld() == null) {
      return SkipReason.NO_RECORDED_RESPONSE;
    }
    return null;
  }

  private void corrupt(InputProblem problem) {
    corrupt.increment();
    if (problems.size() < MAX_PROBLEMS_KEPT) {
      problems.add(problem);
    }
    LOG.debug("corrupt record {}", problem);
    listener.corrupt(problem);
  }

  private List<Sender> deploy(Vertx vertx, int loops) throws IOException, InterruptedException {
    List<Sender> senders = new CopyOnWriteArrayList<>();
    int perLoop = Math.max(1, (options.concurrency() + loops - 1) / loops);
    try {
      vertx.deployVerticle(() -> new Sender(perLoop, senders), new DeploymentOptions().setInstances(loops))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot start the HTTP clients: " + e.getMessage(), e);
    }
    return senders;
  }

  private static void close(Vertx vertx) throws InterruptedException {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
  }

  /** One event loop's clients; sends requests given to it from the reading thread. */
  private final class Sender extends AbstractVerticle {
    private final int poolSize;
    private final List<Sender> registry;
    private HttpClient oldClient;
    private HttpClient newClient;
    private HttpClient oldH2Client;
    private HttpClient newH2Client;
    private Context ctx;
    /**
     * This loop's deadlines of its calls, all {@code --timeout} long: one list swept by a periodic timer (as the
     * tap's), not a timer set and cancelled per call. Null for a timeout under a millisecond (a timer per call).
     */
    private Deadlines<Runnable> deadlines;

    Sender(int poolSize, List<Sender> registry) {
      this.poolSize = poolSize;
      this.registry = registry;
    }

    @Override
    public void start() {
      ctx = context;
      HttpClientOptions o = new HttpClientOptions().setKeepAlive(true)
          .setConnectTimeout((int) options.connectTimeout().toMillis()).setMaxInitialLineLength(64 * 1024)
          .setMaxHeaderSize(256 * 1024);
      PoolOptions pool = new PoolOptions().setHttp1MaxSize(poolSize);
      newClient = BackendClients.create(vertx, "NEW", o, pool);
      if (old != null) {
        oldClient = BackendClients.create(vertx, "OLD", o, pool);
      }
      // records that came over HTTP/2 and need it (gRPC: trailers, and servers that speak nothing else) go over
      // HTTP/2: with prior knowledge to an http:// backend (h2c), by ALPN to an https:// one
      HttpClientOptions h2 = new HttpClientOptions(o).setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
          .setHttp2ClearTextUpgrade(false).setUseAlpn(true)
          // answers' heads as large as over HTTP/1.1 (Vert.x's default list is 8 KiB)
          .setInitialSettings(new io.vertx.core.http.Http2Settings(new HttpClientOptions().getInitialSettings())
              .setMaxHeaderListSize(256 * 1024).setPushEnabled(false));
      PoolOptions h2pool = new PoolOptions(pool).setHttp2MaxSize(1);
      newH2Client = BackendClients.create(vertx, "NEW", h2, h2pool);
      if (old != null) {
        oldH2Client = BackendClients.create(vertx, "OLD", h2, h2pool);
      }
      long timeoutMs = options.timeout().toMillis();
      if (timeoutMs >= 1) {
        deadlines = new Deadlines<>(timeoutMs, Runnable::run);
        // set on this loop (start runs there), so the sweep runs on the loop that owns the list
        vertx.setPeriodic(Deadlines.tickMillis(timeoutMs), id -> deadlines.expire(System.nanoTime()));
      }
      registry.add(this);
    }

    void send(String file, String endpoint, Outgoing c, long writeSequence, NappingWorkers compare, Runnable release) {
      ctx.runOnContext(v -> {
        try {
          sendNow(endpoint, c, writeSequence, compare, release);
        } catch (RuntimeException e) {
          // the readers check what they hand over; should the HTTP client still refuse it, the slot must come
          // back (or the replay would wait forever) and the record counts as input that could not be replayed
          release.run();
          completed.increment();
          corrupt(new InputProblem(file, c.position(), "cannot be sent: " + e.getMessage()));
        }
      });
    }

    private void sendNow(String endpoint, Outgoing c, long writeSequence, NappingWorkers compare, Runnable release) {
      MultiMap headers = requestHeaders(c.request());
      boolean h2 = sendsOverHttp2(c.request());
      HttpClient oldC = h2 ? oldH2Client : oldClient;
      HttpClient newC = h2 ? newH2Client : newClient;
      if (h2) {
        http2Sent.increment();
        if (dev.shadowparity.grpc.GrpcPath.isCall(c.request())) {
          headers.set("te", "trailers"); // hop-by-hop, so not recorded; gRPC servers refuse a call without it
        }
      }
      Future<BackendResult> o = old == null ? Future.succeededFuture(c.recordedOld())
          : call(oldC, old, c.request(), headers);
      MultiMap newHeaders = headers;
      if (c.revalidation()) {
        // the browser recorded the 200 it served from its cache for a revalidation that got a 304: NEW is asked for the
        // representation OLD's recorded answer holds, not whether the browser's copy is fresh
        newHeaders = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        newHeaders.remove("if-none-match");
        newHeaders.remove("if-modified-since");
        unconditioned.increment();
      }
      Future<BackendResult> nw = call(newC, neu, c.request(), newHeaders);
      Future<BackendResult> o2 = old != null && options.noiseProbe() ? call(oldC, old, c.request(), headers)
          : Future.succeededFuture(null);
      Future.join(o, nw, o2).onComplete(ar -> {
        Runnable task = () -> {
          try {
            finish(endpoint, c.request(), o.result(), nw.result(), o2.result(), writeSequence,
                old != null ? java.util.Set.of() : c.oldUnrecorded());
          } finally {
            release.run();
          }
        };
        if (!compare.offer(task)) {
          task.run(); // cannot happen while the window bounds the queue; never lose an exchange if it does
        }
      });
    }

    /**
     * The backend's answer; never fails: a failure is a {@link BackendFailure}. {@code headers} are shared by
     * both calls (both run on this event loop); only Host differs, and is set per call.
     */
    private Future<BackendResult> call(HttpClient client, Backend backend, RecordedRequest request, MultiMap headers) {
      headers.set("host", backend.authority());
      RequestOptions ro = new RequestOptions().setMethod(HttpMethod.valueOf(request.method())).setHost(backend.host())
          .setPort(backend.port()).setSsl(backend.ssl()).setURI(backend.basePath() + request.uri())
          .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers)).setFollowRedirects(false);
      long start = System.nanoTime();
      Promise<BackendResult> result = Promise.promise();
      // no byte budget here: the window holds at most `concurrency` exchanges of two capped copies each
      (deadlines != null
          ? BufferedCall.send(deadlines, client, ro, request.body(), responseCap, dev.shadowparity.http.CopyBudget.NONE)
          : BufferedCall.send(vertx, client, ro, request.body(), options.timeout().toMillis(), responseCap,
              dev.shadowparity.http.CopyBudget.NONE))
          .onComplete(ar -> result.complete(BufferedCall.result(ar, System.nanoTime() - start)));
      return result.future();
    }
  }

  /**
   * Whether a record is a revalidation recorded as the answer the browser served: a 2xx with the 304's headers
   * ({@link dev.shadowparity.engine.Unrecorded#HEADERS}) for a request with {@code If-None-Match} or
   * {@code If-Modified-Since} (a browser records the cached 200, not the 304 it got).
   */
  static boolean revalidated(CaptureItem.Captured c) {
    RecordedResponse r = c.recordedOld();
    // only the browser's record of one (the 304's headers with the cached body, HarReader marks it): a capture whose
    // OLD really answered 200 to the conditional request is replayed as it is, so that a NEW answering 304 there shows
    return r != null && r.status() >= 200 && r.status() < 300 && c.oldUnrecorded().contains(dev.shadowparity.engine.Unrecorded.HEADERS)
        && (c.request().headers().contains("if-none-match") || c.request().headers().contains("if-modified-since"));
  }

  /** The recorded request's end-to-end headers, without its framing or captured markers, plus the replay marker. */
  private static MultiMap requestHeaders(RecordedRequest request) {
    MultiMap all = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> h : request.headers().entries()) {
      all.add(h.getKey(), h.getValue());
    }
    // a captured request's own X-Parity-* markers go neither way: only replay says that a request is a replay
    MultiMap headers = HopByHop.clientRequest(all);
    headers.remove("content-length");
    headers.remove("expect");
    headers.set(ReplayOptions.REPLAY_HEADER, "1");
    return headers;
  }

  private void finish(String endpoint, RecordedRequest request, BackendResult o, BackendResult n, BackendResult o2,
      long writeSequence, java.util.Set<dev.shadowparity.engine.Unrecorded> oldUnrecorded) {
    try {
      // the one recording path: never throws for the exchange, whose failure to be judged is its recorded outcome
      Outcome outcome = engine.process(endpoint, new Exchange(request, o, n, o2 instanceof RecordedResponse r ? r : null,
          writeSequence, oldUnrecorded));
      if (outcome.kind() == Outcome.Kind.MISMATCH) {
        mismatched.increment();
      }
    } finally {
      completed.increment();
    }
  }

  /** Paces the reading thread: a rate cap, and the recorded gaps divided by a speed factor. */
  private static final class Pacer {
    private final long intervalNanos;
    private final double speed;
    private boolean started;
    private long lastSent;
    private long firstRecorded = -1;
    private long firstWall;

    Pacer(double rate, double speed) {
      this.intervalNanos = rate > 0 ? (long) (1e9 / rate) : 0;
      this.speed = speed;
    }

    void await(long recordedMillis) throws InterruptedException {
      long now = System.nanoTime();
      long due = now;
      if (speed > 0 && recordedMillis >= 0) {
        if (firstRecorded < 0) {
          firstRecorded = recordedMillis;
          firstWall = now;
        }
        long gap = (long) ((recordedMillis - firstRecorded) * 1e6 / speed);
        due = Math.max(due, firstWall + Math.max(0, gap));
      }
      if (intervalNanos > 0) {
        if (started) {
          due = Math.max(due, lastSent + intervalNanos); // the rate holds after a recorded gap too
        }
        started = true;
        lastSent = due;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
  }

  /**
   * Bytes of recorded bodies held by the exchanges in flight, at most {@code max}, for ONE producing thread (the
   * reader) and any threads that finish exchanges. A record larger than what is left waits for the exchanges before
   * it; one larger than the whole budget takes all of it, so it goes alone but always goes.
   */
  private static final class HeldBytes {
    private final long max;
    private final AtomicLong held = new AtomicLong();
    private volatile Thread waiter;

    HeldBytes(long max) {
      this.max = max;
    }

    /** Takes the bytes (at most the whole budget), waiting until they fit; returns what was taken. */
    long acquire(long bytes) throws InterruptedException {
      long want = Math.min(bytes, max);
      if (held.get() + want > max) {
        waiter = Thread.currentThread();
        try {
          while (held.get() + want > max) {
            // a release after the check unparks us; the timeout only bounds a lost race
            java.util.concurrent.locks.LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10));
            if (Thread.interrupted()) {
              throw new InterruptedException();
            }
          }
        } finally {
          waiter = null;
        }
      }
      held.addAndGet(want);
      return want;
    }

    void release(long taken) {
      if (taken == 0) {
        return;
      }
      held.addAndGet(-taken);
      Thread w = waiter;
      if (w != null) {
        java.util.concurrent.locks.LockSupport.unpark(w);
      }
    }
  }

  private static final class FileCounts {
    String format = "";
    long records;
    long corrupt;
    long ignored;
  }
}
