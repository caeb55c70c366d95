package dev.shadowparity.endpoint;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A configured route such as {@code /api/users/{id}/avatar-url} or {@code GET /api/orders/{order}}: each
 * {@code {name}} segment matches any one path segment, every other segment matches itself. Literal segments are
 * percent-decoded like request paths ({@link EndpointTemplater#decodeSegment}), so {@code /users/민준} and
 * {@code /users/%EB%AF%BC%EC%A4%80} are one route and match either spelling of the request, and the endpoint
 * is named with the decoded template.
 */
public final class RoutePattern {

  private static final Pattern METHOD = Pattern.compile("[A-Z]+");

  private final String method;
  private final String template;
  /** Decoded literal segments; null where the route has a {@code {name}}. */
  private final String[] segments;

  private RoutePattern(String method, String template, String[] segments) {
    this.method = method;
    this.template = template;
    this.segments = segments;
  }

  /** Parses {@code [METHOD ]/path/{var}}; fails with a message saying what is wrong. */
  public static RoutePattern parse(String text) {
    String t = text.trim();
    String method = null;
    int space = t.indexOf(' ');
    if (space > 0) {
      method = t.substring(0, space).toUpperCase(Locale.ROOT);
      if (!METHOD.matcher(method).matches()) {
        throw new IllegalArgumentException("'" + text + "': '" + t.substring(0, space) + "' is not an HTTP method");
      }
      t = t.substring(space + 1).trim();
    }
    if (!t.startsWith("/")) {
      throw new IllegalArgumentException("'" + text + "': a route is a path starting with '/', e.g. /api/users/{id}");
    }
    String[] segments = EndpointTemplater.split(t);
    StringBuilder template = new StringBuilder(t.length());
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean open = s.contains("{");
      boolean close = s.contains("}");
      if ((open || close) && !(s.startsWith("{") && s.endsWith("}") && s.length() > 2 && s.indexOf('{', 1) < 0)) {
        throw new IllegalArgumentException("'" + text + "': segment '" + s + "' must be either literal or a whole {name}");
      }
      segments[i] = open ? null : EndpointTemplater.decodeSegment(s);
      template.append('/').append(open ? s : segments[i]);
    }
    return new RoutePattern(method, segments.length == 0 ? "/" : template.toString(), segments);
  }

  /**
   * Whether the route covers this request; {@code pathSegments} as split by {@link EndpointTemplater#split} and
   * decoded by {@link EndpointTemplater#decodeSegment}.
   */
  boolean matches(String requestMethod, String[] pathSegments) {
    if (method != null && !method.equals(requestMethod)) {
      return false;
    }
    if (pathSegments.length != segments.length) {
      return false;
    }
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (s != null && !s.equals(pathSegments[i])) {
        return false;
      }
    }
    return true;
  }

  /** The path template, without method, its literal segments decoded. */
  public String template() {
    return template;
  }

  @Override
  public String toString() {
    return method == null ? template : method + " " + template;
  }
}
