package dev.shadowparity.engine;

import dev.shadowparity.engine.impl.CauseRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives each difference its likely {@link Cause} when a strict rule fits, and none otherwise: unclassified is
 * fine, a wrong class is not. The rules are listed with their exact conditions in {@code docs/architecture.md}.
 *
 * <p>Runs only on differences that exist: {@link #classify(Comparison, Context)} returns a match as it is,
 * without looking at it. Stateless and thread-safe. The public face of {@code impl.CauseRules}, as
 * {@link ResponseComparator#create} is of its implementation: the API package's only uses of {@code impl}.
 */
public final class DifferenceClassifier {

  private DifferenceClassifier() {}

  /**
   * What a rule may look at besides the difference itself.
   *
   * @param oldStatus   OLD's HTTP status
   * @param newStatus   NEW's HTTP status
   * @param credentials whether the request carried an {@code Authorization} header or a cookie
   * @param oldBody     OLD's decoded body (its kind, JSON tree or text), {@code null} when unknown
   * @param newBody     NEW's decoded body, {@code null} when unknown
   */
  public record Context(int oldStatus, int newStatus, boolean credentials, DecodedBody oldBody, DecodedBody newBody) {

    /** A context with statuses only: no credentials, bodies unknown (rules then read the rendered values). */
    public static Context of(int oldStatus, int newStatus) {
      return new Context(oldStatus, newStatus, false, null, null);
    }

    /** The context of a compared exchange; {@code request} may be {@code null} (e.g. two saved responses). */
    public static Context of(RecordedRequest request, RecordedResponse oldResponse, RecordedResponse newResponse,
        Comparison comparison) {
      return new Context(oldResponse.status(), newResponse.status(), request != null && carriesCredentials(request),
          comparison.oldBody(), comparison.newBody());
    }

    public Context withCredentials(boolean credentials) {
      return new Context(oldStatus, newStatus, credentials, oldBody, newBody);
    }

    public Context withBodies(DecodedBody oldBody, DecodedBody newBody) {
      return new Context(oldStatus, newStatus, credentials, oldBody, newBody);
    }
  }

  /** Whether a request carries credentials: a non-empty {@code Authorization} header, or a cookie ({@code name=value}). */
  public static boolean carriesCredentials(RecordedRequest request) {
    String auth = request.headers().get("authorization");
    if (auth != null && !auth.isBlank()) {
      return true;
    }
    for (String cookie : request.headers().getAll("cookie")) {
      int eq = cookie.indexOf('=');
      if (eq > 0 && !cookie.substring(0, eq).isBlank()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The likely cause of one difference, or {@code null} when no rule fits or a rule fails on it: a cause is an
   * explanation, and failing to find one never takes the difference away.
   */
  public static Cause classify(Difference difference, Context context) {
    try {
      return CauseRules.classify(difference, context);
    } catch (RuntimeException | StackOverflowError e) {
      org.slf4j.LoggerFactory.getLogger(DifferenceClassifier.class)
          .debug("no likely cause for {}: {}", difference.field(), e.toString());
      return null;
    }
  }

  /** The comparison with a cause on every difference a rule fits; a match is returned as it is. */
  public static Comparison classify(Comparison comparison, Context context) {
    if (comparison.match()) {
      return comparison;
    }
    List<Difference> classified = new ArrayList<>(comparison.differences().size());
    boolean changed = false;
    for (Difference d : comparison.differences()) {
      Difference c = d.withCause(classify(d, context));
      changed |= c != d;
      classified.add(c);
    }
    return changed ? comparison.withDifferences(classified)
        : comparison;
  }
}
