package dev.shadowparity.tap.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientConnectionsTest {

  private static final long BIG_HEAP = 64L << 30;
  private static final int[] TAP_POOLS = {512, 256};
  private static final int[] WITH_SECONDARY = {512, 256, 256};

  @Test
  void theDefaultCap_leavesTheBackendsAndTheProcessRoomUnderTheOpenFileLimit() {
    // 1,024 open files (a common default): C + min(C, 512) + min(C, 256) + 128 <= 1024
    int c = ClientConnections.defaultMax(1024, TAP_POOLS, BIG_HEAP);
    assertThat(c).isEqualTo(320);
    assertThat(c + Math.min(c, 512) + Math.min(c, 256) + ClientConnections.RESERVED_FILES).isLessThanOrEqualTo(1024);
    assertThat(ClientConnections.defaultMax(1024, WITH_SECONDARY, BIG_HEAP)).as("a secondary OLD's pool too").isEqualTo(224);
    assertThat(ClientConnections.defaultMax(65_536, TAP_POOLS, BIG_HEAP)).isEqualTo(65_536 - 128 - 512 - 256);
  }

  @Test
  void theDefaultCap_isBoundedByTheHeap_andNeverZero() {
    long heap384 = 384L << 20;
    assertThat(ClientConnections.defaultMax(1_048_576, TAP_POOLS, heap384)).isEqualTo((int) (heap384 / (32 * 1024)));
    assertThat(ClientConnections.defaultMax(-1, TAP_POOLS, BIG_HEAP)).as("limit unknown").isEqualTo(10_000);
    assertThat(ClientConnections.defaultMax(-1, TAP_POOLS, heap384)).isEqualTo(10_000);
    assertThat(ClientConnections.defaultMax(-1, TAP_POOLS, 128L << 20)).isEqualTo(4096);
    assertThat(ClientConnections.defaultMax(100, TAP_POOLS, BIG_HEAP)).as("a limit below the reserve").isEqualTo(1);
  }

  @Test
  void theOpenFileLimit_isReadOnThisUnixJvm() {
    assertThat(ClientConnections.openFileLimit()).isPositive();
  }

  @Test
  void theSweepRunsATwentiethOfTheShortestTimeout_between10msAnd1s() {
    assertThat(ClientConnections.tickMillis(60_000)).isEqualTo(1000);
    assertThat(ClientConnections.tickMillis(1_000)).isEqualTo(50);
    assertThat(ClientConnections.tickMillis(50)).isEqualTo(10);
  }
}
