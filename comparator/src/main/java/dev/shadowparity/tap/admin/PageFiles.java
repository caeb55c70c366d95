package dev.shadowparity.tap.admin;

import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin page's files, served from the jar by a name of plain characters only. */
final class PageFiles {

  private static final Logger LOG = LoggerFactory.getLogger(PageFiles.class);
  static final String UI_RESOURCES = "/dev/shadowparity/admin/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

  private PageFiles() {}

  static void serve(AdminExchange ex, String name) {
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    byte[] bytes = null;
    if (NAME.matcher(name).matches() && type != null) {
      try (java.io.InputStream in = PageFiles.class.getResourceAsStream(UI_RESOURCES + name)) {
        bytes = in == null ? null : in.readAllBytes();
      } catch (java.io.IOException e) {
        LOG.error("cannot read the admin page file {}", name, e);
        ex.request().response().setStatusCode(500).end();
        return;
      }
    }
    if (bytes == null) {
      ex.json(404, Map.of("error", "no such page file: " + name));
      return;
    }
    ex.request().response().putHeader("content-type", type).putHeader("cache-control", "no-cache")
        .putHeader("x-content-type-options", "nosniff")
        .end(io.vertx.core.buffer.Buffer.buffer(bytes));
  }
}
