package io.raftswarm.orderer.broadcast;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.crypto.EcdsaVerifier;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.ParsedEnvelope;
import io.raftswarm.common.identity.Identities;
import io.raftswarm.common.identity.IdentityException;
import io.raftswarm.common.identity.MspRegistry;
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
 * Checks an envelope before it is ordered or served, as Fabric's orderer does for an application
 * channel (orderer/common/broadcast, msgprocessor/standardchannel.go): known channel, size within
 * AbsoluteMaxBytes and a well-formed header (BAD_REQUEST), creator issued by one of the channel's
 * org CAs and a valid signature over the payload (FORBIDDEN).
 *
 * <p>Header types, as Fabric classifies them: CONFIG and ORDERER_TRANSACTION cannot be broadcast
 * (BAD_REQUEST, before any signature check); CONFIG_UPDATE passes and is turned into a config
 * block by the leader ({@code Chain#submitConfigUpdate}); every other type (ENDORSER_TRANSACTION,
 * MESSAGE, ...) is a normal message and is ordered. A transaction id is not required: Fabric's
 * orderer never reads it (its sample client {@code broadcast_msg} sends MESSAGE envelopes without one).
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
  private final Map<String, CreatorCache> creators = new ConcurrentHashMap<>();

  /** A validated creator and its key prepared for fast verification (null key: use the JDK). */
  private record Creator(VerifiedCreator verified, EcdsaVerifier.Key key) {}

  /** The creators validated against one set of a channel's MSPs. */
  private record CreatorCache(MspRegistry msps, Map<ByteString, Creator> byIdentity) {}

  public EnvelopeValidator(Function<String, Chain> chains) {
    this.chains = chains;
  }

  /**
   * Parses the header and finds the channel, without checking the signature.
   *
   * @param unknownChannel the status for a channel this orderer does not have: Fabric answers
   *     BAD_REQUEST on Broadcast and NOT_FOUND on Deliver
   */
  public Checked parse(Envelope envelope, Status unknownChannel) throws Rejection {
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
      throw new Rejection(unknownChannel, "channel " + channelId + " does not exist on this orderer");
    }
    return new Checked(chain, parsed);
  }

  /** Full check of a transaction for Broadcast. */
  public Checked checkTransaction(Envelope envelope, boolean verifySignature) throws Rejection {
    return checkTransaction(parse(envelope, Status.BAD_REQUEST), envelope, verifySignature);
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
    if (type == HeaderType.CONFIG_VALUE || type == HeaderType.ORDERER_TRANSACTION_VALUE) {
      throw new Rejection(Status.BAD_REQUEST, "message of header type " + checked.type() + " cannot be processed directly;"
          + " channel configuration changes are submitted as CONFIG_UPDATE");
    }
    if (verifySignature) {
      verifySignature(checked, envelope);
    }
    return checked;
  }

  /** Creator and signature check (also used by Deliver). */
  public VerifiedCreator verifySignature(Checked checked, Envelope envelope) throws Rejection {
    ByteString creatorBytes = checked.parsed().signatureHeader().getCreator();
    // Valid for the channel's MSPs of now: a config update that changes them starts a new cache.
    var msps = checked.chain().msps();
    CreatorCache holder = creators.get(checked.chain().channelId());
    if (holder == null || holder.msps() != msps) {
      holder = creators.compute(checked.chain().channelId(),
          (k, old) -> old != null && old.msps() == msps ? old : new CreatorCache(msps, new ConcurrentHashMap<>()));
    }
    Map<ByteString, Creator> cache = holder.byIdentity();
    Creator cached = cache.get(creatorBytes);
    try {
      if (cached == null) {
        VerifiedCreator verified = checked.chain().msps().validateCreator(creatorBytes);
        cached = new Creator(verified, EcdsaVerifier.prepare(verified.certificate().getPublicKey()));
        if (cache.size() >= CREATOR_CACHE_LIMIT) {
          cache.clear();
        }
        // A copy: creatorBytes is a view of the whole envelope (AliasedProtos), which the key would keep alive.
        cache.put(ByteString.copyFrom(creatorBytes.asReadOnlyByteBuffer()), cached);
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
      throw new Rejection(Status.FORBIDDEN, "signature of envelope " + describe(checked) + " does not verify for creator "
          + creator.mspId() + " " + creator.certificate().getSubjectX500Principal().getName());
    }
    return creator;
  }

  private static String describe(Checked checked) {
    return checked.txId().isEmpty() ? "(" + checked.type() + " without transaction id)" : checked.txId();
  }
}
