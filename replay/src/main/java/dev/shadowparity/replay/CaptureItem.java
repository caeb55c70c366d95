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
   */
  record Captured(RecordedRequest request, RecordedResponse recordedOld, long epochMillis, String position)
      implements CaptureItem {}

  /** A record that could not be read: reported with its position, counted, and skipped. */
  record Corrupt(String position, String problem) implements CaptureItem {}

  /** A well-formed record that replay cannot send (e.g. a {@code data:} URL in a HAR), counted by reason. */
  record Ignored(String position, String reason) implements CaptureItem {}
}
