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
        new StoreRoute(), new GateRoute(), new Reset(), new AcceptRoute());
  }

  /** Whose evidence a request asks for: this tap's ({@code scope=tap}, the default) or the fleet's. */
  enum Scope { TAP, FLEET }

  /**
   * The scope a request asks for. Answers 400 itself, and returns null, for another value, a repeated one, or
   * {@code fleet} when this tap's store is not shared.
   */
  static Scope scope(AdminExchange ex) {
    List<String> given = ex.request().params().getAll("scope");
    if (given.size() > 1) {
      ex.json(400, Map.of("error", "scope: given more than once"));
      return null;
    }
    String scope = given.isEmpty() ? "tap" : given.get(0);
    if (scope.equals("tap")) {
      return Scope.TAP;
    }
    if (!scope.equals("fleet")) {
      ex.json(400, Map.of("error", "scope: '" + scope + "' is not tap (this tap's evidence, the default) or fleet"
          + " (every tap of the shared store)"));
      return null;
    }
    String notShared = ex.context().fleet().notShared();
    if (notShared != null) {
      ex.json(400, Map.of("error", notShared));
      return null;
    }
    return Scope.FLEET;
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

  /**
   * {@code GET /api/report[?scope=fleet]}: the report document ({@code docs/report-format.md}) of this tap, or of every
   * tap of the shared store with what each contributed ({@code taps}).
   */
  static final class ReportRoute implements AdminRoute {
    @Override public String path() { return "/api/report"; }
    @Override public List<HttpMethod> methods() { return GET; }

    @Override
    public void handle(AdminExchange ex) {
      Scope scope = scope(ex);
      if (scope == null) {
        return;
      }
      if (scope == Scope.FLEET) {
        ex.respond(ex.context().fleet().snapshot(),
            s -> new AdminExchange.Reply(200, ReportJson.write(s.report()), JSON));
        return;
      }
      ex.work(() -> ReportJson.write(ex.context().engine().report().withSource(ex.context().store().source())),
          JSON);
    }
  }

  /**
   * {@code GET /api/endpoints/{endpoint}/samples[?scope=fleet]}, the endpoint URL-encoded: its samples, newest last;
   * of this tap, or of every tap of the shared store.
   */
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
      Scope scope = scope(ex);
      if (scope == null) {
        return;
      }
      if (scope == Scope.FLEET) {
        ex.respond(ex.context().fleet().snapshot(), s -> s.ledger().endpoints().contains(endpoint)
            ? new AdminExchange.Reply(200, ReportJson.mapper().writeValueAsString(s.ledger().samples(endpoint)), JSON)
            : new AdminExchange.Reply(404, ReportJson.mapper().writeValueAsString(
                Map.of("error", "no such endpoint in the fleet's evidence: " + endpoint)) + "\n", JSON));
        return;
      }
      if (!ex.context().engine().ledger().endpoints().contains(endpoint)) {
        ex.json(404, Map.of("error", "no such endpoint: " + endpoint));
        return;
      }
      ex.work(() -> ReportJson.mapper().writeValueAsString(ex.context().engine().ledger().samples(endpoint)), JSON);
    }
  }

  /**
   * {@code GET /api/trend}: each endpoint's rate over time, from the store; this tap's only (each tap keeps its own
   * points), so {@code scope=fleet} is refused rather than answered with this tap's.
   */
  static final class Trend implements AdminRoute {
    @Override public String path() { return "/api/trend"; }
    @Override public List<HttpMethod> methods() { return GET; }

    @Override
    public void handle(AdminExchange ex) {
      List<String> scope = ex.request().params().getAll("scope");
      if (!scope.isEmpty() && !scope.equals(List.of("tap"))) {
        ex.json(400, Map.of("error", "the trend is this tap's only (scope=tap): each tap keeps its own points; the fleet's"
            + " rate over time is in Prometheus (sum by endpoint of the taps' counters, dashboards/)"));
        return;
      }
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
   * {@code GET /api/store}: where this tap keeps its evidence and whether it is shared by a fleet, so that a page
   * offers {@code scope=fleet} only where it can be answered. Answered from memory (no database access), also while
   * the store is away: {@code {"store": "postgresql://parity@db:5432/parity", "kind": "postgresql", "shared": true,
   * "tap": "pod-7", "period": 3, "scopes": ["tap", "fleet"]}}.
   */
  static final class StoreRoute implements AdminRoute {
    @Override public String path() { return "/api/store"; }
    @Override public List<HttpMethod> methods() { return GET; }

    @Override
    public void handle(AdminExchange ex) {
      dev.shadowparity.store.Store store = ex.context().store();
      boolean shared = ex.context().fleet().available();
      Map<String, Object> body = new java.util.LinkedHashMap<>();
      body.put("store", store.location() == null ? null : store.location().toString());
      body.put("kind", store.location() == null ? "memory" : shared ? "postgresql" : "file");
      body.put("shared", shared);
      body.put("tap", store.tapId());
      body.put("period", store.period());
      body.put("scopes", shared ? List.of("tap", "fleet") : List.of("tap"));
      ex.json(200, body);
    }
  }

  /**
   * {@code GET|POST /api/gate?endpoint=E&endpoint=F&max-mismatch-rate=R&confidence=C&min-compared=N&scope=fleet}: 200
   * when every named endpoint (all, by default) is PROVEN, 409 otherwise, with the {@link Gate.Result} as JSON; 400 on
   * a bad parameter. POST (as Flagger's webhooks send) ignores the request body. With {@code always-200=true} the
   * status is 200 either way and only the body tells (for Argo Rollouts' web metric). With {@code scope=fleet}, the
   * same rule judges every tap's counts in the shared store (503 while it cannot be read).
   */
  static final class GateRoute implements AdminRoute {
    @Override public String path() { return "/api/gate"; }
    @Override public List<HttpMethod> methods() { return List.of(HttpMethod.GET, HttpMethod.POST); }

    /** The parameters the gate takes; any other is refused, so a misspelt one never loosens the rule unseen. */
    private static final java.util.Set<String> PARAMS = java.util.Set.of("endpoint", "max-mismatch-rate", "confidence",
        "min-compared", "always-200", "scope");

    @Override
    public void handle(AdminExchange ex) {
      HttpServerRequest req = ex.request();
      for (String name : req.params().names()) {
        if (!PARAMS.contains(name)) {
          ex.json(400, Map.of("error", "unknown parameter '" + name + "' (known: always-200, confidence, endpoint, "
              + "max-mismatch-rate, min-compared, scope)"));
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
      Scope scope = scope(ex);
      if (scope == null) {
        return;
      }
      if (scope == Scope.FLEET) {
        ex.respond(ex.context().fleet().snapshot(), s -> answer(Gate.evaluate(s.report(), names, rule), always200));
        return;
      }
      ex.respond(() -> answer(Gate.evaluate(ex.context().engine().report(), names, rule), always200));
    }

    private static AdminExchange.Reply answer(Gate.Result result, boolean always200) throws java.io.IOException {
      int status = result.passed() || always200 ? 200 : 409;
      return new AdminExchange.Reply(status, ReportJson.mapper().writeValueAsString(result) + "\n", JSON);
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
