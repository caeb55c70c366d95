package dev.shadowparity.tap.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's guard against clients that hold connections without using them: a cap on open client connections
 * (over all event loops; one more is closed as soon as it is accepted, and counted) and four timeouts per
 * connection, as nginx has them: the request head (from its first byte, or from the accept on a new connection, to
 * its end), the idle time of a kept-alive connection between requests, the silence of a client while its request
 * body is read, and a client that takes none of the answer written to it (nginx's {@code send_timeout}: the
 * connection's outgoing buffer stays full and nothing of it drains).
 *
 * <p>Each connection gets a {@link Clock}: two small Netty handlers that watch it without changing anything that
 * passes, one before the HTTP decoder (bytes arrived) and one before Vert.x's handler (request heads and ends
 * decoded, final answers written). A client event only stores a time and a state in the clock's fields; no timer is
 * scheduled per request or per byte. One periodic sweep per event loop, on that loop, looks at each of its clocks
 * ({@link #tickMillis}: a twentieth of the shortest timeout, between 10 ms and 1 s, so a timeout fires between its
 * length and its length plus a tick).
 *
 * <p>What a client gets: a head not complete in time, when some of it came and no earlier answer is still being
 * written, gets {@code 408} with {@code Connection: close}, then the tap stops writing and reads (and drops) what
 * still comes for a short grace before closing, so that the client reads the 408 rather than a reset; a connection
 * that sent nothing at all is closed without an answer (nothing was asked; an answer could cross a request sent at
 * that moment). An idle kept-alive connection is just closed. A client silent mid-body gets the same 408 when nothing
 * of an answer has been written yet, else only the close; either way Vert.x sees the connection close mid-request,
 * and the proxy ends the exchange as it ends any client that went away ({@code client-aborted}, OLD's request reset).
 * A client that takes none of its answer is closed at once, what was queued for it dropped, with the same ending.
 * Every close is issued below Vert.x's handler ({@link Clock#closeNow}).
 *
 * <p>While the tap itself is not reading the body (the client is ahead and the tap holds it back: backpressure toward
 * OLD, waiting for a connection to OLD), the client's silence does not count; nor does the wait for {@code 100
 * Continue} before the tap has relayed one. While an answer is awaited from OLD or being written to the client, no
 * client timeout runs but the send timeout, which counts only while the client leaves the tap's outgoing buffer full
 * without taking any of it: OLD's timeout bounds the wait for OLD.
 */
public final class ClientConnections {

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnections.class);

  /** Why the tap closed a client connection on its own. */
  public enum Timeout {
    /** The request head was not complete in {@code timeouts.client-header}. */
    HEADER("header"),
    /** A kept-alive connection was idle for {@code timeouts.client-keep-alive}. */
    KEEP_ALIVE("keep-alive"),
    /** The client sent nothing of its request body for {@code timeouts.client-body}. */
    BODY("body"),
    /** The client took none of the answer written to it for {@code timeouts.client-send}. */
    SEND("send");

    private final String wireName;

    Timeout(String wireName) {
      this.wireName = wireName;
    }

    /** The metric tag value. */
    public String wireName() {
      return wireName;
    }
  }

  /** File descriptors left to the rest of the process: the JVM's own files and jars, the store, logs, the admin port. */
  static final int RESERVED_FILES = 128;
  /** The cap when the open-file limit cannot be read (not a Unix JVM). */
  static final int UNKNOWN_LIMIT_DEFAULT = 10_000;
  /** Heap per client connection allowed for in the default cap: Netty's and Vert.x's state with room to spare. */
  static final long HEAP_PER_CONNECTION = 32 * 1024;
  /** After a 408 the tap reads and drops what the client still sends for this long, then closes. */
  static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\n"
      + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 16\r\nConnection: close\r\n\r\n"
      + "Request Timeout\n").getBytes(StandardCharsets.US_ASCII);

  private final int max;
  private final long headerNanos;
  private final long keepAliveNanos;
  private final long bodyNanos;
  private final long sendNanos;
  private final long tickMillis;
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder refused = new LongAdder();
  private final LongAdder[] timedOut = new LongAdder[Timeout.values().length];
  /** One sweep per event loop that has had a connection; each touched only by its own loop. */
  private final Map<EventLoop, Sweep> sweeps = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private boolean warnedNoPipeline;
  private volatile boolean warnedNoAcceptWatch;
  /** A connection's clock, set on the channel when its accept was watched. */
  private static final io.netty.util.AttributeKey<Clock> CLOCK = io.netty.util.AttributeKey.valueOf("parityClientClock");

  /**
   * @param max       client connections open at once, over every event loop
   * @param header    time allowed for a request head
   * @param keepAlive idle time allowed between requests on a kept-alive connection
   * @param body      silence allowed while a request body is read
   * @param send      time allowed for a client to take some of what the tap has queued for it
   */
  public ClientConnections(int max, Duration header, Duration keepAlive, Duration body, Duration send) {
    if (max < 1) {
      throw new IllegalArgumentException("at least one client connection: " + max);
    }
    this.max = max;
    this.headerNanos = header.toNanos();
    this.keepAliveNanos = keepAlive.toNanos();
    this.bodyNanos = body.toNanos();
    this.sendNanos = send.toNanos();
    this.tickMillis = tickMillis(Math.min(Math.min(header.toMillis(), keepAlive.toMillis()),
        Math.min(body.toMillis(), send.toMillis())));
    for (Timeout t : Timeout.values()) {
      timedOut[t.ordinal()] = new LongAdder();
    }
  }

  /** How often each event loop's sweep runs: a twentieth of the shortest timeout, between 10 ms and 1 s. */
  static long tickMillis(long shortestMillis) {
    return Math.max(10, Math.min(1000, shortestMillis / 20));
  }

  /**
   * The process's open-file limit ({@code RLIMIT_NOFILE} as the JVM has it, which on Linux it raises to the hard limit
   * at start), or -1 when it cannot be read.
   */
  public static long openFileLimit() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long limit = unix.getMaxFileDescriptorCount();
      return limit > 0 ? limit : -1;
    }
    return -1;
  }

  /**
   * The default cap: the most client connections C such that C, plus a connection to each backend for as many of
   * them as the backends' pools allow ({@code min(C, pool)} each: a client connection uses at most one of each at a
   * time, and pooled ones stay open), plus {@link #RESERVED_FILES}, fits the open-file limit; and at most one per
   * {@link #HEAP_PER_CONNECTION} of the heap, so that a flood of idle connections cannot run the heap out either.
   * At least 1.
   *
   * @param fileLimit    the open-file limit, or -1 when unknown ({@link #UNKNOWN_LIMIT_DEFAULT} is used instead)
   * @param backendPools the connection pools' sizes, over every event loop: OLD, NEW and the secondary OLD if any
   * @param maxHeapBytes the heap's maximum ({@link Runtime#maxMemory()})
   */
  public static int defaultMax(long fileLimit, int[] backendPools, long maxHeapBytes) {
    long byHeap = Math.max(1, maxHeapBytes / HEAP_PER_CONNECTION);
    if (fileLimit <= 0) {
      return (int) Math.min(UNKNOWN_LIMIT_DEFAULT, byHeap);
    }
    // the files used grow with C; find the largest C that fits
    long lo = 0;
    long hi = Math.min(Integer.MAX_VALUE, fileLimit);
    while (lo < hi) {
      long mid = (lo + hi + 1) >>> 1;
      long files = mid + RESERVED_FILES;
      for (int pool : backendPools) {
        files += Math.min(mid, pool);
      }
      if (files <= fileLimit) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return (int) Math.max(1, Math.min(lo, byHeap));
  }

  /** The cap. */
  public int max() {
    return max;
  }

  /** Client connections open now. */
  public int open() {
    return open.get();
  }

  /** The {@code protocol} tag values of {@link #requests(String)}: what a client may speak on the proxy port. */
  public static final java.util.List<String> PROTOCOLS = java.util.List.of("http/1.0", "http/1.1", "h2");
  /** Client requests per protocol, in {@link #PROTOCOLS}' order. */
  private final LongAdder[] requests = {new LongAdder(), new LongAdder(), new LongAdder()};

  /** A client request arrived in this HTTP version (any event loop; one increment). */
  public void requested(io.vertx.core.http.HttpVersion version) {
    requests[version == io.vertx.core.http.HttpVersion.HTTP_2 ? 2
        : version == io.vertx.core.http.HttpVersion.HTTP_1_0 ? 0 : 1].increment();
  }

  /** Client requests that arrived in a protocol of {@link #PROTOCOLS}. */
  public long requests(String protocol) {
    int i = PROTOCOLS.indexOf(protocol);
    if (i < 0) {
      throw new IllegalArgumentException("no such protocol: " + protocol);
    }
    return requests[i].sum();
  }

  /** Connections closed at once because {@link #max()} were open. */
  public long refused() {
    return refused.sum();
  }

  /** Connections the tap closed for this timeout. */
  public long timedOut(Timeout kind) {
    return timedOut[kind.ordinal()].sum();
  }

  /**
   * Watches the accepts of a listening proxy server from the moment the kernel hands a connection over: counted in the
   * cap and timed (head from the accept) before Vert.x has made an HTTP connection of it. With cleartext HTTP/2 on
   * the port, Vert.x makes one only once it has told HTTP/2's preface from HTTP/1.1 and, for HTTP/1.1, read a whole
   * request head: without this, a client that sends nothing, or a head a byte at a time, would be neither counted nor
   * timed. Once per listening socket (the instances on one port share it); reaches Vert.x's internal server classes
   * by reflection (checked by the tests for each Vert.x upgrade). When that fails, connections are counted and timed
   * from when Vert.x makes them, and an error is logged once.
   */
  public void watchAccepts(io.vertx.core.http.HttpServer server) {
    Channel listening;
    try {
      listening = listeningChannel(server);
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (!warnedNoAcceptWatch) {
        warnedNoAcceptWatch = true;
        LOG.error("client connections are counted and timed only once Vert.x has read a request head (its server "
            + "classes are not as expected: {})", e.toString());
      }
      return;
    }
    synchronized (this) {
      if (listening.pipeline().get(AcceptWatch.class) == null) {
        listening.pipeline().addFirst("parityAccepts", new AcceptWatch());
      }
    }
  }

  /** The listening socket of a Vert.x HTTP server (the one every instance on the port shares). */
  private static Channel listeningChannel(io.vertx.core.http.HttpServer server) throws ReflectiveOperationException {
    Object tcp = field(server, "tcpServer");
    Object actual = field(tcp, "actualServer");
    @SuppressWarnings("unchecked")
    io.vertx.core.Future<Channel> bound = (io.vertx.core.Future<Channel>) field(actual, "bindFuture");
    Channel ch = bound == null ? null : bound.result();
    if (ch == null) {
      throw new IllegalStateException("the server is not bound");
    }
    return ch;
  }

  private static Object field(Object o, String name) throws ReflectiveOperationException {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        java.lang.reflect.Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        // declared higher up
      }
    }
    throw new NoSuchFieldException(o.getClass().getName() + "." + name);
  }

  /** On the listening socket: every accepted connection gets its clock before anything else sees it. */
  @io.netty.channel.ChannelHandler.Sharable
  private final class AcceptWatch extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Channel child) {
        Clock clock = new Clock(child, System.nanoTime());
        clock.early = true;
        child.attr(CLOCK).set(clock);
        // first in the pipeline, before Vert.x's: admitted (counted, or closed over the cap) once registered
        child.pipeline().addFirst("parityClientBytes", clock.bytes);
      }
      ctx.fireChannelRead(msg);
    }
  }

  /**
   * Before Vert.x's h2c upgrade handler on an HTTP/1.x connection: takes the {@code h2c} token out of the first
   * request's {@code Upgrade} (and drops {@code HTTP2-Settings}), so that the request is served over HTTP/1.1 as it
   * came, never upgraded. Upgrade is hop-by-hop and the tap never forwards it; RFC 9113 (section 3.1) deprecated the
   * h2c upgrade. Clients that want HTTP/2 in clear text use prior knowledge. Removes itself after the first request.
   */
  static final class NoH2cUpgrade extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest req) {
        java.util.List<String> upgrades = req.headers().getAll("upgrade");
        java.util.List<String> kept = new ArrayList<>();
        boolean h2c = false;
        for (String v : upgrades) {
          for (String token : v.split(",")) {
            String t = token.trim();
            if (t.equalsIgnoreCase("h2c")) {
              h2c = true;
            } else if (!t.isEmpty()) {
              kept.add(t);
            }
          }
        }
        if (h2c) {
          req.headers().remove("upgrade");
          if (!kept.isEmpty()) {
            req.headers().set("upgrade", String.join(", ", kept));
          }
          req.headers().remove("http2-settings");
        }
        ctx.pipeline().remove(this);
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** Counts a connection in the cap (closing it when over) and puts its clock in its loop's sweep; on its loop. */
  private boolean admit(Clock clock) {
    Channel ch = clock.ch;
    if (closed) {
      ch.close();
      return false;
    }
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      refused.increment();
      ch.close();
      return false;
    }
    ch.closeFuture().addListener(f -> open.decrementAndGet());
    sweeps.computeIfAbsent(ch.eventLoop(), Sweep::new).clocks.add(clock);
    return true;
  }

  /**
   * A client connection was made (Vert.x's connection handler, on the connection's event loop): with the accept
   * watched ({@link #watchAccepts}), its clock is told what the connection speaks; else it is counted now (closed
   * at once when the cap is reached) and watched until it closes. An HTTP/1.x connection is timed by its messages;
   * an HTTP/2 one by its open streams (idle with none open: {@code client-keep-alive}) and by what it takes of its
   * answers ({@code client-send}).
   */
  public void accepted(HttpConnection conn) {
    Channel ch = ((io.vertx.core.net.impl.ConnectionBase) conn).channel();
    Clock clock = ch.attr(CLOCK).get();
    if (clock == null) {
      clock = new Clock(ch, System.nanoTime());
      if (!admit(clock)) {
        return;
      }
    } else if (!ch.isOpen()) {
      return;
    }
    io.netty.handler.codec.http2.Http2ConnectionHandler h2 =
        ch.pipeline().get(io.netty.handler.codec.http2.Http2ConnectionHandler.class);
    try {
      if (h2 != null) {
        clock.http2 = h2.connection();
        clock.since = System.nanoTime();
        placeBytes(ch, clock);
        return;
      }
      placeBytes(ch, clock);
      ch.pipeline().addBefore("handler", "parityClientMessages", clock.messages);
    } catch (RuntimeException e) {
      // a Vert.x whose pipeline has other names: the connection still works, without client timeouts
      clock.off = true;
      if (ch.pipeline().context(clock.bytes) != null) {
        ch.pipeline().remove(clock.bytes);
      }
      if (!warnedNoPipeline) {
        warnedNoPipeline = true;
        LOG.error("client timeouts are off: the HTTP pipeline is not as expected ({})", e.toString());
      }
    }
  }

  /**
   * Puts the clock's bytes handler where it sees the client's request bytes: before Vert.x's HTTP/1 decoder, else
   * right after TLS, else first. The 408 it writes must go below the HTTP encoder and above TLS.
   */
  private static void placeBytes(Channel ch, Clock clock) {
    io.netty.channel.ChannelPipeline p = ch.pipeline();
    clock.placed = true;
    boolean there = p.context(clock.bytes) != null;
    if (there && p.get("ssl") == null) {
      return; // first, and nothing below it but the socket
    }
    if (there) {
      p.remove(clock.bytes);
    }
    if (p.get("httpDecoder") != null) {
      p.addBefore("httpDecoder", "parityClientBytes", clock.bytes);
    } else if (p.get("ssl") != null) {
      p.addAfter("ssl", "parityClientBytes", clock.bytes);
    } else {
      p.addFirst("parityClientBytes", clock.bytes);
    }
  }

  /** Stops every sweep (the tap is stopping). */
  public void close() {
    closed = true;
    sweeps.values().forEach(s -> s.task.cancel(false));
  }

  /** The clocks of one event loop and the periodic task, on that loop, that checks them. */
  private final class Sweep implements Runnable {
    final ArrayList<Clock> clocks = new ArrayList<>();
    final ScheduledFuture<?> task;

    Sweep(EventLoop loop) {
      task = loop.scheduleAtFixedRate(this, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
      try {
        long now = System.nanoTime();
        for (int i = clocks.size() - 1; i >= 0; i--) {
          Clock c = clocks.get(i);
          if (!c.ch.isOpen()) {
            // swap with the last: order does not matter
            int last = clocks.size() - 1;
            clocks.set(i, clocks.get(last));
            clocks.remove(last);
          } else {
            c.check(now);
          }
        }
      } catch (RuntimeException e) {
        // a periodic task that throws is never run again: keep sweeping
        LOG.error("client timeout sweep failed", e);
      }
    }
  }

  /** What the kernel says of a connection, where the transport exposes it. */
  private static final class Kernel {
    private Kernel() {}

    /** Milliseconds since the kernel last sent data on {@code ch}, or -1 when the transport does not say. */
    static long millisSinceDataSent(Channel ch) {
      // by name first: the epoll classes are loaded only where the channel is one of theirs
      if (ch.getClass().getName().startsWith("io.netty.channel.epoll.")) {
        return Epoll.millisSinceDataSent(ch);
      }
      return -1;
    }
  }

  /**
   * {@code EpollSocketChannel.tcpInfo().lastDataSent()}, through method handles: the epoll classes are a runtime
   * dependency only (Vert.x picks the transport), and absent where epoll is.
   */
  private static final class Epoll {
    private static final Class<?> CHANNEL;
    private static final java.lang.invoke.MethodHandle TCP_INFO;
    private static final java.lang.invoke.MethodHandle LAST_DATA_SENT;

    static {
      Class<?> channel = null;
      java.lang.invoke.MethodHandle tcpInfo = null;
      java.lang.invoke.MethodHandle lastDataSent = null;
      try {
        java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.publicLookup();
        channel = Class.forName("io.netty.channel.epoll.EpollSocketChannel");
        Class<?> info = Class.forName("io.netty.channel.epoll.EpollTcpInfo");
        tcpInfo = lookup.findVirtual(channel, "tcpInfo", java.lang.invoke.MethodType.methodType(info));
        lastDataSent = lookup.findVirtual(info, "lastDataSent", java.lang.invoke.MethodType.methodType(long.class));
      } catch (ReflectiveOperationException | LinkageError e) {
        LOG.debug("epoll's TCP_INFO is not available: {}", e.toString());
        channel = null;
      }
      CHANNEL = channel;
      TCP_INFO = tcpInfo;
      LAST_DATA_SENT = lastDataSent;
    }

    private Epoll() {}

    static long millisSinceDataSent(Channel ch) {
      if (CHANNEL == null || !CHANNEL.isInstance(ch)) {
        return -1;
      }
      try {
        return (long) LAST_DATA_SENT.invoke(TCP_INFO.invoke(ch));
      } catch (Throwable e) {
        return -1; // the socket just closed, say: no news of progress
      }
    }
  }

  /** What the client is sending. */
  private static final int NOTHING = 0;
  private static final int HEAD = 1;
  private static final int BODY = 2;

  /** One connection's state, touched only on its event loop. */
  private final class Clock {
    final Channel ch;
    /** Before the HTTP decoder: bytes arrived. */
    final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {
      @Override
      public boolean isSharable() {
        return true; // one connection's only, but it may be moved once (placeBytes)
      }

      @Override
      public void handlerAdded(ChannelHandlerContext ctx) {
        if (early && !admitted) {
          admitted = true;
          admit(Clock.this);
        }
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (detecting && msg instanceof ByteBuf buf) {
          detect(ctx, buf);
          return;
        }
        if (http2 != null) {
          since = System.nanoTime(); // HTTP/2: any frame is the client's activity
          ctx.fireChannelRead(msg);
          return;
        }
        if (lingering) {
          ReferenceCountUtil.release(msg); // after a 408: read and dropped, never parsed
          return;
        }
        if (reading == NOTHING) {
          reading = HEAD;
          if (served) {
            since = System.nanoTime(); // on a new connection the head's time runs from the accept
          }
        } else if (reading == BODY) {
          since = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
      }
    };
    /** Before Vert.x's handler: request heads and ends as decoded, answers as written. */
    final ChannelDuplexHandler messages = new ChannelDuplexHandler() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
          reading = BODY;
          since = System.nanoTime();
          served = true;
          unanswered++;
          answerStarted = false;
          awaitingContinue = HttpUtil.is100ContinueExpected(req);
        }
        if (msg instanceof LastHttpContent) {
          reading = NOTHING;
          awaitingContinue = false;
          since = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res && res.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
          interim = !(msg instanceof LastHttpContent);
          if (res.status().code() == 100 && awaitingContinue) {
            awaitingContinue = false; // the client was told to send its body: its silence counts from now
            since = System.nanoTime();
          }
        } else {
          if (msg instanceof HttpResponse) {
            answerStarted = true;
          }
          if (msg instanceof LastHttpContent) {
            if (interim) {
              interim = false;
            } else {
              answered();
            }
          }
        }
        ctx.write(msg, promise);
      }
    };

    int reading = NOTHING;
    /** A request head has been read on this connection: idle time is then keep-alive time. */
    boolean served;
    /** HEAD: when its time started; BODY: the last byte, or when the tap went back to reading; NOTHING: idle since. */
    long since;
    /** Requests whose final answer has not been written in full. */
    int unanswered;
    /** A final answer's head was written for the request being read. */
    boolean answerStarted;
    /** The request being read asked for 100 Continue and has had neither that nor a final answer. */
    boolean awaitingContinue;
    /** The answer being written is a 1xx written in parts: its end is not a final answer's. */
    boolean interim;
    /** A 408 was written: what comes is dropped until the connection closes. */
    boolean lingering;
    /** The outgoing buffer was full at the last sweep, with this many bytes in it. */
    boolean full;
    long fullBytes;
    /** When the client last took some of a full outgoing buffer (or it filled). */
    long drainedAt;

    /**
     * The first bytes of a connection whose accept was seen, while Vert.x's handler still tells HTTP/2's preface from
     * HTTP/1.x: they are handed to it a byte at a time until it has chosen, so that on HTTP/1.x the h2c upgrade is
     * refused before Vert.x's upgrade handler sees the first request ({@link NoH2cUpgrade}).
     */
    boolean detecting = true;

    private void detect(ChannelHandlerContext ctx, ByteBuf buf) {
      io.netty.channel.ChannelPipeline p = ctx.pipeline();
      try {
        while (buf.isReadable() && p.get(io.vertx.core.http.impl.Http1xOrH2CHandler.class) != null) {
          bytesArrived();
          ctx.fireChannelRead(buf.readRetainedSlice(1));
        }
        detecting = false;
        if (p.get("h2c") != null && p.get(NoH2cUpgrade.class) == null) {
          p.addBefore("h2c", "parityNoH2cUpgrade", new NoH2cUpgrade());
        }
        if (buf.isReadable()) {
          channelReadAfterDetection(ctx, buf.retain());
        }
      } finally {
        buf.release();
      }
    }

    private void channelReadAfterDetection(ChannelHandlerContext ctx, Object msg) {
      try {
        bytes.channelRead(ctx, msg);
      } catch (Exception e) {
        ctx.fireExceptionCaught(e);
      }
    }

    /** The state change of bytes arriving while Vert.x detects the protocol (no lingering or HTTP/2 yet). */
    private void bytesArrived() {
      if (reading == NOTHING) {
        reading = HEAD;
      }
    }

    /** Made when the accept was seen ({@link #watchAccepts}); counted once its channel is registered. */
    boolean early;
    boolean admitted;
    /** The bytes handler is where it sees the request's bytes (after TLS when there is TLS): see placeBytes. */
    boolean placed;
    /** The pipeline was not as expected: not timed. */
    boolean off;
    /** The connection speaks HTTP/2: timed by its open streams, not by HTTP/1 messages; null for HTTP/1.x. */
    io.netty.handler.codec.http2.Http2Connection http2;

    Clock(Channel ch, long acceptedNanos) {
      this.ch = ch;
      this.since = acceptedNanos;
    }

    void answered() {
      unanswered = Math.max(0, unanswered - 1);
      answerStarted = false;
      if (reading == BODY && awaitingContinue) {
        // a final answer instead of 100 Continue: the client now sends its body or closes
        awaitingContinue = false;
        since = System.nanoTime();
      } else if (reading == NOTHING && unanswered == 0) {
        since = System.nanoTime();
      }
    }

    void check(long now) {
      if (off) {
        return;
      }
      if (http2 != null) {
        if (stuck(now)) {
          timeout(Timeout.SEND, false);
        } else if (http2.numActiveStreams() > 0) {
          since = now; // a request is under way: idle time counts from its end
        } else if (now - since >= keepAliveNanos) {
          timeout(Timeout.KEEP_ALIVE, false);
        }
        return;
      }
      if (lingering) {
        if (now - since >= LINGER_NANOS) {
          closeNow();
        }
        return;
      }
      if (stuck(now)) {
        timeout(Timeout.SEND, false);
        return;
      }
      switch (reading) {
        case HEAD -> {
          if (now - since >= headerNanos) {
            timeout(Timeout.HEADER, unanswered == 0);
          }
        }
        case BODY -> {
          if (awaitingContinue) {
            return;
          }
          if (!ch.config().isAutoRead()) {
            since = now; // the tap holds the client back: its silence is the tap's doing
            return;
          }
          if (now - since >= bodyNanos) {
            timeout(Timeout.BODY, unanswered == 1 && !answerStarted);
          }
        }
        default -> {
          if (unanswered > 0) {
            return; // OLD's answer is awaited or being written: OLD's timeout bounds that
          }
          if (!served && now - since >= headerNanos) {
            timeout(Timeout.HEADER, false);
          } else if (served && now - since >= keepAliveNanos) {
            timeout(Timeout.KEEP_ALIVE, false);
          }
        }
      }
    }

    /**
     * Whether the client has taken nothing of a full outgoing buffer for the send timeout. The buffer is full while
     * the channel is not writable (over Netty's high-water mark): Vert.x then adds nothing to it. The client took some
     * when the kernel sent it data (epoll's {@code TCP_INFO}: a client that reads opens its window, and the kernel
     * sends; to one that reads nothing it sends only window probes, without data), or, on a transport that does not
     * tell, when Netty's buffer went down (which happens only once the kernel's send buffer has room again, so with
     * large socket buffers a very slow reader shows progress late: nginx's {@code send_timeout} behaves so).
     */
    boolean stuck(long now) {
      if (ch.isWritable()) {
        full = false;
        return false;
      }
      io.netty.channel.ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
      long bytes = out == null ? 0 : out.totalPendingWriteBytes();
      if (!full || bytes < fullBytes) {
        drainedAt = now;
      }
      full = true;
      fullBytes = bytes;
      if (now - drainedAt < sendNanos) {
        return false;
      }
      long sentMillisAgo = Kernel.millisSinceDataSent(ch);
      if (sentMillisAgo >= 0) {
        drainedAt = Math.max(drainedAt, now - TimeUnit.MILLISECONDS.toNanos(sentMillisAgo));
      }
      return now - drainedAt >= sendNanos;
    }

    /**
     * Counts the timeout and closes the connection, answering 408 first when {@code answer} (nothing of an answer is
     * being written on it). The 408 is written below the HTTP encoder, whose state is Vert.x's.
     */
    void timeout(Timeout kind, boolean answer) {
      timedOut[kind.ordinal()].increment();
      ChannelHandlerContext ctx = ch.pipeline().context(bytes);
      // before the HTTP connection exists the handler may still be below TLS: a 408 there would not be TLS
      if (!answer || ctx == null || (!placed && ch.pipeline().get("ssl") != null)) {
        closeNow();
        return;
      }
      ByteBuf answerBytes = Unpooled.wrappedBuffer(REQUEST_TIMEOUT);
      if (kind == Timeout.BODY || !(ch instanceof DuplexChannel duplex)) {
        // a client silent for the whole body timeout sends nothing that could turn the close into a reset
        ctx.writeAndFlush(answerBytes).addListener(f -> closeNow());
        return;
      }
      // a slow head may still be trickling in: only our side is closed, and what still comes is read and dropped for
      // a moment, so that the client reads the 408 and the end of the stream, not a reset caused by unread bytes
      lingering = true;
      since = System.nanoTime();
      ctx.writeAndFlush(answerBytes).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          duplex.shutdownOutput();
        } else {
          closeNow();
        }
      });
    }

    /**
     * Closes the socket now, from below Vert.x's handler: a close through it ({@code Channel.close()}) waits behind
     * the answer Vert.x still has queued, which a client that reads nothing never lets through. Vert.x then sees the
     * connection close as if the client had closed it, and drops what it had queued.
     */
    void closeNow() {
      ChannelHandlerContext ctx = ch.pipeline().context(bytes);
      if (ctx != null) {
        ctx.close();
      } else {
        ch.close();
      }
    }
  }
}
