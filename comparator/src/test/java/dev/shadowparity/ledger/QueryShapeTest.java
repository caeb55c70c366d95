package dev.shadowparity.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryShapeTest {

  @Test
  void sortedDistinctNames_neverValues() {
    assertThat(QueryShape.of("/posts")).isEmpty();
    assertThat(QueryShape.of("/posts?")).isEmpty();
    assertThat(QueryShape.of("/posts?_sort=id&_order=desc")).isEqualTo("?_order&_sort");
    assertThat(QueryShape.of("/posts?q=secret-term")).isEqualTo("?q");
    assertThat(QueryShape.of("/posts?tag=a&tag=b&flag")).isEqualTo("?flag&tag");
    assertThat(QueryShape.of("/posts?na%6De=x#frag")).isEqualTo("?name");
    assertThat(QueryShape.of("/posts?%zz=1")).isEqualTo("?{value}");
    assertThat(QueryShape.of("/posts?filter[status]=a&page.size=2")).isEqualTo("?filter[status]&page.size");
  }

  @Test
  void namesThatLookLikeValues_areNotShown() {
    assertThat(QueryShape.of("/x?AKIAIOSFODNN7EXAMPLE1234")).isEqualTo("?{id}");
    assertThat(QueryShape.of("/x?" + "a".repeat(100) + "=1")).isEqualTo("?{long}");
    assertThat(QueryShape.of("/x?a%0Ab=1")).isEqualTo("?{value}");
    assertThat(QueryShape.of("/x?john.doe@example.com")).isEqualTo("?{value}");
    assertThat(QueryShape.of("/x?api_key%3Dhunter2")).isEqualTo("?{value}");
  }
}
