package dev.shadowparity.tap.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.concurrent.ByteBudget;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShadowExchangeTest {

  @Test
  void afterItEnds_copiesStillArrivingAreNeitherKeptNorCounted() {
    ByteBudget budget = new ByteBudget(1_000_000);
    AtomicInteger open = new AtomicInteger();
    ShadowExchange x = new ShadowExchange("GET /a", 1024, 1024 * 1024, open, budget, 0);
    x.appendOld(Buffer.buffer(new byte[1000]));
    assertThat(budget.used()).isEqualTo(1000);
    assertThat(x.finish()).isTrue();
    assertThat(budget.used()).isZero();
    // NEW's answer to the dropped exchange keeps coming: refused, so its call stops and nothing leaks
    assertThat(x.reserve(5000)).isFalse();
    x.appendOld(Buffer.buffer(new byte[1000]));
    assertThat(budget.used()).isZero();
    assertThat(x.finish()).isFalse();
    assertThat(budget.used()).isZero();
  }
}
