package dev.shadowparity.engine;

/**
 * Where a {@link Difference} is, typed: what the string pair {@code field} and {@code path} says, for code that must
 * tell a header from a JSON member without parsing those strings.
 */
public sealed interface Location {

  /** The status code. */
  record Status() implements Location {}

  /** A header (lower-case name); {@code path} may name a part of it (a cookie). */
  record Header(String name) implements Location {}

  /** The body as a whole (its kind, its bytes, its presence). */
  record Body() implements Location {}

  /** Lines of a text body, e.g. {@code line 3} or {@code lines 3-5}. */
  record TextLines(String where) implements Location {}

  /** A member of a JSON body, by JSON Pointer with indices ({@code /items/3/price}). */
  record Pointer(String pointer) implements Location {}

  /**
   * A gRPC call's status or message ({@code grpc-status}, {@code grpc-message}) or a trailer ({@code trailer:<name>});
   * {@code name} is the lower-case name ({@code grpc-status}, {@code grpc-message}, or the trailer's).
   */
  record Trailer(String name) implements Location {}

  /** The location of a difference's field and path, as the differs write them. */
  static Location of(String field, String path) {
    if (field.equals("status")) {
      return new Status();
    }
    if (field.equals("grpc-status") || field.equals("grpc-message")) {
      return new Trailer(field);
    }
    if (field.startsWith("trailer:")) {
      return new Trailer(field.substring("trailer:".length()));
    }
    if (field.startsWith("header:")) {
      return new Header(field.substring("header:".length()));
    }
    if (field.equals("body") && path.startsWith("line")) {
      return new TextLines(path);
    }
    if (path.startsWith("/") || field.startsWith("/")) {
      return new Pointer(path.isEmpty() ? field : path);
    }
    return new Body();
  }
}
