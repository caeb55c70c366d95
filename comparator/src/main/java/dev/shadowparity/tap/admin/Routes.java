package dev.shadowparity.tap.admin;

import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.report.Gate;
import dev.shadowparity.report.ReportJson;
import dev.shadowparity.store.Period;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin API's routes, one small class each, in the order {@link AdminHandler} tries them. */
final class Routes {

  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  private static final List<HttpMethod> GET = List.of(HttpMethod.GET);
  private static final String JSON = "application/json";

  private Routes() {}

  /** Every route, in order. */
  static List<AdminRoute> all() {
    return List.of(new Page(), new Health(), new Metrics(), new ReportRoute(), new Samples(), new Trend(), new Periods(),
        new GateRoute(), new Reset(), new AcceptRoute());
  }

  /**
   * {@code GET /health}: up, and since when; no token. {@code DEGRADED} (still 200: the proxy serves, and a restart
   * would lose what only memory holds) while the store cannot be written, with why and how often.
   */
  static final class Health implements AdminRoute {
    @Override public String path() { return "/health"; }
    @Override public List<HttpMethod> methods() { return GET; }
    @Override public boolean open() { return true; }

    @Override
    public void handle(AdminExchange ex) {
      String problem = ex.context().store().flushProblem();
      if (problem == null) {
        ex.json(200, Map.of("status", "UP", "since", ex.context().started().toString()));
      } else {
        ex.json(200, Map.of("status", "DEGRADED", "since", ex.context().started().toString(), "store",
            Map.of("problem", problem, "failedFlushes", ex.context().store().failedFlushes(),
                "pendingRows", ex.context().store().pendingRows())));
      }
    }
  }

  /** {@code GET /} and {@code GET /ui/FILE}: the page's own files, which hold no data; no token (the page sends it). */
  static final class Page implements AdminRoute {
    static final String UI_PREFIX = "/ui/";
    @Override public String path() { return "/"; }
    @Override public List<HttpMethod> methods() { return GET; }
    @Override public boolean open() { return true; }

    @Override
    public boolean matches(String requestPath) {
      return requestPath.equals("/") || requestPath.startsWith(UI_PREFIX);
    }

    @Override
    public void handle(AdminExchange ex) {
      String path = ex.request().path();
      PageFiles.serve(ex, path.equals("/") ? "index.html" : path.substring(UI_PREFIX.length()));
    }
  }

  /** {@code GET /metrics}: Prometheus text. */
  static final class Metrics implements AdminRoute {
    @Override public String path() { return "/metrics"; }
    @Override public List<HttpMethod> methods() { return GET; }

    @Override
    public void handle(AdminExchange ex) {
      ex.work(() -> ex.context().registry().scrape(), "text/plain; version=0.0.4; charset=utf-8");
    }
  }

  /** {@code GET /api/report}: the report document ({@code docs/report-format.md}). */
  static final class ReportRoute implements AdminRoute {
    @Override public String path() { return "/api/report"; }
    @Override public List<HttpMethod> methods() { return GET; }

    @Override
    public void handle(AdminExchange ex) {
      ex.work(() -> ReportJson.write(ex.context().engine().report().withSource(ex.context().store().source())),
          JSON);
    }
  }

  /** {@code GET /api/endpoints/{endpoint}/samples}, the endpoint URL-encoded: its samples, newest last. */
  static final class Samples implements AdminRoute {
    private static final String PREFIX = "/api/endpoints/";
    private static final String SUFFIX = "/samples";
    @Override public String path() { return PREFIX + "{endpoint}" + SUFFIX; }
    @Override public List<HttpMethod> methods() { return GET; }

    @Override
    public boolean matches(String p) {
      return p.startsWith(PREFIX) && p.endsWith(SUFFIX) && p.length() > PREFIX.length() + SUFFIX.length();
    }

    @Override
    public void handle(AdminExchange ex) {
      String p = ex.request().path();
      String endpoint = URLDecoder.decode(p.substring(PREFIX.length(), p.length() - SUFFIX.length()), StandardCharsets.UTF_8);
      if (!ex.context().engine().ledger().endpoints().contains(endpoint)) {
        ex.json(404, Map.of("error", "no such endpoint: " + endpoint));
        return;
      }
      ex.work(() -> ReportJson.mapper().writeValueAsString(ex.context().engine().ledger().samples(endpoint)), JSON);
    }
  }

  /** {@code GET /api/trend}: each endpoint's rate over time, from the store. */
  static final class Trend implements AdminRoute {
    @Override public String path() { return "/api/trend"; }
    @Override public List<HttpMethod> methods() { return GET; }

