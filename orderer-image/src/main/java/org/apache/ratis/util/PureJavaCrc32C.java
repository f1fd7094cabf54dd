package org.apache.ratis.util;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Replaces Ratis 3.3.0's class of this name, which its segmented Raft log creates directly (no
 * setting chooses another) to checksum every entry it writes and reads. Ratis' copy computes
 * CRC32C in Java with lookup tables, a relic of Java 8; it took ~8 % of a follower's CPU in a
 * steady-state profile of the lab (docs/BENCHMARKS.md, "Raft log checksums by the JDK"). This one
 * hands the same computation to {@link CRC32C}, which the JVM runs on the CPU's CRC32 instruction
 * at tens of GB/s: the values are identical, so logs written by either read with the other.
 * Hadoop, where Ratis' copy came from, did the same to its own (HADOOP-19839).
 *
 * <p>It takes effect because the orderer's own jar precedes Ratis' jars on the class path (the
 * image's {@code /app/classpath/*} comes first; under Maven {@code target/classes} does).
 * {@code RatisCrcOverrideTest} checks that, that every public member of Ratis' class is here with
 * the same signature, and that both give the same values. Remove it once Ratis delegates itself.
 */
public class PureJavaCrc32C implements Checksum {
  private final CRC32C crc = new CRC32C();

  public PureJavaCrc32C() {}

  @Override
  public long getValue() {
    return crc.getValue();
  }

  @Override
  public void reset() {
    crc.reset();
  }

  @Override
  public void update(byte[] b, int off, int len) {
    crc.update(b, off, len);
  }

  /**
   * The buffer's remaining bytes, leaving its position where it was, as Ratis' copy does (unlike
   * {@link Checksum#update(ByteBuffer)}, which consumes them).
   */
  @Override
  public void update(ByteBuffer b) {
    crc.update(b.duplicate());
  }

  @Override
  public final void update(int b) {
    crc.update(b);
  }
}
