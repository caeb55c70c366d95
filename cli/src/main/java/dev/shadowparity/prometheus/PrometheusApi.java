package dev.shadowparity.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the standard Prometheus HTTP API's instant queries ({@code POST /api/v1/query}), as Prometheus, Thanos
 * and Mimir serve it. Every exchange is bounded: the whole answer must come within the timeout, and its body (after
 * gzip) within the byte cap, read as a stream so that memory holds one series at a time. Redirects are not followed
 * (credentials never go to another host). The credentials are sent, never shown: not in messages, not in logs, not
 * in {@link #toString()}.
 */
public final class PrometheusApi {

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusApi.class);
  private static final JsonFactory JSON = new JsonFactory();
  /** What is read of an error answer (a JSON error or a proxy's page), to say what went wrong. */
  private static final int ERROR_BODY_BYTES = 64 * 1024;
  private static final String QUERY_PATH = "/api/v1/query";
  /** Closes the body of an answer that is still streaming at its deadline, which ends a blocked read. */
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "prometheus-watchdog");
    t.setDaemon(true);
    return t;
  });

  /** One series of a range selector: its labels and its samples, times ascending, values as whole counts. */
  public interface SeriesHandler {
    void series(Map<String, String> labels, long[] timesMillis, long[] values, int count) throws PrometheusException;
  }

  private final URI endpoint;
  private final String display;
  private final Duration timeout;
  private final long maxBytes;
  private final String authorization;
  private final Map<String, String> headers;
  private final HttpClient http;

  /**
   * @param url           the API's base ({@code http://prometheus:9090}, {@code http://mimir/prometheus}); a URL
   *                      ending in {@code /api/v1/query} is taken as its base
   * @param timeout       for each answer, from sending the request to its last byte
   * @param maxBytes      the cap on each answer's body
   * @param authorization the {@code Authorization} header's value, or null; never shown
   * @param headers       more request headers ({@code X-Scope-OrgID}); their values are never shown either
   * @throws IllegalArgumentException for a URL that is not http(s), has credentials in it, or a header Java's client
   *                                  does not let one set
   */
  public PrometheusApi(String url, Duration timeout, long maxBytes, String authorization, Map<String, String> headers) {
    URI base = base(url);
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.endsWith(QUERY_PATH)) {
      path = path.substring(0, path.length() - QUERY_PATH.length());
    }
    this.display = base.getScheme() + "://" + base.getRawAuthority() + path;
    this.endpoint = URI.create(display + QUERY_PATH + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery()));
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--timeout: must be longer than 0");
    }
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("--max-response-bytes: must be at least 1024, got " + maxBytes);
    }
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.authorization = authorization;
    this.headers = new LinkedHashMap<>(headers);
    try {
      HttpRequest.Builder probe = HttpRequest.newBuilder(endpoint);
      this.headers.forEach(probe::header);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--header: " + e.getMessage(), e);
    }
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout).build();
  }

  private static URI base(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--prometheus: not a URL: " + e.getMessage(), e);
    }
    if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
        || u.getHost() == null) {
      throw new IllegalArgumentException("--prometheus: give the API's http:// or https:// URL, e.g. "
          + "http://prometheus.monitoring:9090 (Mimir: http://mimir/prometheus)");
    }
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException("--prometheus: no credentials in the URL (it is printed): set "
          + "PARITY_PROMETHEUS_USER and PARITY_PROMETHEUS_PASSWORD, or PARITY_PROMETHEUS_TOKEN");
    }
    if (u.getRawFragment() != null) {
      throw new IllegalArgumentException("--prometheus: a URL with a #fragment is not an API's URL");
    }
    return u;
  }

  /** The API's base URL as given (without its query string), for messages. */
  public String url() {
    return display;
  }

  @Override
  public String toString() {
    return "Prometheus API " + display + (authorization == null ? "" : " (with credentials)")
        + (headers.isEmpty() ? "" : " (headers " + String.join(", ", headers.keySet()) + ")");
  }

  /** Prometheus' own clock ({@code time()}), in milliseconds: the end of a window as the server sees it. */
  public long time() throws PrometheusException {
    long[] out = {Long.MIN_VALUE};
    exchange("time()", null, p -> out[0] = millis(scalar(p)), "scalar");
    if (out[0] == Long.MIN_VALUE) {
      throw new PrometheusException("Prometheus at " + display + " answered time() without a value");
    }
    return out[0];
  }

  /**
   * Evaluates a range selector ({@code metric{...}[5m]}) at {@code atMillis} and hands each series' raw samples to
   * the handler as they are read.
   */
  public void rangeSamples(String expr, long atMillis, SeriesHandler handler) throws PrometheusException {
    exchange(expr, atMillis, p -> readSeries(p, expr, handler), "matrix");
  }

  private interface ResultReader {
    void read(JsonParser p) throws IOException, PrometheusException;
  }

  private void exchange(String expr, Long atMillis, ResultReader reader, String resultType) throws PrometheusException {
    String form = "query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
        + (atMillis == null ? "" : "&time=" + BigDecimal.valueOf(atMillis, 3).toPlainString());
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .header("Accept-Encoding", "gzip")
        .header("User-Agent", "parity-gate")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    headers.forEach(b::header);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    long started = System.nanoTime();
    LOG.debug("asking {} for {}", display, expr);
    HttpResponse<InputStream> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new PrometheusException("cannot reach Prometheus at " + display + ": no connection within " + seconds(timeout)
          + " (--timeout)", e);
    } catch (HttpTimeoutException e) {
      throw new PrometheusException("Prometheus at " + display + " did not answer within " + seconds(timeout)
          + " (--timeout)", e);
    } catch (IOException | UnresolvedAddressException e) {
      throw new PrometheusException("cannot reach Prometheus at " + display + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusException("interrupted while asking Prometheus at " + display, e);
    }
    long left = timeout.toNanos() - (System.nanoTime() - started);
    AtomicBoolean late = new AtomicBoolean();
    InputStream raw = r.body();
    ScheduledFuture<?> deadline = WATCHDOG.schedule(() -> {
      late.set(true);
      try {
        raw.close();
      } catch (IOException e) {
        LOG.debug("closing a late answer of {} failed", display, e);
      }
    }, Math.max(1, left), TimeUnit.NANOSECONDS);
    try (InputStream body = raw) {
      boolean gzip = r.headers().firstValue("Content-Encoding").map(v -> v.trim().equalsIgnoreCase("gzip")).orElse(false);
      long cap = r.statusCode() == 200 ? maxBytes : ERROR_BODY_BYTES;
      InputStream in = new CappedInputStream(body, cap);
      if (gzip) {
        in = new CappedInputStream(new GZIPInputStream(in, 64 * 1024), cap);
      }
      if (r.statusCode() != 200) {
        throw failed(r.statusCode(), in, expr);
      }
      read(in, expr, reader, resultType);
    } catch (CappedInputStream.OverCap e) {
      throw new PrometheusException("the answer of Prometheus at " + display + " to " + expr + " is larger than "
          + maxBytes + " bytes (--max-response-bytes): give a shorter --window or a narrower --selector (fewer taps "
          + "or endpoints), or raise the cap", e);
    } catch (IOException e) {
      if (late.get()) {
        throw new PrometheusException("Prometheus at " + display + " did not send its whole answer within "
            + seconds(timeout) + " (--timeout)", e);
      }
      throw new PrometheusException("reading the answer of Prometheus at " + display + " failed: " + describe(e), e);
    } finally {
      deadline.cancel(false);
    }
    LOG.debug("{} answered {} in {} ms", display, expr, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Reads a whole API answer: status, data, error and warnings, in any order. */
  private void read(InputStream in, String expr, ResultReader reader, String resultType)
      throws IOException, PrometheusException {
    String status = null;
    String errorType = null;
    String error = null;
    String type = null;
    List<String> warnings = new ArrayList<>();
    boolean result = false;
    try (JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw notApi(expr, "not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "status" -> status = p.getValueAsString();
          case "errorType" -> errorType = p.getValueAsString();
          case "error" -> error = p.getValueAsString();
          case "warnings" -> {
            if (t == JsonToken.START_ARRAY) {
              while (p.nextToken() != JsonToken.END_ARRAY) {
                warnings.add(p.getValueAsString());
                p.skipChildren();
              }
            }
          }
          case "data" -> {
            if (t != JsonToken.START_OBJECT) {
              throw notApi(expr, "\"data\" is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              p.nextToken();
              if (name.equals("resultType")) {
                type = p.getValueAsString();
              } else if (name.equals("result")) {
                if (type != null && !type.equals(resultType)) {
                  throw notApi(expr, "a " + type + " where a " + resultType + " was expected");
                }
                reader.read(p);
                result = true;
              } else {
                p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (JsonParseException e) {
      throw notApi(expr, "not JSON: " + e.getOriginalMessage());
    }
    if (!"success".equals(status)) {
      throw new PrometheusException("Prometheus at " + display + " refused " + expr + ": " + (errorType == null ? ""
          : errorType + ": ") + (error == null ? "status " + status : error));
    }
    if (!warnings.isEmpty()) {
      throw new PrometheusException("Prometheus at " + display + " warned that its answer to " + expr + " may be "
          + "incomplete, so the counts would not be exact: " + String.join("; ", warnings)
          + " (Thanos: ask with partial_response=false in the URL)");
    }
    if (!result) {
      throw notApi(expr, "no data.result");
    }
    if (type != null && !type.equals(resultType)) {
      throw notApi(expr, "a " + type + " where a " + resultType + " was expected");
    }
  }

  private PrometheusException failed(int status, InputStream in, String expr) throws IOException {
    byte[] body = in.readNBytes(ERROR_BODY_BYTES);
    String errorType = null;
    String error = null;
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("errorType")) {
            errorType = p.getValueAsString();
          } else if (field.equals("error")) {
            error = p.getValueAsString();
          } else {
            p.skipChildren();
          }
        }
      }
    } catch (IOException notJson) {
      LOG.debug("the {} answer of {} is not a JSON error", status, display, notJson);
    }
    String what = error != null ? (errorType == null ? "" : errorType + ": ") + error : printable(body);
    String hint = status == 401 || status == 403 ? " (credentials: PARITY_PROMETHEUS_TOKEN, or PARITY_PROMETHEUS_USER and "
        + "PARITY_PROMETHEUS_PASSWORD; a Mimir tenant: --header 'X-Scope-OrgID: NAME')"
        : status >= 300 && status < 400 ? " (a redirect, not followed: give the URL it points to)"
        : status == 404 ? " (is " + display + " the API's base? Prometheus serves " + QUERY_PATH + " under it)" : "";
    return new PrometheusException("Prometheus at " + display + " answered HTTP " + status + " to " + expr
        + (what.isEmpty() ? "" : ": " + what) + hint);
  }

  private PrometheusException notApi(String expr, String why) {
    return new PrometheusException("the answer of " + display + " to " + expr + " is not a Prometheus API answer: " + why);
  }

  private void readSeries(JsonParser p, String expr, SeriesHandler handler) throws IOException, PrometheusException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw notApi(expr, "\"result\" is not an array");
    }
    long[] times = new long[64];
    long[] values = new long[64];
    while (p.nextToken() == JsonToken.START_OBJECT) {
      Map<String, String> labels = new LinkedHashMap<>();
      int n = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("metric") && t == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            labels.put(name, p.getValueAsString());
          }
        } else if (field.equals("values") && t == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_ARRAY) {
            if (n == times.length) {
              times = Arrays.copyOf(times, n * 2);
              values = Arrays.copyOf(values, n * 2);
            }
            p.nextToken();
            if (!p.currentToken().isNumeric()) {
              throw notApi(expr, "a sample time that is not a number");
            }
            times[n] = millis(p.getDecimalValue());
            p.nextToken();
            values[n] = count(p.getValueAsString(), labels, expr);
            if (p.nextToken() != JsonToken.END_ARRAY) {
              throw notApi(expr, "a sample that is not [time, value]");
            }
            if (n > 0 && times[n] <= times[n - 1]) {
              throw notApi(expr, "samples out of time order");
            }
            n++;
          }
        } else if (field.equals("histograms")) {
          throw new PrometheusException("the series " + labels + " of " + expr + " holds native histograms, not a "
              + "tap's counter: narrow --selector to the taps");
        } else {
          p.skipChildren();
        }
      }
      handler.series(labels, times, values, n);
    }
    if (p.currentToken() != JsonToken.END_ARRAY) {
      throw notApi(expr, "a series that is not an object");
    }
  }

  private BigDecimal scalar(JsonParser p) throws IOException, PrometheusException {
    if (p.currentToken() != JsonToken.START_ARRAY || !p.nextToken().isNumeric()) {
      throw notApi("time()", "not a scalar [time, value]");
    }
    p.nextToken();
    BigDecimal v;
    try {
      v = new BigDecimal(p.getValueAsString());
    } catch (NumberFormatException | NullPointerException e) {
      throw notApi("time()", "the value is not a number");
    }
    if (p.nextToken() != JsonToken.END_ARRAY) {
      throw notApi("time()", "not a scalar [time, value]");
    }
    return v;
  }

  private static long millis(BigDecimal seconds) {
    return seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** A counter's value as a whole count; anything else is not a tap's counter. */
  private static long count(String text, Map<String, String> labels, String expr) throws PrometheusException {
    BigDecimal v;
    try {
      v = new BigDecimal(text);
    } catch (NumberFormatException | NullPointerException e) {
      throw new PrometheusException("the series " + labels + " of " + expr + " has the value " + text
          + ", not a count: narrow --selector to the taps");
    }
    if (v.signum() < 0 || v.stripTrailingZeros().scale() > 0 || v.compareTo(BigDecimal.valueOf(1L << 53)) > 0) {
      throw new PrometheusException("the series " + labels + " of " + expr + " has the value " + text
          + ", not a count: narrow --selector to the taps");
    }
    return v.longValueExact();
  }

  /** What went wrong, from the first cause with something to say (Java's client nests them without messages). */
  private static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return "its host name does not resolve";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.3f s", d.toMillis() / 1000.0);
  }

  /** The start of a body for a message: printable characters only, white space collapsed, at most 200. */
  private static String printable(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}\\p{Cf}]", " ")
        .replaceAll("\\s+", " ").strip();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
