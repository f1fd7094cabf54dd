package io.raftswarm.orderer.broadcast;

import io.raftswarm.common.crypto.EcdsaVerifier;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.ParsedEnvelope;
import io.raftswarm.common.identity.Identities;
import io.raftswarm.common.identity.IdentityException;
import io.raftswarm.common.identity.VerifiedCreator;
import io.raftswarm.orderer.chain.Chain;
import java.security.cert.CertificateException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;

/**
 * Checks an envelope before it is ordered or served: known channel (NOT_FOUND), size within
 * AbsoluteMaxBytes and a well-formed header of an accepted type (BAD_REQUEST), creator issued by
 * one of the channel's org CAs and a valid signature over the payload (FORBIDDEN).
 *
 * <p>Creators that passed are cached per channel (certificate chains are costly to verify
 * thousands of times a second); validity dates are still checked on every use. Thread-safe.
 */
public final class EnvelopeValidator {
  private static final int CREATOR_CACHE_LIMIT = 10_000;

  /** A checked envelope and its channel. */
  public record Checked(Chain chain, ParsedEnvelope parsed) {
    public String txId() {
      return parsed.channelHeader().getTxId();
    }

    public String type() {
      return HeaderType.forNumber(parsed.channelHeader().getType()) == null
          ? "UNKNOWN" : HeaderType.forNumber(parsed.channelHeader().getType()).name();
    }
  }

  private final Function<String, Chain> chains;
  private final Map<String, Map<ByteString, Creator>> creators = new ConcurrentHashMap<>();

  /** A validated creator and its key prepared for fast verification (null key: use the JDK). */
  private record Creator(VerifiedCreator verified, EcdsaVerifier.Key key) {}

  public EnvelopeValidator(Function<String, Chain> chains) {
    this.chains = chains;
  }

  /** Parses the header and finds the channel, without checking the signature. */
  public Checked parse(Envelope envelope) throws Rejection {
    ParsedEnvelope parsed;
    try {
      parsed = Envelopes.parse(envelope);
    } catch (InvalidProtocolBufferException e) {
      throw new Rejection(Status.BAD_REQUEST, "malformed envelope: " + e.getMessage());
    }
    String channelId = parsed.channelHeader().getChannelId();
    if (channelId.isEmpty()) {
      throw new Rejection(Status.BAD_REQUEST, "envelope has no channel id in its channel header");
    }
    Chain chain = chains.apply(channelId);
    if (chain == null) {
      throw new Rejection(Status.NOT_FOUND, "channel " + channelId + " does not exist on this orderer");
    }
    return new Checked(chain, parsed);
  }

  /** Full check of a transaction for Broadcast. */
  public Checked checkTransaction(Envelope envelope, boolean verifySignature) throws Rejection {
    return checkTransaction(parse(envelope), envelope, verifySignature);
  }

  /** As {@link #checkTransaction(Envelope, boolean)} for an envelope {@link #parse parsed} already. */
  public Checked checkTransaction(Checked checked, Envelope envelope, boolean verifySignature) throws Rejection {
    int size = envelope.getSerializedSize();
    int max = checked.chain().config().batch().absoluteMaxBytes();
    if (size > max) {
      throw new Rejection(Status.BAD_REQUEST, "envelope of " + size + " bytes exceeds AbsoluteMaxBytes (" + max
          + ") of channel " + checked.chain().channelId());
    }
    int type = checked.parsed().channelHeader().getType();
    if (type == HeaderType.CONFIG_UPDATE_VALUE || type == HeaderType.CONFIG_VALUE) {
      throw new Rejection(Status.BAD_REQUEST, "channel configuration updates are not supported by this orderer");
    }
    if (type != HeaderType.ENDORSER_TRANSACTION_VALUE && type != HeaderType.MESSAGE_VALUE) {
      throw new Rejection(Status.BAD_REQUEST, "envelope header type " + type + " cannot be broadcast;"
          + " send ENDORSER_TRANSACTION or MESSAGE");
    }
    if (checked.txId().isEmpty()) {
      throw new Rejection(Status.BAD_REQUEST, "envelope has no transaction id in its channel header");
    }
    if (verifySignature) {
      verifySignature(checked, envelope);
    }
    return checked;
  }

  /** Creator and signature check (also used by Deliver). */
  public VerifiedCreator verifySignature(Checked checked, Envelope envelope) throws Rejection {
    ByteString creatorBytes = checked.parsed().signatureHeader().getCreator();
    Map<ByteString, Creator> cache = creators.computeIfAbsent(checked.chain().channelId(), k -> new ConcurrentHashMap<>());
    Creator cached = cache.get(creatorBytes);
    try {
      if (cached == null) {
        VerifiedCreator verified = checked.chain().msps().validateCreator(creatorBytes);
        cached = new Creator(verified, EcdsaVerifier.prepare(verified.certificate().getPublicKey()));
        if (cache.size() >= CREATOR_CACHE_LIMIT) {
          cache.clear();
        }
        cache.put(creatorBytes, cached);
      } else {
        cached.verified().certificate().checkValidity();
      }
    } catch (IdentityException e) {
      throw new Rejection(Status.FORBIDDEN, "creator refused: " + e.getMessage());
    } catch (CertificateException e) {
      cache.remove(creatorBytes);
      throw new Rejection(Status.FORBIDDEN, "creator certificate is not valid now: " + e.getMessage());
    }
    VerifiedCreator creator = cached.verified();
    boolean valid = cached.key() != null
        ? EcdsaVerifier.verify(cached.key(), envelope.getPayload().asReadOnlyByteBuffer(), envelope.getSignature().toByteArray())
        : Identities.verify(creator.certificate(), envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray());
    if (!valid) {
      throw new Rejection(Status.FORBIDDEN, "signature of envelope " + checked.txId() + " does not verify for creator "
          + creator.mspId() + " " + creator.certificate().getSubjectX500Principal().getName());
    }
    return creator;
  }
}
