package dev.shadowparity.noise;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The latest OLD answer per identical request, in a cache bounded in bytes: when the same request comes again,
 * the two OLD answers are compared and what differs is volatile. Requests are identical when method, target,
 * the headers that select a representation or a user ({@link #KEY_HEADERS}) and the body are.
 */
public final class RecentOldAnswers {

  /** Request headers that make two requests with the same target different requests. */
  static final Set<String> KEY_HEADERS = Set.of("accept", "accept-language", "accept-encoding", "authorization", "cookie",
      "content-type");

  private final Cache<String, RecordedResponse> recent;

  public RecentOldAnswers(long maxBytes) {
    this.recent = Caffeine.newBuilder().maximumWeight(maxBytes)
        .weigher((String key, RecordedResponse r) -> 256 + 2 * key.length() + r.body().length).build();
  }

  /** The previous OLD answer to the same request (or {@code null}), keeping this one in its place. */
  public RecordedResponse swap(String endpoint, RecordedRequest request, RecordedResponse old) {
    return recent.asMap().put(key(endpoint, request), old);
  }

  static String key(String endpoint, RecordedRequest request) {
    StringBuilder b = new StringBuilder(128).append(endpoint).append('\n').append(request.method()).append(' ')
        .append(request.uri());
    for (Map.Entry<String, String> h : request.headers().entries()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (KEY_HEADERS.contains(name)) {
        b.append('\n').append(name).append(':').append(h.getValue());
      }
    }
    if (request.body().length > 0) {
      b.append("\nbody:").append(request.body().length).append(':').append(Arrays.hashCode(request.body()));
    }
    return b.toString();
  }
}
