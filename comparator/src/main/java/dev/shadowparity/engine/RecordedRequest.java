package dev.shadowparity.engine;

import java.util.Locale;
import java.util.Objects;

/**
 * One HTTP request as it was sent (or is to be sent) to both backends.
 *
 * @param method upper-case method name
 * @param uri    origin-form request target: path and optional query, e.g. {@code /api/users/7?x=1}
 * @param headers request headers
 * @param body   request body bytes, empty when there is none; owned by this record, never modified
 * @param protocol the HTTP version it came in, {@link #HTTP_1_1} or {@link #HTTP_2}; replay sends it the same way
 */
public record RecordedRequest(String method, String uri, Headers headers, byte[] body, String protocol) {

  public static final String HTTP_1_1 = "HTTP/1.1";
  public static final String HTTP_2 = "HTTP/2";

  private static final byte[] NO_BODY = new byte[0];

  public RecordedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    method = method.toUpperCase(Locale.ROOT);
    headers = headers == null ? Headers.empty() : headers;
    body = body == null ? NO_BODY : body;
    protocol = protocol == null ? HTTP_1_1 : protocol;
  }

  public RecordedRequest(String method, String uri, Headers headers, byte[] body) {
    this(method, uri, headers, body, HTTP_1_1);
  }

  /** Whether it came (and is sent again) over HTTP/2. */
  public boolean http2() {
    return HTTP_2.equals(protocol);
  }

  public static RecordedRequest get(String uri) {
    return new RecordedRequest("GET", uri, Headers.empty(), NO_BODY);
  }

  /** The path part of the URI, without query string or fragment. */
  public String path() {
    int end = uri.length();
    int q = uri.indexOf('?');
    if (q >= 0) {
      end = q;
    }
    int f = uri.indexOf('#');
    if (f >= 0 && f < end) {
      end = f;
    }
    return uri.substring(0, end);
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
