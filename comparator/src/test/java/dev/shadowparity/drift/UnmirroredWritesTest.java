package dev.shadowparity.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class UnmirroredWritesTest {

  private final UnmirroredWrites writes = new UnmirroredWrites(100, Clock.systemUTC());

  @Test
  void aWriteExplainsReadsOfItsPath_andAbove_andBelowUnlessAPost() {
    writes.remember("PUT", "/api/users/7?notify=1", 200, null);
    assertThat(writes.explain("GET", "/api/users/7", false, Long.MAX_VALUE)).isNotNull().satisfies(w -> {
      assertThat(w.method()).isEqualTo("PUT");
      assertThat(w.path()).isEqualTo("/api/users/7");
      assertThat(w.status()).isEqualTo(200);
    });
    assertThat(writes.explain("GET", "/api/users/7/", false, Long.MAX_VALUE)).as("a trailing slash is the same path").isNotNull();
    assertThat(writes.explain("GET", "/api/users?page=2", false, Long.MAX_VALUE)).as("the list holds it").isNotNull();
    assertThat(writes.explain("GET", "/api/users/7/posts", false, Long.MAX_VALUE)).as("below a PUT").isNotNull();
    assertThat(writes.explain("GET", "/api/users/8", false, Long.MAX_VALUE)).as("a sibling").isNull();
    assertThat(writes.explain("GET", "/api/orders", false, Long.MAX_VALUE)).isNull();
    assertThat(writes.explain("POST", "/api/users/7", false, Long.MAX_VALUE)).as("only reads are explained").isNull();
  }

  @Test
  void aPostToACollection_explainsAMemberOnlyWhenTheStatusesDiffer_andNeverChangesTheOthers() {
    writes.remember("POST", "/api/orders", 201, null);
    assertThat(writes.explain("GET", "/api/orders", false, Long.MAX_VALUE)).isNotNull();
    assertThat(writes.explain("GET", "/api/orders/43", true, Long.MAX_VALUE)).as("OLD 200, NEW 404: created on OLD only").isNotNull();
    assertThat(writes.explain("GET", "/api/orders/42", false, Long.MAX_VALUE)).isNull();
    assertThat(writes.changed("GET", "/api/orders/42")).isNull();
    assertThat(writes.changed("GET", "/api/orders")).isNotNull();
  }

  @Test
  void refusedWrites_reads_andTheRoot_explainNothingElse() {
    writes.remember("DELETE", "/api/users/7", 403, null);
    writes.remember("GET", "/api/users/9", 200, null);
    assertThat(writes.explain("GET", "/api/users/7", true, Long.MAX_VALUE)).isNull();
    assertThat(writes.explain("GET", "/api/users/9", true, Long.MAX_VALUE)).isNull();
    writes.remember("POST", "/", 200, null);
    assertThat(writes.explain("GET", "/anything", true, Long.MAX_VALUE)).isNull();
    assertThat(writes.explain("GET", "/", false, Long.MAX_VALUE)).isNotNull();
  }

  @Test
  void theLatestWriteWins_andSequencesOrderThem() {
    long before = writes.sequence();
    writes.remember("PUT", "/a/1", 200, null);
    writes.remember("DELETE", "/a/1", 204, null);
    UnmirroredWrites.Write w = writes.explain("GET", "/a/1", false, Long.MAX_VALUE);
    assertThat(w.method()).isEqualTo("DELETE");
    assertThat(w.seq()).isGreaterThan(before).isEqualTo(writes.sequence());
    writes.reset();
    assertThat(writes.explain("GET", "/a/1", false, Long.MAX_VALUE)).isNull();
  }

  @Test
  void bounded() {
    UnmirroredWrites small = new UnmirroredWrites(10, Clock.systemUTC());
    for (int i = 0; i < 10_000; i++) {
      small.remember("PUT", "/x/" + i, 200, null);
    }
    assertThat(small.size()).isLessThanOrEqualTo(20); // evicts what is over the bound before counting what is left
    long kept = 0;
    for (int i = 0; i < 10_000; i++) {
      kept += small.explain("GET", "/x/" + i, false, Long.MAX_VALUE) == null ? 0 : 1;
    }
    assertThat(small.size()).isLessThanOrEqualTo(20);
    assertThat(kept).isLessThanOrEqualTo(10);
    small.remember("PUT", "/" + "deep/".repeat(500) + "x", 200, null);
    assertThat(small.size()).isLessThanOrEqualTo(20);
  }
}
