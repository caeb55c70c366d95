package dev.shadowparity.cli;

import dev.shadowparity.tap.Tap;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Keeps a running tap until SIGTERM or Ctrl-C, then stops it gracefully. */
final class UntilSignal {

  private UntilSignal() {}

  /** Blocks until the JVM is asked to stop; the tap then finishes in-flight work within {@code graceMillis}. */
  static void run(Tap tap, Vertx vertx, long graceMillis, PrintWriter err, String command) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        tap.shutdown(graceMillis).toCompletionStage().toCompletableFuture().get(graceMillis * 2 + 5000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        err.println("parity " + command + ": shutdown did not complete cleanly: " + e);
      } finally {
        vertx.close();
        stopped.countDown();
      }
    }, "parity-shutdown"));
    stopped.await();
  }
}
