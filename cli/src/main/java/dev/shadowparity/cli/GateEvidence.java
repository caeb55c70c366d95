package dev.shadowparity.cli;

import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.prometheus.LabelSelector;
import dev.shadowparity.prometheus.PromDuration;
import dev.shadowparity.prometheus.PrometheusApi;
import dev.shadowparity.prometheus.PrometheusEvidence;
import dev.shadowparity.prometheus.PrometheusException;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.ReportSum;
import dev.shadowparity.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where {@code parity gate} takes its evidence from, one source among several: a store file's period, report
 * documents summed per endpoint, or the taps' counters in Prometheus summed over a window. Each gives the endpoints'
 * counts as a {@link Report}; the gate's rule ({@code report.Gate}) is the same for all.
 */
sealed interface GateEvidence permits GateEvidence.Store, GateEvidence.Reports, GateEvidence.Prometheus {

  /**
   * The evidence, judged under the rule.
   *
   * @param description the first line of the gate's output: what the evidence is
   * @param nothingSeen what to say when no endpoint has evidence
   */
  record Loaded(Report report, String description, String nothingSeen) {}

  /** The evidence could not be read; the message says why, for people. */
  final class EvidenceException extends Exception {
    private static final long serialVersionUID = 1L;

    EvidenceException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads the evidence and judges each endpoint under {@code rule}. */
  Loaded load(ParityConfig config, VerdictConfig rule) throws EvidenceException;

  /**
   * One period of a store (the newest when {@code period} is null): a tap's file, or a fleet's PostgreSQL database
   * (every tap's counts added up).
   */
  record Store(String store, Long period) implements GateEvidence {
    @Override
    public Loaded load(ParityConfig config, VerdictConfig rule) throws EvidenceException {
      try {
        StoreEvidence evidence = StoreEvidence.read(store, period, config, rule);
        return new Loaded(evidence.ledger().report(), evidence.describe(),
            "No endpoint has evidence in this period: nothing is proven.");
      } catch (StoreException e) {
        throw new EvidenceException(e.getMessage(), e);
      }
    }
  }

  /** Report documents, summed per endpoint ({@link ReportSum}). */
  record Reports(List<Path> files) implements GateEvidence {
    @Override
    public Loaded load(ParityConfig config, VerdictConfig rule) throws EvidenceException {
      try {
        return new Loaded(ReportSum.read(files, rule), "Evidence: the sum of " + files.size() + " report file"
            + (files.size() == 1 ? "" : "s") + ".", "No endpoint has evidence in these reports: nothing is proven.");
      } catch (NoSuchFileException e) {
        throw new EvidenceException(e.getFile() + ": no such report file", e);
      } catch (IOException e) {
        throw new EvidenceException("cannot read a report file: " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new EvidenceException(e.getMessage(), e);
      }
    }
  }

