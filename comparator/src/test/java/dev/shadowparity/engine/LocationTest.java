package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocationTest {

  @Test
  void everyKindOfDifference_hasItsTypedLocation() {
    assertThat(new Difference("status", "", DiffKind.VALUE, "200", "500").location()).isEqualTo(new Location.Status());
    assertThat(new Difference("header:set-cookie", "sid", DiffKind.VALUE, "a", "b").location())
        .isEqualTo(new Location.Header("set-cookie"));
    assertThat(new Difference("body", "", DiffKind.UNDECODABLE, "x", "y").location()).isEqualTo(new Location.Body());
    assertThat(new Difference("body", "line 3", DiffKind.VALUE, "a", "b").location()).isEqualTo(new Location.TextLines("line 3"));
    assertThat(new Difference("/items/*/price", "/items/3/price", DiffKind.VALUE, "1", "2").location())
        .isEqualTo(new Location.Pointer("/items/3/price"));
  }
}
