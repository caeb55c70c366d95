package dev.shadowparity.replay;

import java.util.Locale;

/** The capture file formats replay reads. */
public enum CaptureFormat {
  /** The tap's own NDJSON capture ({@code docs/capture-format.md}). */
  TAP,
  /** HAR 1.2 as browsers, mitmproxy and Charles save it. */
  HAR,
  /** GoReplay's {@code .gor} file output. */
  GOR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format named {@code name} (tap, ndjson, har, gor), or an exception listing the names. */
  public static CaptureFormat fromName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "tap", "ndjson", "jsonl" -> TAP;
      case "har" -> HAR;
      case "gor", "goreplay" -> GOR;
      default -> throw new IllegalArgumentException("unknown format '" + name + "' (expected tap, har or gor)");
    };
  }
}