  /**
   * The taps' counters in a Prometheus-compatible API, summed exactly over a window ({@link PrometheusEvidence}).
   *
   * @param api      the API, with its credentials (from the environment, never shown)
   * @param selector the taps' series
   * @param window   how far back from Prometheus' present the counts go
   * @param lookback how far before the window each series' base sample is looked for
   * @param at       the window's end; null for Prometheus' present
   */
  record Prometheus(PrometheusApi api, LabelSelector selector, Duration window, Duration lookback, Instant at)
      implements GateEvidence {

    /** Bearer token for the API (Thanos, Mimir, a gateway in front of Prometheus). */
    static final String TOKEN_ENV = "PARITY_PROMETHEUS_TOKEN";
    /** User and password for basic authentication (Prometheus' own {@code basic_auth_users}, a proxy). */
    static final String USER_ENV = "PARITY_PROMETHEUS_USER";
    static final String PASSWORD_ENV = "PARITY_PROMETHEUS_PASSWORD";

    /**
     * Checks the options and makes the client.
     *
     * @throws IllegalArgumentException for a bad option or environment, naming it
     */
    static Prometheus of(String url, String window, String lookback, String at, String selector, List<String> headers,
        String timeout, long maxBytes, Map<String, String> env) {
      Duration w = PromDuration.parse(window, "--window");
      Duration l = PromDuration.parse(lookback, "--lookback");
      Duration t = PromDuration.parse(timeout, "--timeout");
      LabelSelector s = LabelSelector.parse(selector);
      PrometheusApi api = new PrometheusApi(url, t, maxBytes, authorization(env), headers(headers));
      return new Prometheus(api, s, w, l, at == null ? null : instant(at));
    }

    /** {@code 2024-05-01T12:00:00Z} (any RFC 3339 offset, with or without a fraction) or Unix seconds ({@code 1714564800.5}). */
    static Instant instant(String text) {
      try {
        if (text.matches("\\d{1,12}(\\.\\d{1,9})?")) {
          BigDecimal seconds = new BigDecimal(text);
          return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("--at: not a time: '" + text + "' (give 2024-05-01T12:00:00Z or Unix seconds)", e);
      }
    }

    @Override
    public Loaded load(ParityConfig config, VerdictConfig rule) throws EvidenceException {
      try {
        PrometheusEvidence.Result r = PrometheusEvidence.read(api, selector, window, lookback, at, rule);
        String description = String.format(Locale.ROOT, "Evidence: Prometheus at %s, the taps' counters summed over the "
            + "%s up to %s%s: %d series from %d scrape target%s.", api.url(), PromDuration.format(window),
            r.end().truncatedTo(ChronoUnit.SECONDS), selector.matchers().isEmpty() ? "" : ", selector " + selector,
            r.series(), r.targets().size(), r.targets().size() == 1 ? "" : "s");
        return new Loaded(r.report(), description, "No endpoint has evidence in this window: nothing is proven.");
      } catch (PrometheusException e) {
        throw new EvidenceException(e.getMessage(), e);
      }
    }

    /** The Authorization header from the environment, or null when none is set. */
    static String authorization(Map<String, String> env) {
      String token = nonEmpty(env.get(TOKEN_ENV));
      String user = nonEmpty(env.get(USER_ENV));
      String password = env.get(PASSWORD_ENV);
      if (token != null && (user != null || password != null)) {
        throw new IllegalArgumentException("set either " + TOKEN_ENV + " or " + USER_ENV + " and " + PASSWORD_ENV
            + ", not both");
      }
      if (token != null) {
        return "Bearer " + token.strip();
      }
      if (user == null && password == null) {
        return null;
      }
      if (user == null || password == null) {
        throw new IllegalArgumentException("basic authentication needs both " + USER_ENV + " and " + PASSWORD_ENV);
      }
      if (user.indexOf(':') >= 0) {
        throw new IllegalArgumentException(USER_ENV + ": a user name for basic authentication has no ':'");
      }
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String nonEmpty(String s) {
      return s == null || s.isBlank() ? null : s;
    }

    /** {@code Name: value} headers, each name once; credentials belong in the environment, not here. */
    static Map<String, String> headers(List<String> given) {
      Map<String, String> out = new LinkedHashMap<>();
      for (String h : given) {
        int colon = h.indexOf(':');
        String name = colon < 0 ? "" : h.substring(0, colon).strip();
        if (colon < 0 || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
          throw new IllegalArgumentException("--header: give 'Name: value', e.g. 'X-Scope-OrgID: tenant-1'; got a "
              + "header without a valid name");
        }
        String value = h.substring(colon + 1).strip();
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
          throw new IllegalArgumentException("--header " + name + ": a line break in its value");
        }
        if (name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Proxy-Authorization")) {
          throw new IllegalArgumentException("--header " + name + ": credentials do not go on the command line (shells "
              + "and process lists keep it): set " + TOKEN_ENV + ", or " + USER_ENV + " and " + PASSWORD_ENV);
        }
        if (out.keySet().stream().anyMatch(name::equalsIgnoreCase)) {
          throw new IllegalArgumentException("--header " + name + ": given twice");
        }
        out.put(name, value);
      }
      return out;
    }
  }
}
