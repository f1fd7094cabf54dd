package io.raftswarm.common.fabric;

import io.raftswarm.common.identity.Identities;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Verifies the signatures of a metadata slot with the certificate inside each signature header
 * (no MSP check): for Fabric's own blocks, whose CA we do not have.
 */
final class BlockSignatureCheck {
  private BlockSignatureCheck() {}

  static boolean verifiesWithEmbeddedCertificate(Block block, BlockMetadataIndex slot) {
    Metadata metadata = Blocks.metadata(block, slot);
    if (metadata.getSignaturesCount() == 0) {
      return false;
    }
    for (MetadataSignature signature : metadata.getSignaturesList()) {
      try {
        SignatureHeader header = SignatureHeader.parseFrom(signature.getSignatureHeader());
        var signer = Identities.deserialize(header.getCreator());
        byte[] message = Blocks.signedBytes(metadata.getValue(), signature.getSignatureHeader(), block.getHeader());
        if (!Identities.verify(signer.certificate(), message, signature.getSignature().toByteArray())) {
          return false;
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        return false;
      }
    }
    return true;
  }
}
