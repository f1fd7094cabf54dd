package io.raftswarm.swarm.bench;

import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.swarm.client.SignedTxSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Envelopes signed before the measurement starts, so signing does not compete with the
 * orderers for CPU while they are measured. Handed out once each, from any thread.
 */
public final class EnvelopePool {
  /** The orderers refuse a txId seen in their last 100,000 transactions (the dedup window). */
  public static final int ORDERER_TXID_WINDOW = 100_000;

  private final Envelope[] envelopes;
  private final AtomicInteger next = new AtomicInteger();
  private final boolean cycle;

  public EnvelopePool(Envelope[] envelopes) {
    this(envelopes, false);
  }

  /**
   * @param cycle hand the envelopes out again from the start when they run out (long runs):
   *     needs more envelopes than the orderers' txId window, so an envelope comes back only after
   *     it left the window and is ordered again rather than refused as a duplicate
   */
  public EnvelopePool(Envelope[] envelopes, boolean cycle) {
    if (cycle && envelopes.length <= ORDERER_TXID_WINDOW) {
      throw new IllegalArgumentException("reusing the pool needs more than " + ORDERER_TXID_WINDOW
          + " envelopes (the orderers' txId window), got " + envelopes.length);
    }
    this.envelopes = envelopes.clone();
    this.cycle = cycle;
  }

  /** Signs {@code size} ENDORSER_TRANSACTION envelopes on all cores. */
  public static EnvelopePool sign(SigningIdentity signer, String channel, int payloadBytes, int size) {
    return sign(signer, channel, payloadBytes, size, false);
  }

  /** As {@link #sign(SigningIdentity, String, int, int)}, handing them out again and again if {@code cycle}. */
  public static EnvelopePool sign(SigningIdentity signer, String channel, int payloadBytes, int size, boolean cycle) {
    Envelope[] out = new Envelope[size];
    ThreadLocal<SignedTxSource> sources =
        ThreadLocal.withInitial(() -> new SignedTxSource(signer, payloadBytes));
    IntStream.range(0, size).parallel().forEach(i -> out[i] = sources.get().next(channel).envelope());
    return new EnvelopePool(out, cycle);
  }

  /** The next envelope, or null when the pool is used up (never when it cycles). */
  public Envelope take() {
    int i = next.getAndIncrement();
    if (cycle) {
      return envelopes[Math.floorMod(i, envelopes.length)];
    }
    return i < envelopes.length ? envelopes[i] : null;
  }

  public int size() {
    return envelopes.length;
  }

  public int taken() {
    return Math.min(next.get(), envelopes.length);
  }

  /** Serialized size of one envelope, for the report. */
  public int envelopeBytes() {
    return envelopes.length == 0 ? 0 : envelopes[0].getSerializedSize();
  }
}
