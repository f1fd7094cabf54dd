package io.raftswarm.swarm.bench;

import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.swarm.drill.load.SignedTxSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Envelopes signed before the measurement starts, so signing does not compete with the
 * orderers for CPU while they are measured. Handed out once each, from any thread.
 */
public final class EnvelopePool {
  private final Envelope[] envelopes;
  private final AtomicInteger next = new AtomicInteger();

  public EnvelopePool(Envelope[] envelopes) {
    this.envelopes = envelopes.clone();
  }

  /** Signs {@code size} ENDORSER_TRANSACTION envelopes on all cores. */
  public static EnvelopePool sign(SigningIdentity signer, String channel, int payloadBytes, int size) {
    Envelope[] out = new Envelope[size];
    ThreadLocal<SignedTxSource> sources =
        ThreadLocal.withInitial(() -> new SignedTxSource(signer, payloadBytes));
    IntStream.range(0, size).parallel().forEach(i -> out[i] = sources.get().next(channel).envelope());
    return new EnvelopePool(out);
  }

  /** The next unused envelope, or null when the pool is used up. */
  public Envelope take() {
    int i = next.getAndIncrement();
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
