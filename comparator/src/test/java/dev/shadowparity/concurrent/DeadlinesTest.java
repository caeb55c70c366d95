package dev.shadowparity.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class DeadlinesTest {

  private static final long MS = 1_000_000L;
  private final List<String> fired = new ArrayList<>();
  private final Deadlines<String> d = new Deadlines<>(100, fired::add);

  @Test
  void firesOnlyWhatIsDue_oldestFirst_andStopsAtTheFirstNotDue() {
    Deadlines.Entry<String> a = d.start(0, "a");
    Deadlines.Entry<String> b = d.start(10 * MS, "b");
    Deadlines.Entry<String> c = d.start(50 * MS, "c");
    assertThat(d.expire(99 * MS)).isZero();
    assertThat(d.expire(110 * MS)).isEqualTo(2);
    assertThat(fired).containsExactly("a", "b");
    assertThat(a.fired()).isTrue();
    assertThat(b.fired()).isTrue();
    assertThat(c.fired()).isFalse();
    assertThat(d.size()).isEqualTo(1);
    assertThat(d.expire(150 * MS)).isEqualTo(1);
    assertThat(fired).containsExactly("a", "b", "c");
    assertThat(d.size()).isZero();
  }

  @Test
  void cancelledDeadlinesNeverFire_fromTheHeadMiddleOrTail() {
    Deadlines.Entry<String> a = d.start(0, "a");
    Deadlines.Entry<String> b = d.start(1 * MS, "b");
    Deadlines.Entry<String> c = d.start(2 * MS, "c");
    Deadlines.Entry<String> e = d.start(3 * MS, "e");
    d.cancel(b);
    d.cancel(a);
    d.cancel(e);
    assertThat(d.size()).isEqualTo(1);
    d.expire(1_000 * MS);
    assertThat(fired).containsExactly("c");
    assertThat(a.fired()).isFalse();
    assertThat(c.fired()).isTrue();
    d.cancel(c); // after it fired: nothing
    d.cancel(a); // twice: nothing
    assertThat(d.size()).isZero();
    d.start(2_000 * MS, "f");
    assertThat(d.expire(2_100 * MS)).isEqualTo(1);
    assertThat(fired).containsExactly("c", "f");
  }

  @Test
  void anExpiryHandlerMayCancelOthersAndStartNewOnes() {
    List<Deadlines.Entry<String>> entries = new ArrayList<>();
    Deadlines<String>[] self = new Deadlines[1];
    self[0] = new Deadlines<>(10, v -> {
      fired.add(v);
      if (v.equals("a")) {
        self[0].cancel(entries.get(1)); // b, due at the same time, is ended by a's expiry
        entries.add(self[0].start(10 * MS, "restarted"));
      }
    });
    entries.add(self[0].start(0, "a"));
    entries.add(self[0].start(0, "b"));
    entries.add(self[0].start(0, "c"));
    assertThat(self[0].expire(10 * MS)).isEqualTo(2);
    assertThat(fired).containsExactly("a", "c");
    assertThat(self[0].size()).isEqualTo(1);
    assertThat(self[0].expire(20 * MS)).isEqualTo(1);
    assertThat(fired).containsExactly("a", "c", "restarted");
  }

  @Test
  void nanoTimeWrapsAround() {
    long start = Long.MAX_VALUE - 50 * MS;
    d.start(start, "w");
    assertThat(d.expire(start + 99 * MS)).isZero();
    assertThat(d.expire(start + 100 * MS)).isEqualTo(1);
  }

  @Test
  void tickIsATwentiethOfTheLength_between1And100Ms() {
    assertThat(Deadlines.tickMillis(30_000)).isEqualTo(100);
    assertThat(Deadlines.tickMillis(300)).isEqualTo(15);
    assertThat(Deadlines.tickMillis(5)).isEqualTo(1);
    assertThatThrownBy(() -> new Deadlines<String>(0, v -> { })).isInstanceOf(IllegalArgumentException.class);
  }
}
