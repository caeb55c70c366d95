package dev.shadowparity.fleet;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** A JSON backend on loopback (the JDK's HTTP server) answering {@code body(path)} to every request, for the fleet tests. */
final class JsonBackend {

  private JsonBackend() {}

  static HttpServer start(Executor threads, Function<String, String> body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      byte[] bytes = body.apply(ex.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    });
    server.setExecutor(threads);
    server.start();
    return server;
  }
}
