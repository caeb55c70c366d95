package dev.shadowparity.replay;

import dev.shadowparity.config.LimitsConfig;
import dev.shadowparity.replay.impl.CountingInputStream;
import dev.shadowparity.replay.impl.GorReader;
import dev.shadowparity.replay.impl.HarReader;
import dev.shadowparity.replay.impl.NdjsonReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens capture files: gzip is undone transparently and the format is told from the content. */
public final class CaptureFiles {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureFiles.class);
  private static final int PEEK = 64 * 1024;

  private CaptureFiles() {}

  /**
   * Opens a capture file for streaming, with the default record cap ({@code limits.max-record-bytes}).
   *
   * @param forced the format to assume, or {@code null} to tell it from the first bytes
   * @throws IOException             when the file cannot be opened
   * @throws UnknownFormatException  when the format cannot be told and none was forced
   */
  public static CaptureReader open(Path file, CaptureFormat forced) throws IOException {
    return open(file, forced, LimitsConfig.DEFAULT_MAX_RECORD_BYTES);
  }

  /**
   * Opens a capture file for streaming.
   *
   * @param forced         the format to assume, or {@code null} to tell it from the first bytes
   * @param maxRecordBytes the most bytes of one record (a line, an entry, a payload) held; a larger one is read past
   *                       and comes back as a {@link CaptureItem.Corrupt} with its size ({@code limits.max-record-bytes})
   * @throws IOException             when the file cannot be opened
   * @throws UnknownFormatException  when the format cannot be told and none was forced
   */
  public static CaptureReader open(Path file, CaptureFormat forced, long maxRecordBytes) throws IOException {
    if (maxRecordBytes < 1 || maxRecordBytes > LimitsConfig.MAX_MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("maxRecordBytes must be within 1 and " + LimitsConfig.MAX_MAX_RECORD_BYTES + ": "
          + maxRecordBytes);
    }
    try {
      return openUnnamed(file, forced, (int) maxRecordBytes);
    } catch (UnknownFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
  }

  private static CaptureReader openUnnamed(Path file, CaptureFormat forced, int maxRecord) throws IOException {
    CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
    InputStream in = counted;
    try {
      BufferedInputStream head = new BufferedInputStream(in, 2);
      head.mark(2);
      int b0 = head.read();
      int b1 = head.read();
      head.reset();
      in = head;
      if (b0 == 0x1f && b1 == 0x8b) {
        in = new GZIPInputStream(head, 64 * 1024);
      }
      BufferedInputStream buffered = new BufferedInputStream(in, PEEK);
      CaptureFormat format = forced != null ? forced : detect(buffered, file);
      return switch (format) {
        case TAP -> new NdjsonReader(buffered, counted, maxRecord);
        case HAR -> new HarReader(buffered, counted, maxRecord);
        case GOR -> new GorReader(buffered, counted, maxRecord);
      };
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Tells the format from the first 64 KiB. */
  static CaptureFormat detect(BufferedInputStream in, Path file) throws IOException {
    in.mark(PEEK);
    byte[] buf = new byte[PEEK];
    int n = 0;
    try {
      for (int r; n < PEEK && (r = in.read(buf, n, PEEK - n)) > 0; ) {
        n += r;
      }
    } catch (IOException e) {
      // a truncated or damaged gzip stream: tell the format from what there is; the reader meets the same
      // error again and reports it with its position, after the records before it
      LOG.debug("{}: read error while telling the format: {}", file, e.toString());
    }
    in.reset();
    byte[] peek = Arrays.copyOf(buf, n);
    int i = 0;
    if (peek.length >= 3 && (peek[0] & 0xff) == 0xef && (peek[1] & 0xff) == 0xbb && (peek[2] & 0xff) == 0xbf) {
      i = 3; // UTF-8 byte order mark
    }
    while (i < peek.length && isSpace(peek[i])) {
      i++;
    }
    if (i == peek.length) {
      return CaptureFormat.TAP; // empty: any reader finds no records
    }
    if (peek[i] == '{') {
      int j = i + 1;
      while (j < peek.length && isSpace(peek[j])) {
        j++;
      }
      boolean har = j + 5 <= peek.length && new String(peek, j, 5, StandardCharsets.US_ASCII).equals("\"log\"");
      return har ? CaptureFormat.HAR : CaptureFormat.TAP;
    }
    if (contains(peek, GorReader.SEPARATOR)) {
      return CaptureFormat.GOR;
    }
    if ((peek[i] == '1' || peek[i] == '2' || peek[i] == '3') && i + 2 < peek.length && peek[i + 1] == ' '
        && Character.digit(peek[i + 2], 16) >= 0) {
      return CaptureFormat.GOR;
    }
    int end = Math.min(peek.length, i + 40);
    String start = new String(peek, i, end - i, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?");
    throw new UnknownFormatException(file + ": cannot tell the capture format from its first bytes ('" + start
        + "'); expected the tap's NDJSON, a HAR or a GoReplay .gor file; name it with --format tap|har|gor");
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  /** The file's format could not be told from its content. */
  public static final class UnknownFormatException extends IOException {
    public UnknownFormatException(String message) {
      super(message);
    }
  }
}
