package io.raftswarm.common.fabric;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.raftswarm.common.identity.Identities;
import io.raftswarm.common.identity.IdentityException;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.identity.VerifiedCreator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Signed Fabric envelopes (protoutil.CreateSignedEnvelope): {@code Envelope{payload, signature}}
 * where the signature covers the payload bytes and the payload's SignatureHeader names the
 * creator. Stateless and thread-safe.
 */
public final class Envelopes {
  /** Fabric's nonce length (crypto.NonceSize). */
  public static final int NONCE_SIZE = 24;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Envelopes() {}

  /** An envelope signed by {@code signer}, timestamped now; fresh nonce and txId. */
  public static Envelope signed(HeaderType type, String channelId, ByteString data, SigningIdentity signer) {
    return signed(type, channelId, data, signer, Clock.systemUTC());
  }

  /** As {@link #signed(HeaderType, String, ByteString, SigningIdentity)} with the timestamp from {@code clock}. */
  public static Envelope signed(HeaderType type, String channelId, ByteString data, SigningIdentity signer, Clock clock) {
    byte[] nonce = nonce();
    ByteString creator = signer.serialize();
    Instant now = clock.instant();
    ChannelHeader channelHeader = ChannelHeader.newBuilder()
        .setType(type.getNumber())
        .setChannelId(channelId)
        .setTxId(txId(nonce, creator))
        .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build();
    SignatureHeader signatureHeader = SignatureHeader.newBuilder()
        .setCreator(creator)
        .setNonce(ByteString.copyFrom(nonce))
        .build();
    Payload payload = Payload.newBuilder()
        .setHeader(Header.newBuilder()
            .setChannelHeader(channelHeader.toByteString())
            .setSignatureHeader(signatureHeader.toByteString()))
        .setData(data)
        .build();
    ByteString payloadBytes = payload.toByteString();
    return Envelope.newBuilder()
        .setPayload(payloadBytes)
        .setSignature(ByteString.copyFrom(signer.sign(payloadBytes.toByteArray())))
        .build();
  }

  /** Fabric's transaction id: hex(SHA-256(nonce || creator)) (protoutil.ComputeTxID). */
  public static String txId(byte[] nonce, ByteString creator) {
    MessageDigest digest = BlockHashing.sha256();
    digest.update(nonce);
    digest.update(creator.asReadOnlyByteBuffer());
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Decodes payload, channel header and signature header.
   *
   * @throws InvalidProtocolBufferException when any of them is not the expected message, or the
   *     payload has no header
   */
  public static ParsedEnvelope parse(Envelope envelope) throws InvalidProtocolBufferException {
    // Views, not copies, of the payload's bytes: this runs for every transaction on the orderers'
    // Broadcast path and in every peer's validation.
    Payload payload = AliasedProtos.parse(Payload.parser(), envelope.getPayload());
    if (!payload.hasHeader()) {
      throw new InvalidProtocolBufferException("envelope payload has no header");
    }
    ChannelHeader channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
    SignatureHeader signatureHeader = AliasedProtos.parse(SignatureHeader.parser(), payload.getHeader().getSignatureHeader());
    return new ParsedEnvelope(payload, channelHeader, signatureHeader);
  }

  /**
   * Checks the envelope's creator against the channel's MSPs and its signature over the payload.
   *
   * @throws IdentityException naming the reason: malformed envelope, unknown or invalid creator,
   *     bad signature
   */
  public static VerifiedCreator verify(Envelope envelope, MspRegistry msps) {
    ParsedEnvelope parsed;
    try {
      parsed = parse(envelope);
    } catch (InvalidProtocolBufferException e) {
      throw new IdentityException("malformed envelope: " + e.getMessage(), e);
    }
    VerifiedCreator creator = msps.validateCreator(parsed.signatureHeader().getCreator());
    if (!Identities.verify(creator.certificate(), envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray())) {
      throw new IdentityException("signature of envelope " + parsed.txId() + " on channel " + parsed.channelId()
          + " does not verify for creator " + creator.mspId() + " " + creator.certificate().getSubjectX500Principal().getName());
    }
    return creator;
  }

  /** A fresh random nonce of {@link #NONCE_SIZE} bytes. */
  public static byte[] nonce() {
    byte[] nonce = new byte[NONCE_SIZE];
    RANDOM.nextBytes(nonce);
    return nonce;
  }
}
