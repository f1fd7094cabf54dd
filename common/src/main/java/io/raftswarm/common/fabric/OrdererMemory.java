package io.raftswarm.common.fabric;

/**
 * The memory an orderer needs for the largest block its channels allow (BatchSize.AbsoluteMaxBytes),
 * and what a given heap can take. One formula for the renderer, which sizes each orderer
 * container's memory limit and heap cap from it, and for the orderer, which refuses a channel
 * (join or config update) whose blocks would not fit its heap.
 *
 * <p>Why caps at all: with none, seven JVMs on one machine each grew their heaps towards a
 * quarter of its memory and together ran a 24 GB box out of memory (docs/BENCHMARKS.md "10-minute
 * soaks"). Why these numbers: under full load with small blocks an orderer's heap holds a live set
 * of 50-60 MB and its 128 MB young generation ({@link #BASE_HEAP}); outside the heap the JVM took
 * ~190 MB (class-data archive, metaspace, code cache, Netty's pools, malloc; "Memory").
 *
 * @param heapBytes the usable heap: what {@code Runtime.maxMemory()} reports inside the orderer
 */
public record OrdererMemory(long heapBytes) {
  public static final long MIB = 1024 * 1024;
  /** The heap an orderer wants before any large block: 256 MB initial plus room for its old generation. */
  public static final long BASE_HEAP = 384 * MIB;
  /**
   * A block is held up to three times at once on its way through an orderer: the cut envelopes,
   * the serialized block and its Raft entries on the leader; the entries, the joined bytes and the
   * parsed block on a follower.
   */
  public static final int BLOCK_COPIES = 3;
  /**
   * What {@code -Xmx} adds to the usable heap: one survivor space of the images' young generation
   * ({@code -Xmn128m -XX:SurvivorRatio=2}), which {@code Runtime.maxMemory()} leaves out.
   */
  public static final long SURVIVOR_SPACE = 32 * MIB;
  /** Room for the JVM outside the heap (~190 MB measured under full load). */
  public static final long OUTSIDE_HEAP = 256 * MIB;

  public OrdererMemory {
    if (heapBytes <= 0) {
      throw new IllegalArgumentException("heap of " + heapBytes + " bytes");
    }
  }

  /** This JVM's heap, as {@code Runtime.maxMemory()} reports it. */
  public static OrdererMemory ofThisJvm() {
    return new OrdererMemory(Runtime.getRuntime().maxMemory());
  }

  /** Enough for blocks of {@code absoluteMaxBytes}, rounded up to whole 16 MiB. */
  public static OrdererMemory forLargestBlock(long absoluteMaxBytes) {
    long heap = BASE_HEAP + BLOCK_COPIES * Math.max(0, absoluteMaxBytes);
    return new OrdererMemory((heap + 16 * MIB - 1) / (16 * MIB) * (16 * MIB));
  }

  /** What a container memory limit of {@code limitBytes} leaves for the heap (more than {@link #OUTSIDE_HEAP} + {@link #SURVIVOR_SPACE}). */
  public static OrdererMemory forContainerLimit(long limitBytes) {
    return new OrdererMemory(limitBytes - OUTSIDE_HEAP - SURVIVOR_SPACE);
  }

  /** The largest AbsoluteMaxBytes this heap takes (0 below {@link #BASE_HEAP}). */
  public long largestBlock() {
    return Math.max(0, (heapBytes - BASE_HEAP) / BLOCK_COPIES);
  }

  /** Whether blocks of {@code absoluteMaxBytes} fit. */
  public boolean fits(long absoluteMaxBytes) {
    return absoluteMaxBytes <= largestBlock();
  }

  /** The JVM's {@code -Xmx}, in whole MiB. */
  public long xmxMiB() {
    return (heapBytes + SURVIVOR_SPACE + MIB - 1) / MIB;
  }

  /** The container's memory limit, in whole MiB. */
  public long containerLimitMiB() {
    return xmxMiB() + OUTSIDE_HEAP / MIB;
  }

  /** "AbsoluteMaxBytes … needs a 688 MiB heap (…) but this orderer's heap is 416 MiB": why blocks that large do not fit here. */
  public String shortfall(long absoluteMaxBytes) {
    return explain(absoluteMaxBytes) + " but this orderer's heap is " + heapBytes / MIB + " MiB";
  }

  /** "AbsoluteMaxBytes 103809024 bytes needs a 688 MiB heap (384 MiB + 3 x AbsoluteMaxBytes)". */
  public static String explain(long absoluteMaxBytes) {
    return "AbsoluteMaxBytes " + absoluteMaxBytes + " bytes needs a " + forLargestBlock(absoluteMaxBytes).heapBytes() / MIB
        + " MiB heap (" + BASE_HEAP / MIB + " MiB + " + BLOCK_COPIES + " x AbsoluteMaxBytes)";
  }
}
