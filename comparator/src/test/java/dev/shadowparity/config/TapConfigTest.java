package dev.shadowparity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TapConfigTest {

  @Test
  void defaults() {
    TapConfig t = ConfigLoader.parseTap("", "t.yaml");
    assertThat(t.listen()).isEqualTo("127.0.0.1:8080");
    assertThat(t.admin()).isEqualTo("127.0.0.1:9090");
    assertThat(t.sampleRate()).isEqualTo(1.0);
    assertThat(t.mirrorMethods()).containsExactly("GET", "HEAD", "OPTIONS");
    assertThat(t.timeouts().newTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.capture().file()).isNull();
    assertThat(t.hostHeader()).isEqualTo("client");
  }

  @Test
  void sameFileServesEngineAndTap() {
    String yaml = """
        listen: 0.0.0.0:8000
        old: http://127.0.0.1:8001
        new: http://127.0.0.1:8002
        sample-rate: 0.25
        sticky: cookie:sessionid
        mirror-methods: [get, head]
        timeouts: {new: 750ms, old: 30s, connect: 2s}
        capture: {file: /tmp/cap.ndjson, max-bytes: 1000, keep: 2}
        rules: {ignore: [/ts]}
        endpoints:
          "POST /api/search": {mirror-methods: [POST], sample-rate: 0.5, ignore: [/took]}
        limits: {request-body-bytes: 2048, compare-threads: 3}
        """;
    TapConfig t = ConfigLoader.parseTap(yaml, "t.yaml");
    ParityConfig p = ConfigLoader.parse(yaml, "t.yaml");
    assertThat(t.listen()).isEqualTo("0.0.0.0:8000");
    assertThat(t.neu()).isEqualTo("http://127.0.0.1:8002");
    assertThat(t.sampleRate()).isEqualTo(0.25);
    assertThat(t.sticky()).isEqualTo("cookie:sessionid");
    assertThat(t.mirrorMethods()).containsExactly("GET", "HEAD");
    assertThat(t.timeouts().newTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(t.capture().maxBytes()).isEqualTo(1000);
    assertThat(p.endpoints().get("POST /api/search").mirrorMethods()).containsExactly("POST");
    assertThat(p.endpoints().get("POST /api/search").sampleRate()).isEqualTo(0.5);
    assertThat(p.limits().requestBodyBytes()).isEqualTo(2048);
    assertThat(p.limits().compareThreads()).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "listen: 127.0.0.1:x|t.yaml:1:1: listen: 'x' is not a port number",
      "old: ftp://h/x|t.yaml:1:1: old: 'ftp://h/x' must be an http:// or https:// URL",
      "sample-rate: 2|t.yaml:1:1: sample-rate: must be between 0 and 1",
      "sticky: user|t.yaml:1:1: sticky: 'user' must be header:NAME or cookie:NAME",
      "timeouts: {new: 10 seconds}|t.yaml:1:12: timeouts.new: '10 seconds' is not a duration",
      "mirror-methods: [GET, 'P O']|t.yaml:1:23: mirror-methods[1]: 'P O' is not an HTTP method",
      "host-header: both|t.yaml:1:1: host-header: must be client or target",
      "bogus: 1|t.yaml:1:1: bogus: unknown key 'bogus'"})
  void badValuesNamedWithPosition(String yaml, String message) {
    assertThatThrownBy(() -> {
      ConfigLoader.parse(yaml, "t.yaml");
      ConfigLoader.parseTap(yaml, "t.yaml");
    }).isInstanceOf(ConfigException.class).hasMessageContaining(message);
  }

  @Test
  void unknownTopLevelKey_hintListsEngineAndTapKeys() {
    assertThatThrownBy(() -> ConfigLoader.parse("lisen: x", "t.yaml"))
        .hasMessageContaining("known keys here:").hasMessageContaining("listen").hasMessageContaining("rules");
  }

  @Test
  void flagsOverrideFile() {
    TapConfig t = ConfigLoader.parseTap("old: http://a:1\nsample-rate: 0.1\n", "t.yaml")
        .override().old("http://b:2").sampleRate(0.5).captureFile("/tmp/x.ndjson").apply();
    assertThat(t.old()).isEqualTo("http://b:2");
    assertThat(t.sampleRate()).isEqualTo(0.5);
    assertThat(t.capture().file()).isEqualTo("/tmp/x.ndjson");
  }
}