    @Override
    public void handle(AdminExchange ex) {
      ex.work(() -> ReportJson.mapper().writeValueAsString(Map.of("intervalSeconds",
          ex.context().store().trendInterval().toSeconds(), "endpoints", ex.context().store().trend())), JSON);
    }
  }

  /** {@code GET /api/periods}: the evidence periods of the store. */
  static final class Periods implements AdminRoute {
    @Override public String path() { return "/api/periods"; }
    @Override public List<HttpMethod> methods() { return GET; }

    @Override
    public void handle(AdminExchange ex) {
      ex.work(() -> ReportJson.mapper().writeValueAsString(
          Map.of("current", ex.context().store().period(), "periods", ex.context().store().periods())), JSON);
    }
  }

  /**
   * {@code GET|POST /api/gate?endpoint=E&endpoint=F&max-mismatch-rate=R&confidence=C&min-compared=N}: 200 when every
   * named endpoint (all, by default) is PROVEN, 409 otherwise, with the {@link Gate.Result} as JSON; 400 on a bad
   * parameter. POST (as Flagger's webhooks send) ignores the request body. With {@code always-200=true} the status
   * is 200 either way and only the body tells (for Argo Rollouts' web metric).
   */
  static final class GateRoute implements AdminRoute {
    @Override public String path() { return "/api/gate"; }
    @Override public List<HttpMethod> methods() { return List.of(HttpMethod.GET, HttpMethod.POST); }

    /** The parameters the gate takes; any other is refused, so a misspelt one never loosens the rule unseen. */
    private static final java.util.Set<String> PARAMS = java.util.Set.of("endpoint", "max-mismatch-rate", "confidence",
        "min-compared", "always-200");

    @Override
    public void handle(AdminExchange ex) {
      HttpServerRequest req = ex.request();
      for (String name : req.params().names()) {
        if (!PARAMS.contains(name)) {
          ex.json(400, Map.of("error", "unknown parameter '" + name + "' (known: always-200, confidence, endpoint, "
              + "max-mismatch-rate, min-compared)"));
          return;
        }
        if (!name.equals("endpoint") && req.params().getAll(name).size() > 1) {
          ex.json(400, Map.of("error", name + ": given more than once"));
          return;
        }
      }
      VerdictConfig rule;
      try {
        Double minCompared = number(req, "min-compared");
        if (minCompared != null && minCompared != Math.rint(minCompared)) {
          throw new IllegalArgumentException("min-compared: '" + req.getParam("min-compared") + "' is not a whole number");
        }
        rule = ex.context().engine().config().verdict().override().maxMismatchRate(number(req, "max-mismatch-rate"))
            .confidence(number(req, "confidence")).minCompared(minCompared == null ? null : minCompared.longValue())
            .apply();
      } catch (IllegalArgumentException e) {
        ex.json(400, Map.of("error", e.getMessage().startsWith("--") ? e.getMessage().substring(2) : e.getMessage()));
        return;
      }
      List<String> names = req.params().getAll("endpoint");
      // Argo Rollouts' web metric reads only 2xx bodies: always-200 lets its conditions see passed and failing
      String always = req.getParam("always-200");
      if (always != null && !always.equals("true") && !always.equals("false")) {
        ex.json(400, Map.of("error", "always-200: '" + always + "' is not true or false"));
        return;
      }
      boolean always200 = "true".equals(always);
      ex.respond(() -> {
        Gate.Result result = Gate.evaluate(ex.context().engine().report(), names, rule);
        int status = result.passed() || always200 ? 200 : 409;
        return new AdminExchange.Reply(status, ReportJson.mapper().writeValueAsString(result) + "\n", JSON);
      });
    }

    private static Double number(HttpServerRequest req, String name) {
      String v = req.getParam(name);
      if (v == null) {
        return null;
      }
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + ": '" + v + "' is not a number", e);
      }
    }
  }

  /** {@code POST /api/reset}: ends the evidence period and starts a new one (the old one is kept in the store). */
  static final class Reset implements AdminRoute {
    @Override public String path() { return "/api/reset"; }
    @Override public List<HttpMethod> methods() { return List.of(HttpMethod.POST); }

    @Override
    public void handle(AdminExchange ex) {
      ex.work(() -> {
        Period p = ex.context().store().newPeriod(ex.context().engine()::reset);
        LOG.info("evidence reset through the admin API: period {} begins", p.id());
        return ReportJson.mapper().writeValueAsString(Map.of("reset", true, "at", p.startedAt().toString(), "period", p.id()));
      }, JSON);
    }
  }
}
