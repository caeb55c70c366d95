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
  void clientTimeouts_defaultAsNginx_andConfigurable() {
    TapConfig.TimeoutsConfig d = ConfigLoader.parseTap("", "t.yaml").timeouts();
    assertThat(d.clientHeaderTimeout()).isEqualTo(Duration.ofSeconds(60)); // client_header_timeout
    assertThat(d.clientKeepAliveTimeout()).isEqualTo(Duration.ofSeconds(75)); // keepalive_timeout
    assertThat(d.clientBodyTimeout()).isEqualTo(Duration.ofSeconds(60)); // client_body_timeout
    assertThat(d.clientSendTimeout()).isEqualTo(Duration.ofSeconds(60)); // send_timeout
    assertThat(ConfigLoader.parse("", "t.yaml").limits().maxClientConnections()).as("derived when the tap starts").isNull();

    String yaml = "timeouts: {client-header: 10s, client-keep-alive: 2m, client-body: 500ms, client-send: 30s}\n"
        + "limits: {max-client-connections: 5000}\n";
    TapConfig.TimeoutsConfig t = ConfigLoader.parseTap(yaml, "t.yaml").timeouts();
    assertThat(t.clientHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.clientKeepAliveTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(t.clientBodyTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(t.clientSendTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.oldTimeout()).as("the backends' keep their defaults").isEqualTo(Duration.ofSeconds(60));
    assertThat(ConfigLoader.parse(yaml, "t.yaml").limits().maxClientConnections()).isEqualTo(5000);
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
      "timeouts: {client-header: 0s}|t.yaml:1:12: timeouts.client-header: '0s' must be more than zero",
      "timeouts: {client-keep-alive: soon}|t.yaml:1:12: timeouts.client-keep-alive: 'soon' is not a duration",
      "timeouts: {client-body: -5s}|t.yaml:1:12: timeouts.client-body: '-5s' must be more than zero",
      "timeouts: {client-send: 0ms}|t.yaml:1:12: timeouts.client-send: '0ms' must be more than zero",
      "timeouts: {client-timeout: 5s}|t.yaml:1:12: timeouts.client-timeout: unknown key 'client-timeout'",
      "limits: {max-client-connections: 0}|t.yaml:1:10: limits.max-client-connections: must be positive, got 0",
      "limits: {max-client-connections: lots}|t.yaml:1:10: limits.max-client-connections: 'lots' is not a valid whole number",
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
