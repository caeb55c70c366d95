package dev.shadowparity.noise;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shadowparity.engine.MediaType;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;

/**
 * The latest OLD answer per identical request ({@link RequestIdentity}), in a cache bounded in bytes: when the same
 * request comes again, the two OLD answers are compared and what differs is volatile. The key is a digest: no
 * credential or cookie is kept.
 */
public final class RecentOldAnswers {

  /**
   * An OLD answer and the moment it was given, as a sequence number of writes ({@code UnmirroredWrites.sequence()}):
   * two answers with a write to the resource between them answer two states of the data, not one.
   */
  public record Answer(RecordedResponse response, long writeSequence) {}

  private final Cache<String, Answer> recent;

  public RecentOldAnswers(long maxBytes) {
    // maintenance (eviction) on the thread that writes, not handed to the common pool: a swap per compared exchange
    // would otherwise wake a pool thread again and again for a few microseconds of work each time
    this.recent = Caffeine.newBuilder().maximumWeight(maxBytes).executor(Runnable::run)
        .weigher((String key, Answer a) -> 256 + 2 * key.length() + a.response().body().length).build();
  }

  /**
   * The previous OLD answer to the same request (or {@code null}), keeping this one in its place; always
   * {@code null} for an answer that varies on {@code *}.
   */
  public Answer swap(String endpoint, RecordedRequest request, RecordedResponse old, long writeSequence) {
    String key = RequestIdentity.of(endpoint, request, old.headers());
    return key == null ? null : recent.asMap().put(key, new Answer(old, writeSequence));
  }

  /** Forgets every answer kept. */
  public void clear() {
    recent.invalidateAll();
  }

  /**
   * Whether two answers of OLD to one request are the same kind of answer, so that what differs between them may
   * be noise: the same status and the same media type (type and subtype). A 304 and a 200, a 206 and a 200, or an HTML error page and
   * a JSON body differ in everything by design and teach nothing about each other's headers or bodies.
   */
  public static boolean sameKind(RecordedResponse a, RecordedResponse b) {
    MediaType x = mediaType(a);
    MediaType y = mediaType(b);
    // type and subtype only: a multipart boundary or a charset spelling is not another kind of answer
    return a.status() == b.status() && x.type().equals(y.type()) && x.subtype().equals(y.subtype());
  }

  private static MediaType mediaType(RecordedResponse r) {
    String ct = r.headers().get("content-type");
    return ct == null ? MediaType.UNKNOWN : MediaType.parse(ct);
  }
}
