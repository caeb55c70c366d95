package dev.shadowparity.bench;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.store.Store;
import dev.shadowparity.store.StoreLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a flush costs when N taps write one PostgreSQL store ({@code bench/fleet.sh} runs it): N engines, each with
 * its own {@link Store} flushing every second, fed exchanges at a fixed rate over many endpoints (a tenth of them
 * mismatching, latencies spread over the histogram's buckets, so each flush changes many rows, as a busy tap's
 * does). After a warm-up it reports, per flush that wrote something: the mean and slowest transaction, the rows
 * written, and the CPU the PostgreSQL server used per second (its processes' utime + stime, from /proc).
 *
 * <p>Usage: {@code FleetFlush STORE_URI TAPS ENDPOINTS RATE_PER_TAP SECONDS WARMUP_SECONDS PG_DATA_DIR RESULT_FILE}: the
 * figures are appended to RESULT_FILE as one line.
 */
public final class FleetFlush {

  private FleetFlush() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    int taps = Integer.parseInt(args[1]);
    int endpoints = Integer.parseInt(args[2]);
    int rate = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    Path pgData = Path.of(args[6]);
    Path result = Path.of(args[7]);
    ParityConfig config = ConfigLoader.parse("", "bench.yaml");
    StoreLocation location = StoreLocation.parse(uri, System.getenv());
    List<ParityEngine> engines = new ArrayList<>();
    List<Store> stores = new ArrayList<>();
    for (int i = 0; i < taps; i++) {
      ParityEngine engine = new ParityEngine(config);
      engines.add(engine);
      stores.add(Store.open(location, "bench-" + i, engine.ledger(), Duration.ofSeconds(1), engine::reset));
    }
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong exchanges = new AtomicLong();
    List<Thread> drivers = new ArrayList<>();
    for (int i = 0; i < taps; i++) {
      ParityEngine engine = engines.get(i);
      int seed = i;
      Thread t = new Thread(() -> drive(engine, endpoints, rate, seed, running, exchanges), "driver-" + i);
      t.setDaemon(true);
      t.start();
      drivers.add(t);
    }
    TimeUnit.SECONDS.sleep(warmup);
    List<Store.FlushStats> before = stores.stream().map(Store::flushStats).toList();
    long pgBefore = postgresCpuTicks(pgData);
    long exchangesBefore = exchanges.get();
    long started = System.nanoTime();
    TimeUnit.SECONDS.sleep(seconds);
    long wall = System.nanoTime() - started;
    long pgAfter = postgresCpuTicks(pgData);
    List<Store.FlushStats> after = stores.stream().map(Store::flushStats).toList();
    long exchangesDone = exchanges.get() - exchangesBefore;
    running.set(false);
    long flushes = 0;
    long nanos = 0;
    long rows = 0;
    long slowest = 0;
    for (int i = 0; i < taps; i++) {
      flushes += after.get(i).flushes() - before.get(i).flushes();
      nanos += after.get(i).totalNanos() - before.get(i).totalNanos();
      rows += after.get(i).rows() - before.get(i).rows();
      slowest = Math.max(slowest, after.get(i).slowestNanos());
    }
    long failed = stores.stream().mapToLong(Store::failedFlushes).sum();
    double wallSeconds = wall / 1e9;
    double pgCores = (pgAfter - pgBefore) / 100.0 / wallSeconds; // USER_HZ is 100 on Linux
    String line = String.format("taps=%d endpoints=%d rate/tap=%d/s exchanges/s=%.0f flushes=%d mean_flush_ms=%.2f"
            + " slowest_flush_ms=%.1f rows/flush=%.0f rows/s=%.0f postgres_cores=%.3f postgres_cpu_ms/flush=%.2f failed=%d%n",
        taps, endpoints, rate, exchangesDone / wallSeconds, flushes, flushes == 0 ? 0 : nanos / 1e6 / flushes,
        slowest / 1e6, flushes == 0 ? 0 : (double) rows / flushes, rows / wallSeconds, pgCores,
        flushes == 0 ? 0 : (pgAfter - pgBefore) * 10.0 / flushes, failed);
    Files.writeString(result, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    for (Store s : stores) {
      s.close();
    }
    for (Thread t : drivers) {
      t.join(5000);
    }
  }

  /** Feeds one engine {@code rate} exchanges a second over the endpoints, until told to stop. */
  private static void drive(ParityEngine engine, int endpoints, int rate, int seed, AtomicBoolean running,
      AtomicLong exchanges) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<Integer, byte[]> bodies = new HashMap<>();
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long next = System.nanoTime();
    while (running.get()) {
      int e = random.nextInt(endpoints);
      int id = random.nextInt(1_000_000);
      boolean mismatch = random.nextInt(10) == 0;
      byte[] old = bodies.computeIfAbsent(e, k -> ("{\"id\":" + k + ",\"name\":\"item " + k + "\",\"price\":12.5,"
          + "\"tags\":[\"a\",\"b\"],\"stock\":3}").getBytes(StandardCharsets.UTF_8));
      byte[] neu = mismatch ? ("{\"id\":" + e + ",\"name\":\"item " + e + "\",\"price\":12.50,\"tags\":[\"a\",\"b\"],"
          + "\"stock\":" + (4 + random.nextInt(3)) + "}").getBytes(StandardCharsets.UTF_8) : old;
      long oldNanos = (1 + random.nextInt(200)) * 100_000L;
      long newNanos = (1 + random.nextInt(200)) * 100_000L;
      RecordedRequest req = new RecordedRequest("GET", "/api/r" + e + "/items/" + id, Headers.of(), null);
      engine.process(new Exchange(req, new RecordedResponse(200, Headers.of("Content-Type", "application/json"), old, oldNanos),
          new RecordedResponse(200, Headers.of("Content-Type", "application/json"), neu, newNanos)));
      exchanges.incrementAndGet();
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** CPU ticks (utime + stime) of the PostgreSQL server's processes: the postmaster of PG_DATA and its children. */
  private static long postgresCpuTicks(Path pgData) throws IOException {
    long postmaster = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).strip());
    long ticks = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String stat;
        try {
          stat = Files.readString(p.resolve("stat"));
        } catch (IOException gone) {
          continue; // the process ended while listing
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long pid = Long.parseLong(name);
        long ppid = Long.parseLong(f[1]);
        if (pid == postmaster || ppid == postmaster) {
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
    }
    return ticks;
  }
}
