package dev.shadowparity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shadowparity.http.BackendProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code protocol:} key: one value for every backend, or one per backend; strict errors that name the key. */
class TapHttp2ConfigTest {

  @Test
  void http11ByDefault_forEveryBackend() {
    TapConfig.ProtocolConfig p = ConfigLoader.parseTap("", "t.yaml").protocol();
    assertThat(p.forOld()).isEqualTo(BackendProtocol.HTTP_1_1);
    assertThat(p.forNew()).isEqualTo(BackendProtocol.HTTP_1_1);
    assertThat(p.forOldSecondary()).isEqualTo(BackendProtocol.HTTP_1_1);
  }

  @Test
  void oneValue_setsEveryBackend() {
    TapConfig.ProtocolConfig p = ConfigLoader.parseTap("old: http://o:1\nprotocol: H2C\n", "t.yaml").protocol();
    assertThat(p.forOld()).isEqualTo(BackendProtocol.H2C);
    assertThat(p.forNew()).isEqualTo(BackendProtocol.H2C);
    assertThat(p.forOldSecondary()).isEqualTo(BackendProtocol.H2C);
  }

  @Test
  void perBackend_inTheShapeOfTheTlsBlock_othersStayHttp11() {
    TapConfig.ProtocolConfig p = ConfigLoader.parseTap(
        "old: https://o:443\nnew: http://n:80\nprotocol: {old: h2, new: h2c, old-secondary: auto}\n", "t.yaml").protocol();
    assertThat(p.forOld()).isEqualTo(BackendProtocol.H2);
    assertThat(p.forNew()).isEqualTo(BackendProtocol.H2C);
    assertThat(p.forOldSecondary()).isEqualTo(BackendProtocol.AUTO);
    assertThat(ConfigLoader.parseTap("protocol:\n  new: auto\n", "t.yaml").protocol().forOld())
        .isEqualTo(BackendProtocol.HTTP_1_1);
  }

  @Test
  void aProtocolTheBackendsSchemeCannotCarry_isNamedAtItsKey() {
    assertThatThrownBy(() -> ConfigLoader.parseTap("old: https://old.internal\nprotocol:\n  old: h2c\n", "parity.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("parity.yaml:3:3: protocol.old: h2c is HTTP/2 without TLS, but the backend is https:// (use h2 or auto)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "protocol: h3|t.yaml:1:1: protocol: 'h3' is not a backend protocol: write h2, h2c, http/1.1 or auto",
      "protocol: {new: spdy}|t.yaml:1:12: protocol.new: 'spdy' is not a backend protocol",
      "protocol: {neu: h2c}|protocol.neu: unknown key 'neu' (known keys here: new, old, old-secondary)",
      "protocol: [h2c]|protocol: ",
      "{old: 'https://o:443', protocol: {old: h2c}}|protocol.old: h2c is HTTP/2 without TLS, but the backend is https://",
      "{new: 'http://n:80', protocol: h2}|protocol.new: h2 is HTTP/2 negotiated in TLS, but the backend is http://"})
  void badValues_nameTheKey(String yaml, String message) {
    assertThatThrownBy(() -> ConfigLoader.parseTap(yaml, "t.yaml")).isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
