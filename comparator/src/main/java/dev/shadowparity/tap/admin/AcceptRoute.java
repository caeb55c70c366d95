package dev.shadowparity.tap.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.baseline.Baseline;
import dev.shadowparity.baseline.BaselineEntry;
import dev.shadowparity.config.InvalidValueException;
import dev.shadowparity.report.ReportJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/accept}: accepts a known, intended difference from the page, as {@code parity accept} does: the
 * entry goes into the tap's baseline file ({@code --baseline}) and applies from the next exchange on. Only with an
 * admin token: the file is meant to be reviewed, and without a token any web page the operator visits could post
 * here. Body: JSON {@code {"field", "kind", "endpoints", "old", "new", "reason", "by"}}, at most 16 KiB.
 */
final class AcceptRoute implements AdminRoute {

  private static final Logger LOG = LoggerFactory.getLogger(AcceptRoute.class);
  static final int MAX_BODY = 16 * 1024;

  @Override public String path() { return "/api/accept"; }
  @Override public List<HttpMethod> methods() { return List.of(HttpMethod.POST); }

  @Override
  public void handle(AdminExchange ex) {
    if (!ex.context().tokenSet()) {
      ex.json(403, Map.of("error", "accepting a difference needs an admin token (admin-token: or PARITY_ADMIN_TOKEN); "
          + "use parity accept --baseline FILE instead"));
      return;
    }
    if (ex.context().engine().baseline().file() == null) {
      ex.json(409, Map.of("error", "the tap was started without --baseline FILE: there is no file to add the entry to"));
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] tooLarge = {false};
    ex.request().handler(chunk -> {
      if (body.length() + chunk.length() > MAX_BODY) {
        tooLarge[0] = true;
      } else if (!tooLarge[0]) {
        body.appendBuffer(chunk);
      }
    });
    ex.request().endHandler(v -> {
      if (tooLarge[0]) {
        ex.json(413, Map.of("error", "the entry is larger than " + MAX_BODY + " bytes"));
        return;
      }
      ex.respond(() -> accept(ex.context().engine(), body.toString()));
    });
  }

  /** Adds the entry to the file, then to the engine; one at a time (two pages accepting at once both land). */
  private static AdminExchange.Reply accept(ParityEngine engine, String json) throws IOException {
    BaselineEntry entry;
    try {
      JsonNode n = ReportJson.mapper().readTree(json);
      if (n == null || !n.isObject()) {
        return error(400, "the body must be a JSON object with field, kind, endpoints, old, new, reason and by");
      }
      List<String> endpoints = null;
      if (n.hasNonNull("endpoints")) {
        if (!n.get("endpoints").isArray()) {
          return error(400, "endpoints: must be a list of endpoint names (or [\"*\"])");
        }
        endpoints = new ArrayList<>();
        for (JsonNode e : n.get("endpoints")) {
          if (!e.isTextual()) {
            return error(400, "endpoints: every element must be an endpoint name, got " + e);
          }
          endpoints.add(e.asText());
        }
      }
      entry = new BaselineEntry(text(n, "field"), text(n, "kind"), endpoints, text(n, "old"), text(n, "new"),
          text(n, "reason"), n.hasNonNull("by") ? text(n, "by") : "admin page",
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    } catch (InvalidValueException e) {
      return error(400, e.key() + ": " + e.getMessage());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return error(400, "not valid JSON: " + e.getOriginalMessage());
    }
    synchronized (engine) {
      Baseline next;
      try {
        // the file as it is now: entries added meanwhile by parity accept (or a git pull) stay, and apply from now on
        next = Baseline.append(engine.baseline().file(), entry);
      } catch (IllegalArgumentException e) {
        return error(409, e.getMessage());
      } catch (dev.shadowparity.config.ConfigException e) {
        return error(409, "the baseline file cannot be read now: " + e.getMessage());
      }
      engine.baseline(next);
    }
    LOG.info("difference accepted through the admin API: {} ({}) on {}, entry {}, by {}: {}", entry.field(), entry.kind(),
        entry.endpoints(), entry.id(), entry.by(), entry.reason());
    return new AdminExchange.Reply(201, ReportJson.mapper().writeValueAsString(Map.of("accepted", entry.id(), "entry", entry)),
        "application/json");
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v != null && !v.isNull() && !v.isValueNode()) {
      throw new InvalidValueException(key, "must be text, got " + v);
    }
    return v == null || v.isNull() ? null : v.asText();
  }

  private static AdminExchange.Reply error(int status, String message) throws IOException {
    return new AdminExchange.Reply(status, ReportJson.mapper().writeValueAsString(Map.of("error", message)), "application/json");
  }
}
