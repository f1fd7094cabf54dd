package io.raftswarm.common.fabric;

import static io.raftswarm.common.fabric.OrdererMemory.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrdererMemoryTest {

  @Test
  void a_heap_sized_for_a_block_takes_that_block_and_not_a_larger_one() {
    for (long block : new long[] {1, 10 * MIB, 99 * MIB, 512 * MIB, Integer.MAX_VALUE}) {
      OrdererMemory memory = OrdererMemory.forLargestBlock(block);
      assertThat(memory.fits(block)).as("%d bytes", block).isTrue();
      assertThat(memory.heapBytes() % (16 * MIB)).isZero();
      assertThat(memory.fits(memory.largestBlock() + 1)).isFalse();
    }
  }

  @Test
  void the_container_limit_and_the_heap_it_leaves_agree() {
    OrdererMemory sized = OrdererMemory.forLargestBlock(99 * MIB);
    OrdererMemory fromLimit = OrdererMemory.forContainerLimit(sized.containerLimitMiB() * MIB);
    assertThat(fromLimit.heapBytes()).isEqualTo(sized.heapBytes());
    assertThat(fromLimit.fits(99 * MIB)).isTrue();
    assertThat(sized.xmxMiB() * MIB).isEqualTo(sized.heapBytes() + OrdererMemory.SURVIVOR_SPACE);
    assertThat(sized.containerLimitMiB() * MIB).isEqualTo(sized.heapBytes() + OrdererMemory.SURVIVOR_SPACE
        + OrdererMemory.OUTSIDE_HEAP);
  }

  @Test
  void a_heap_below_the_base_takes_no_block() {
    OrdererMemory small = new OrdererMemory(256 * MIB);
    assertThat(small.largestBlock()).isZero();
    assertThat(small.fits(1)).isFalse();
    assertThat(OrdererMemory.explain(99 * MIB)).isEqualTo("AbsoluteMaxBytes 103809024 bytes needs a 688 MiB heap (384 MiB + 3 x AbsoluteMaxBytes)");
  }
}
