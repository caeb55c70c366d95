package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Byte-identical answers need no decoding to be found equal: the comparison hands on one body, decoded only when asked
 * (issue 22), and the shortcut is taken only when the bytes mean the same on both sides.
 */
class ByteIdenticalTest {

  private final ResponseComparator comparator = ResponseComparator.create();

  private static RecordedResponse json(int status, String type, String body, String... more) {
    Headers.Builder h = Headers.builder().add("Content-Type", type);
    for (int i = 0; i < more.length; i += 2) {
      h.add(more[i], more[i + 1]);
    }
    return new RecordedResponse(status, h.build(), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void identicalAnswers_match_andShareOneBody_decodedOnDemand() {
    String body = "{\"id\":9007199254740993,\"name\":\"Zoë\",\"tags\":[\"a\",\"b\"]}";
    Comparison c = comparator.compare(json(200, "application/json", body), json(200, "application/json", body),
        Rules.defaults());
    assertThat(c.match()).isTrue();
    assertThat(c.oldBody()).isSameAs(c.newBody());
    // asked for, it is the real decoding
    assertThat(c.oldBody().kind()).isEqualTo(BodyKind.JSON);
    assertThat(c.oldBody().json().get("name").asText()).isEqualTo("Zoë");
    assertThat(c.newBody().text()).isEqualTo(body);
  }

  @Test
  void identicalBodies_withAnotherStatusOrHeader_stillShowThat() {
    String body = "{\"a\":1}";
    Comparison c = comparator.compare(json(200, "application/json", body), json(404, "application/json", body,
        "X-Extra", "1"), Rules.defaults());
    assertThat(c.differences()).extracting(Difference::field).containsExactlyInAnyOrder("status", "header:x-extra");
    assertThat(c.oldBody().json().get("a").asInt()).isEqualTo(1); // a sample of it can be made
  }

  @Test
  void theSameBytes_underAnotherTypeOrEncoding_areComparedAsThemselves() {
    String body = "{\"a\":1}";
    // the same bytes said to be text on one side: the Content-Type differs, and the bodies are read each as declared
    Comparison typed = comparator.compare(json(200, "application/json", body), json(200, "text/html", body),
        Rules.defaults());
    assertThat(typed.differences()).extracting(Difference::field).contains("header:content-type");
    assertThat(typed.oldBody()).isNotSameAs(typed.newBody());
    // the same bytes said to be gzip on one side only: that side cannot be decoded, never "equal"
    Comparison encoded = comparator.compare(json(200, "application/json", body),
        json(200, "application/json", body, "Content-Encoding", "gzip"), Rules.defaults());
    assertThat(encoded.match()).isFalse();
  }

  @Test
  void aLazyBody_isDecodedOnce() {
    AtomicInteger decodings = new AtomicInteger();
    DecodedBody lazy = DecodedBody.lazy(() -> {
      decodings.incrementAndGet();
      return DecodedBody.of(BodyKind.TEXT, "x".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, "x", null);
    });
    assertThat(decodings).hasValue(0);
    assertThat(lazy.text()).isEqualTo("x");
    assertThat(lazy.kind()).isEqualTo(BodyKind.TEXT);
    assertThat(lazy.isDecoded()).isTrue();
    assertThat(decodings).hasValue(1);
  }
}
