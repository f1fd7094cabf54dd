package io.raftswarm.common.configtx;

import com.google.protobuf.ByteString;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.SigningIdentity;
import java.util.List;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/** Signing a config update, as {@code peer channel signconfigtx} and {@code peer channel update} do. */
public final class ConfigSignatures {
  private ConfigSignatures() {}

  /** One admin's signature over {@code signature_header || config_update}. */
  public static ConfigSignature sign(ByteString configUpdate, SigningIdentity signer) {
    ByteString header = SignatureHeader.newBuilder()
        .setCreator(signer.serialize())
        .setNonce(ByteString.copyFrom(Envelopes.nonce()))
        .build().toByteString();
    return ConfigSignature.newBuilder()
        .setSignatureHeader(header)
        .setSignature(ByteString.copyFrom(signer.sign(header.concat(configUpdate).toByteArray())))
        .build();
  }

  /** The CONFIG_UPDATE envelope to broadcast: signed by each of {@code signers}, submitted by {@code submitter}. */
  public static Envelope envelope(ConfigUpdate update, List<SigningIdentity> signers, SigningIdentity submitter) {
    ByteString bytes = update.toByteString();
    ConfigUpdateEnvelope.Builder envelope = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(bytes);
    signers.forEach(s -> envelope.addSignatures(sign(bytes, s)));
    return Envelopes.signed(HeaderType.CONFIG_UPDATE, update.getChannelId(), envelope.build().toByteString(), submitter);
  }
}
