package io.raftswarm.swarm.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.SigningIdentity;
import java.security.SecureRandom;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;

/**
 * ENDORSER_TRANSACTION envelopes signed by a real user identity, carrying random bytes. Enough
 * for orderer-level load: orderers check size, channel and signature, not endorsements. Peers
 * mark them invalid, which they must still all agree on.
 */
public final class SignedTxSource implements TxSource {
  private final SigningIdentity signer;
  private final int payloadBytes;
  private final SecureRandom random = new SecureRandom();

  /** @param payloadBytes size of the random data in each envelope (the envelope adds ~0.9 KB) */
  public SignedTxSource(SigningIdentity signer, int payloadBytes) {
    this.signer = Objects.requireNonNull(signer, "signer");
    if (payloadBytes < 0) {
      throw new IllegalArgumentException("payloadBytes must be >= 0, got " + payloadBytes);
    }
    this.payloadBytes = payloadBytes;
  }

  @Override
  public SignedTx next(String channel) {
    byte[] data = new byte[payloadBytes];
    random.nextBytes(data);
    Envelope envelope = Envelopes.signed(
        HeaderType.ENDORSER_TRANSACTION, channel, ByteString.copyFrom(data), signer);
    try {
      return new SignedTx(Envelopes.parse(envelope).txId(), channel, envelope);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an envelope we just built does not parse", e);
    }
  }
}
