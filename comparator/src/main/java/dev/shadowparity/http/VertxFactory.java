package dev.shadowparity.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one way the tap and replay make their Vert.x: how many event loops, on which transport. */
public final class VertxFactory {

  private static final Logger LOG = LoggerFactory.getLogger(VertxFactory.class);

  private VertxFactory() {}

  /**
   * A Vert.x instance sized for a sidecar: {@code limits.event-loops} event loops (default half the CPUs;
   * Vert.x's own default is two per CPU), since the comparison pool and the neighbouring service need CPU too,
   * on the transport {@link #transport} picks for {@code limits.transport}.
   *
   * @throws IllegalArgumentException when {@code limits.transport} names a transport this machine cannot run
   */
  public static Vertx create(int loops, String wantedTransport) {
    Transport transport = transport(wantedTransport);
    LOG.info("{} event loop{} on the {} transport", loops, loops == 1 ? "" : "s", transport.name());
    return Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(loops)).withTransport(transport).build();
  }

  /**
   * The transport for a {@code limits.transport} value: {@code auto} takes epoll where it can run (Linux), else
   * Java NIO. io_uring is taken only when named: on the proxy path it answered 10-20% more requests per CPU
   * second than epoll (bench/README.md), but it is the newer of Netty's transports, and Netty 4.2.7's broke an
   * event loop under the tap's tests, and a kernel update can break it (netty/netty#16647), so the default stays on
   * epoll. A transport named outright must be usable.
   *
   * @throws IllegalArgumentException naming the key and why the transport cannot run
   */
  public static Transport transport(String wanted) {
    switch (wanted) {
      case "nio":
        return Transport.NIO;
      case "epoll":
        return usable("epoll", Transport.EPOLL);
      case "io_uring":
        return usable("io_uring", Transport.IO_URING);
      default:
        if (Transport.EPOLL != null && Transport.EPOLL.available()) {
          return Transport.EPOLL;
        }
        LOG.debug("epoll is not usable here ({}): Java NIO", unavailable(Transport.EPOLL));
        return Transport.NIO;
    }
  }

  private static Transport usable(String name, Transport t) {
    if (t == null || !t.available()) {
      throw new IllegalArgumentException("limits.transport: " + name + " cannot run on this machine (" + unavailable(t)
          + "); use auto, which picks the best one that can, or nio");
    }
    return t;
  }

  private static String unavailable(Transport t) {
    if (t == null) {
      return "its native library is not in this build for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }
    Throwable cause = t.unavailabilityCause();
    return cause == null ? "unavailable" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

}
