package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaTypeTest {

  @Test
  void typeSubtypeAndParameters() {
    MediaType m = MediaType.parse("Application/JSON; Charset=\"UTF-8\"; q=1;");
    assertThat(m.type()).isEqualTo("application");
    assertThat(m.subtype()).isEqualTo("json");
    assertThat(m.charset()).isEqualTo("utf-8");
    assertThat(m.parameters()).containsOnlyKeys("charset", "q");
  }

  /** Found by BodyDecoderFuzzTest: a value of only semicolons split into no parts at all and threw. */
  @Test
  void onlySemicolons_orEmptyEssence_isAnUnknownType_notAnException() {
    for (String header : new String[] {";", ";;;;", " ; ; ", ";charset=utf-8", "\u000f\n;;;;t\u009fx"}) {
      MediaType m = MediaType.parse(header);
      assertThat(m.isKnown()).as(header).isFalse();
      assertThat(m.canonical()).as(header).isEqualTo(header.trim().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
