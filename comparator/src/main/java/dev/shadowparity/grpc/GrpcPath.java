package dev.shadowparity.grpc;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gRPC call's path, {@code /package.Service/Method}, and the gRPC facts read from headers: whether a request is a
 * gRPC call, its status names, its percent-encoded {@code grpc-message}.
 *
 * @param service the service's full name ({@code package.Service})
 * @param method  the method's name
 */
public record GrpcPath(String service, String method) {

  private static final Pattern PATH = Pattern.compile("/([A-Za-z_][A-Za-z0-9_.]{0,511})/([A-Za-z_][A-Za-z0-9_]{0,255})");

  private static final String[] CODES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
      "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
      "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

  /** The path's service and method, or {@code null} when it is not of gRPC's shape. */
  public static GrpcPath parse(String path) {
    if (path == null) {
      return null;
    }
    Matcher m = PATH.matcher(path);
    return m.matches() ? new GrpcPath(m.group(1), m.group(2)) : null;
  }

  /**
   * Whether a Content-Type is gRPC's: {@code application/grpc}, {@code application/grpc+proto} (any {@code +suffix}
   * but JSON), and gRPC-Web's {@code application/grpc-web} and {@code application/grpc-web+proto} (not the text form).
   */
  public static boolean isGrpc(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = contentType.trim().toLowerCase(Locale.ROOT);
    int semi = t.indexOf(';');
    if (semi >= 0) {
      t = t.substring(0, semi).trim();
    }
    return t.equals("application/grpc") || t.equals("application/grpc+proto")
        || t.equals("application/grpc-web") || t.equals("application/grpc-web+proto");
  }

  /**
   * Whether a request is a gRPC call: a POST (every gRPC call is one) of gRPC's Content-Type. Another method with that
   * Content-Type is an ordinary request, so that a client cannot make the tap read a path as a gRPC method.
   */
  public static boolean isCall(dev.shadowparity.engine.RecordedRequest request) {
    return request != null && request.method().equals("POST") && isGrpc(request.headers().get("content-type"));
  }

  /** Whether a Content-Type is gRPC-Web's, whose trailers come in the body as a frame flagged {@code 0x80}. */
  public static boolean isGrpcWeb(String contentType) {
    return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/grpc-web");
  }

  /** A status code with its name, e.g. {@code 5 NOT_FOUND}; the text as it came when it is not a number. */
  public static String describeStatus(String code) {
    if (code == null) {
      return null;
    }
    String c = code.trim();
    try {
      int n = Integer.parseInt(c);
      return n >= 0 && n < CODES.length ? n + " " + CODES[n] : c;
    } catch (NumberFormatException e) {
      return c;
    }
  }

  /** A {@code grpc-message} value percent-decoded (UTF-8); a malformed escape stays as it is. */
  public static String decodeMessage(String value) {
    if (value == null || value.indexOf('%') < 0) {
      return value;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length() && hex(value.charAt(i + 1)) >= 0 && hex(value.charAt(i + 2)) >= 0) {
        out.write(hex(value.charAt(i + 1)) * 16 + hex(value.charAt(i + 2)));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
