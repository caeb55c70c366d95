package dev.shadowparity.tap.admin;

import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * One route of the admin API: where it is, which methods it takes, whether it needs the bearer token, and what it
 * does. {@link AdminHandler} holds them all in one table, in the order they are tried; a new route is one small
 * class added there.
 */
interface AdminRoute {

  /** How the route is listed, e.g. {@code /api/endpoints/{endpoint}/samples}. */
  String path();

  /** The methods it answers; any other gets 405 with {@code Allow}. */
  List<HttpMethod> methods();

  /** Whether it is served without the bearer token (it shows no evidence). */
  default boolean open() {
    return false;
  }

  /** Whether a request path is this route's. */
  default boolean matches(String requestPath) {
    return requestPath.equals(path());
  }

  /** Answers a request of this route with one of its methods. */
  void handle(AdminExchange exchange) throws Exception;
}
