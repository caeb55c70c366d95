package dev.shadowparity.redact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.RedactConfig;
import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Difference;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

  private final Redaction r = Redaction.DEFAULT;

  @Test
  void uris_loseUserinfo_secretQueryNamesAndPathParameters_andEncodedCardNumbers() {
    assertThat(r.uri("http://bob:SECRET@x.example:99/a?b=1")).isEqualTo("http://x.example:99/a?b=1");
    assertThat(r.uri("/login?user=ann&pass=hunter2&pwd=x&passphrase=y&auth=z&pin=1234"))
        .isEqualTo("/login?user=ann&pass=[redacted]&pwd=[redacted]&passphrase=[redacted]&auth=[redacted]&pin=[redacted]");
    assertThat(r.uri("/pay?card=4111%201111%201111%201111&n=2")).isEqualTo("/pay?card=[redacted]&n=2");
    assertThat(r.uri("/pay?card=4111+1111+1111+1111")).isEqualTo("/pay?card=[redacted]");
    assertThat(r.uri("/pay?pass%77ord=x")).isEqualTo("/pay?pass%77ord=[redacted]");
    assertThat(r.uri("/cart;jsessionid=A1B2C3/items?x=1")).isEqualTo("/cart;jsessionid=[redacted]/items?x=1");
    assertThat(r.uri("/cart;v=2/items")).isEqualTo("/cart;v=2/items");
    assertThat(r.uri("/id/4111111111111111")).doesNotContain("4111111111111111");
  }

  @Test
  void secretPathSegments_areMaskedWhenConfigured() {
    Redaction withSegments = Redaction.of(new RedactConfig(null, null, null, List.of("[A-Za-z0-9_-]{32,}")));
    assertThat(withSegments.uri("/reset/AbCdEfGhIjKlMnOpQrStUvWxYz012345/confirm?x=1"))
        .isEqualTo("/reset/[redacted]/confirm?x=1");
    assertThat(withSegments.uri("/reset/short/confirm")).isEqualTo("/reset/short/confirm");
    assertThat(r.uri("/reset/AbCdEfGhIjKlMnOpQrStUvWxYz012345")).as("opt-in").contains("AbCdEf");
  }

  @Test
  void secretFieldNames_matchBySuffixIgnoringCaseAndSeparators() {
    assertThat(r.isSecretField("password")).isTrue();
    assertThat(r.isSecretField("new_password")).isTrue();
    assertThat(r.isSecretField("csrf-token")).isTrue();
    assertThat(r.isSecretField("accessToken")).isTrue();
    assertThat(r.isSecretField("API_KEY")).isTrue();
    assertThat(r.isSecretField("card_number")).isTrue();
    assertThat(r.isSecretField("tokens")).isFalse();
    assertThat(r.isSecretField("tokenCount")).isFalse();
    assertThat(r.isSecretField("name")).isFalse();
    assertThat(r.isSecretField("")).isFalse();
    assertThat(r.isSecretField("__")).isFalse();
  }

  @Test
  void json_isRewrittenInPlace_keepingEverythingButTheSecretValues() {
    String body = "{\n  \"user\": {\"name\": \"Zoë\", \"password\": \"hunter2\", \"score\": 1.50},\n"
        + "  \"tokens\": [\"a\", \"b\"],\n  \"session_id\": 12345,\n  \"auth\": {\"refresh_token\": {\"v\": \"r1\", \"exp\": 9}},\n"
        + "  \"apiKey\": [\"k1\", \"k2\"], \"ok\": true, \"n\": null}";
    assertThat(r.body(body)).isEqualTo("{\n  \"user\": {\"name\": \"Zoë\", \"password\": \"[redacted]\", \"score\": 1.50},\n"
        + "  \"tokens\": [\"a\", \"b\"],\n  \"session_id\": \"[redacted]\",\n  \"auth\": \"[redacted]\",\n"
        + "  \"apiKey\": \"[redacted]\", \"ok\": true, \"n\": null}");
  }

  @Test
  void json_secretAsLastValueAndInArraysOfObjects() {
    assertThat(r.body("[{\"id\":1,\"token\":\"t1\"},{\"id\":2,\"token\":\"t2\"}]"))
        .isEqualTo("[{\"id\":1,\"token\":\"[redacted]\"},{\"id\":2,\"token\":\"[redacted]\"}]");
    assertThat(r.body("{\"password\":false}")).isEqualTo("{\"password\":\"[redacted]\"}");
    assertThat(r.body("{\"a\":\"esc\\\"aped\",\"secret\":\"x\\\"y\"}")).isEqualTo("{\"a\":\"esc\\\"aped\",\"secret\":\"[redacted]\"}");
  }

  @Test
  void json_withoutSecrets_isReturnedUnchanged() {
    String body = "{\"b\": 1e3, \"a\": [1, 2.50, \"x\"]}";
    assertThat(r.body(body)).isSameAs(body);
  }

  @Test
  void cardNumbers_maskedWhenLuhnValid_inJsonStringsAndText() {
    assertThat(r.body("{\"pan\":\"4111 1111 1111 1111\",\"ref\":\"4111 1111 1111 1112\"}"))
        .isEqualTo("{\"pan\":\"[redacted]\",\"ref\":\"4111 1111 1111 1112\"}");
    assertThat(r.body("{\"note\":\"paid with 5555-5555-5555-4444 today\"}"))
        .isEqualTo("{\"note\":\"paid with [redacted] today\"}");
    assertThat(r.body("Card: 378282246310005.")).isEqualTo("Card: [redacted].");
    // epoch milliseconds and other ids starting with 1 are not card-like
    assertThat(r.body("at 1700000000000 id 1234567812345670")).isEqualTo("at 1700000000000 id 1234567812345670");
    // JSON numbers are left alone (ids, timestamps); card numbers travel as strings
    assertThat(r.body("{\"n\":4111111111111111}")).isEqualTo("{\"n\":4111111111111111}");
  }

  @Test
  void cardNumbers_canBeTurnedOff() {
    Redaction off = Redaction.of(new RedactConfig(null, null, false));
    assertThat(off.body("{\"pan\":\"4111111111111111\"}")).isEqualTo("{\"pan\":\"4111111111111111\"}");
  }

  @Test
  void formBodies_queryStrings_andTextThatIsNotJson() {
    assertThat(r.body("user=ann&password=hunter%202&next=%2Fhome")).isEqualTo("user=ann&password=[redacted]&next=%2Fhome");
    assertThat(r.uri("/login?user=ann&access_token=abc.def&page=2")).isEqualTo("/login?user=ann&access_token=[redacted]&page=2");
    assertThat(r.uri("/plain/path")).isEqualTo("/plain/path");
    // truncated JSON: the text rules still find the pairs
    assertThat(r.body("{\"user\":\"ann\",\"password\":\"hunt")).isEqualTo("{\"user\":\"ann\",\"password\":\"[redacted]\"");
    assertThat(r.body("<script>var cfg = {\"apiKey\": \"k-123\", \"n\": 1};</script>"))
        .isEqualTo("<script>var cfg = {\"apiKey\": \"[redacted]\", \"n\": 1};</script>");
    // a word that only contains a secret name is not a key
    assertThat(r.body("mytokenizer=on")).isEqualTo("mytokenizer=on");
  }

  @Test
  void configuredFieldsAndHeaders_addToTheDefaults() {
    RedactConfig config = ConfigLoader.parse("redact:\n  headers: [X-Api-Key]\n  fields: [pin_code, email]\n", "t.yaml").redact();
    Redaction custom = Redaction.of(config);
    assertThat(custom.body("{\"email\":\"a@b.c\",\"pinCode\":\"1234\",\"password\":\"p\",\"name\":\"n\"}"))
        .isEqualTo("{\"email\":\"[redacted]\",\"pinCode\":\"[redacted]\",\"password\":\"[redacted]\",\"name\":\"n\"}");
    assertThat(custom.value("x-api-key", "k")).isEqualTo("[redacted]");
    assertThat(Redaction.DEFAULT.value("x-api-key", "k")).isEqualTo("k");
    assertThat(custom.value("Cookie", "sid=1; theme=dark")).isEqualTo("sid=[redacted]; theme=[redacted]");
    assertThat(custom.value("Set-Cookie", "sid=1; Path=/; HttpOnly")).isEqualTo("sid=[redacted]; Path=/; HttpOnly");
  }

  @Test
  void differences_atSecretPlaces_keepTheirFieldButLoseTheirValues() {
    Difference atPointer = new Difference("/user/password", "/user/password", DiffKind.VALUE, "\"old-pw\"", "\"new-pw\"");
    assertThat(r.difference(atPointer)).isEqualTo(
        new Difference("/user/password", "/user/password", DiffKind.VALUE, "[redacted]", "[redacted]"));
    Difference below = new Difference("/auth/token/exp", "/auth/token/exp", DiffKind.VALUE, "1", "2");
    assertThat(r.difference(below).oldValue()).isEqualTo("[redacted]");
    Difference missing = new Difference("/items/*/secret", "/items/0/secret", DiffKind.MISSING, "\"s\"", null);
    assertThat(r.difference(missing).newValue()).isNull();
    assertThat(r.difference(missing).oldValue()).isEqualTo("[redacted]");

    Difference header = new Difference("header:authorization", "authorization", DiffKind.VALUE, "Bearer a", "Bearer b");
    assertThat(r.difference(header).oldValue()).isEqualTo("[redacted]");
    Difference cookie = new Difference("header:set-cookie", "sid", DiffKind.VALUE, "sid=abc; Path=/", "sid=def; Path=/; Secure");
    assertThat(r.difference(cookie).oldValue()).isEqualTo("sid=[redacted]; Path=/");
    assertThat(r.difference(cookie).newValue()).isEqualTo("sid=[redacted]; Path=/; Secure");

    Difference object = new Difference("/user", "/user", DiffKind.TYPE, "{\"password\":\"p\",\"id\":1}", "null");
    assertThat(r.difference(object).oldValue()).isEqualTo("{\"password\":\"[redacted]\",\"id\":1}");
    Difference card = new Difference("/pan", "/pan", DiffKind.VALUE, "\"4111111111111111\"", "\"4111-1111-1111-1111\"");
    assertThat(r.difference(card).oldValue()).isEqualTo("\"[redacted]\"");
    assertThat(r.difference(card).newValue()).isEqualTo("\"[redacted]\"");
    Difference text = new Difference("body", "", DiffKind.VALUE, null, null, "-password=a\n+password=b");
    assertThat(r.difference(text).detail()).isEqualTo("-password=[redacted]\n+password=[redacted]");

    Difference plain = new Difference("/price", "/price", DiffKind.VALUE, "937", "937.5");
    assertThat(r.difference(plain)).isSameAs(plain);
    assertThat(r.differences(List.of(plain, atPointer))).extracting(Difference::oldValue).containsExactly("937", "[redacted]");
  }

  @Test
  void luhn() {
    assertThat(CardNumbers.luhn("4111111111111111")).isTrue();
    assertThat(CardNumbers.luhn("4111 1111 1111 1111")).isTrue();
    assertThat(CardNumbers.luhn("4111111111111112")).isFalse();
    assertThat(CardNumbers.luhn("0")).isFalse();
  }

  @Test
  void longValuesInTextThatIsNotJson_doNotOverflowTheStack() throws Exception {
    String body = "{\"note\": \"" + "a".repeat(200_000) + "\", \"password\": \"p\", \"v\": NaN}";
    String[] out = new String[1];
    // a thread with a small stack, as a pool thread may have
    Thread t = new Thread(null, () -> out[0] = r.body(body), "small-stack", 256 * 1024);
    t.start();
    t.join();
    assertThat(out[0]).endsWith("\", \"password\": \"[redacted]\", \"v\": NaN}").hasSize(body.length() + 9);
    String escapes = "{\"s\": \"" + "\\\"".repeat(200_000) + "\", \"x\": NaN}";
    Thread t2 = new Thread(null, () -> out[0] = r.body(escapes), "small-stack-2", 256 * 1024);
    t2.start();
    t2.join();
    assertThat(out[0]).isIn(escapes, "[redacted: could not be checked for secrets]");
  }

  @Test
  void cardNextToOtherDigitGroups_isStillFound() {
    assertThat(r.body("card 4111 1111 1111 1111 123 exp")).isEqualTo("card [redacted] 123 exp");
    assertThat(r.body("qty 5 4111111111111111")).isEqualTo("qty 5 [redacted]");
    assertThat(r.body("4111111111111111 12-26")).isEqualTo("[redacted] 12-26");
    assertThat(r.body("ids 1234 5678 9012 3456 7890")).isEqualTo("ids 1234 5678 9012 3456 7890");
  }

  @Test
  void headersCarryingUrls_loseTheirSecretParameters() {
    assertThat(r.value("Location", "/cb?code=1&access_token=abc")).isEqualTo("/cb?code=1&access_token=[redacted]");
    assertThat(r.value("Content-Type", "text/html; charset=utf-8")).isEqualTo("text/html; charset=utf-8");
  }

  @Test
  void quotedParameters_arraysInText_andSecretsInsideJsonStrings() {
    assertThat(r.body("<input name=x password=\"hunter2\">")).isEqualTo("<input name=x password=[redacted]>");
    assertThat(r.body("{\"password\": [\"a\", \"b\"], \"x\": NaN}")).isEqualTo("{\"password\": \"[redacted]\", \"x\": NaN}");
    assertThat(r.body("{\"payload\":\"{\\\"password\\\":\\\"hunter2\\\"}\",\"q\":\"a=1&token=t\"}"))
        .isEqualTo("{\"payload\":\"{\\\"password\\\":\\\"[redacted]\\\"}\",\"q\":\"a=1&token=[redacted]\"}");
  }

  @Test
  void setCookieDifferences_asTheDifferWritesThem_keepTheirAttributes() {
    Difference d = new Difference("header:set-cookie", "sid", DiffKind.VALUE, "sid; httponly; path=/", "sid; path=/");
    assertThat(r.difference(d)).isEqualTo(d);
  }

  @Test
  void multipartFormFields_byTheirPartName() {
    String body = "--b1\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nann\r\n"
        + "--b1\r\nContent-Disposition: form-data; name=\"password\"\r\nContent-Type: text/plain\r\n\r\nhunter2\r\n--b1--\r\n";
    assertThat(r.body(body)).isEqualTo("--b1\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nann\r\n"
        + "--b1\r\nContent-Disposition: form-data; name=\"password\"\r\nContent-Type: text/plain\r\n\r\n[redacted]\r\n--b1--\r\n");
  }
}
