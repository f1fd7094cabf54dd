package io.raftswarm.common.fabric;

import java.util.Objects;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/** An envelope's payload with its two headers decoded (see {@link Envelopes#parse}). */
public record ParsedEnvelope(Payload payload, ChannelHeader channelHeader, SignatureHeader signatureHeader) {
  public ParsedEnvelope {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(channelHeader, "channelHeader");
    Objects.requireNonNull(signatureHeader, "signatureHeader");
  }

  public String channelId() {
    return channelHeader.getChannelId();
  }

  public String txId() {
    return channelHeader.getTxId();
  }

  /** The header type; UNRECOGNIZED for types this proto version does not know. */
  public HeaderType type() {
    HeaderType type = HeaderType.forNumber(channelHeader.getType());
    return type == null ? HeaderType.UNRECOGNIZED : type;
  }
}
