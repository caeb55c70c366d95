package dev.shadowparity.replay;

import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;

/** One thing read from a capture file: a request (with OLD's response when the file holds it), or a problem. */
public sealed interface CaptureItem {

  /** Where in its file the item was found, e.g. {@code line 12} or {@code byte 4096}. */
  String position();

  /**
   * A request to replay.
   *
   * @param request     the request as recorded
   * @param recordedOld OLD's recorded response, or {@code null} when the file holds none for it (or OLD failed)
   * @param epochMillis when the request was recorded, or -1 when unknown
   * @param position    where it was found
   * @param host        the host the request went to, lower case, with its port when the capture names one
   *                    ({@code shop.example}, {@code 127.0.0.1:8001}); {@code null} when the capture does not say
   * @param oldUnrecorded the parts of OLD's recorded answer the recorder left out (a browser keeps no body for
   *                    redirects, cached and some error answers, and only the 304's headers for a revalidation): not
   *                    compared, reported as not recorded, never as empty
   */
  record Captured(RecordedRequest request, RecordedResponse recordedOld, long epochMillis, String position, String host,
      java.util.Set<dev.shadowparity.engine.Unrecorded> oldUnrecorded) implements CaptureItem {

    public Captured {
      oldUnrecorded = oldUnrecorded == null ? java.util.Set.of() : java.util.Set.copyOf(oldUnrecorded);
    }

    /** A request whose host is its {@code Host} header's, and whose recorded answer (if any) is whole. */
    public Captured(RecordedRequest request, RecordedResponse recordedOld, long epochMillis, String position) {
      this(request, recordedOld, epochMillis, position, hostOf(request), java.util.Set.of());
    }

    /** The {@code Host} header, lower case, or {@code null}. */
    static String hostOf(RecordedRequest request) {
      String h = request.headers().get("host");
      return h == null || h.isBlank() ? null : h.trim().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A record that could not be read: reported with its position, counted, and skipped. */
  record Corrupt(String position, String problem) implements CaptureItem {}

  /**
   * A well-formed record that replay does not send, counted by reason: one it cannot send (a {@code data:} URL in a
   * HAR), or a request the browser never completed ({@code not completed: aborted}). Not a problem of the input.
   */
  record Ignored(String position, String reason) implements CaptureItem {}
}
