package io.raftswarm.peer.tx;

import com.google.protobuf.ByteString;
import io.raftswarm.common.fabric.ByteStringDigest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The proposal hash an endorser puts in its ProposalResponsePayload (protoutil.GetProposalHash1):
 * SHA-256 over channel header || signature header || chaincode proposal payload. The committer
 * recomputes it from the transaction to check the endorsements belong to this proposal.
 */
public final class ProposalHashes {
  private ProposalHashes() {}

  public static ByteString of(ByteString channelHeader, ByteString signatureHeader, ByteString chaincodeProposalPayload) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ByteStringDigest.update(digest, channelHeader);
      ByteStringDigest.update(digest, signatureHeader);
      ByteStringDigest.update(digest, chaincodeProposalPayload);
      return ByteString.copyFrom(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
