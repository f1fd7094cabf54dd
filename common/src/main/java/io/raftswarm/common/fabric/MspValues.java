package io.raftswarm.common.fabric;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.identity.OrgMsp;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import org.hyperledger.fabric.protos.msp.FabricCryptoConfig;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;
import org.hyperledger.fabric.protos.msp.MSPConfig;

/**
 * An org's "MSP" config value, as configtxgen writes it from a cryptogen MSP directory
 * (msp.GetVerifyingMspConfig): a FABRIC (type 0) {@code MSPConfig} with PEM certificates,
 * crypto config SHA2/SHA256 and NodeOUs enabled with the root CA as the OU certificate.
 */
final class MspValues {
  /** msp.FABRIC in Fabric's ProviderType. */
  static final int FABRIC_MSP_TYPE = 0;

  private MspValues() {}

  static MSPConfig toConfig(OrgMsp org) {
    ByteString ouCertificate = pem(org.rootCerts().get(0));
    FabricMSPConfig fabric = FabricMSPConfig.newBuilder()
        .setName(org.mspId())
        .addAllRootCerts(org.rootCerts().stream().map(MspValues::pem).toList())
        .addAllTlsRootCerts(org.tlsRootCerts().stream().map(MspValues::pem).toList())
        .addAllAdmins(org.admins().stream().map(MspValues::pem).toList())
        // bccsp.SHA2 / bccsp.SHA256, exactly what Fabric's configbuilder writes
        .setCryptoConfig(FabricCryptoConfig.newBuilder()
            .setSignatureHashFamily("SHA2")
            .setIdentityIdentifierHashFunction("SHA256"))
        .setFabricNodeOus(FabricNodeOUs.newBuilder()
            .setEnable(true)
            .setClientOuIdentifier(ou(ouCertificate, "client"))
            .setPeerOuIdentifier(ou(ouCertificate, "peer"))
            .setAdminOuIdentifier(ou(ouCertificate, "admin"))
            .setOrdererOuIdentifier(ou(ouCertificate, "orderer")))
        .build();
    return MSPConfig.newBuilder().setType(FABRIC_MSP_TYPE).setConfig(fabric.toByteString()).build();
  }

  /**
   * Reads an org's MSP value back.
   *
   * @param where the config path, for error messages ("/Channel/Application/Org1")
   */
  static OrgMsp fromConfig(ByteString mspValue, String where) {
    try {
      MSPConfig config = MSPConfig.parseFrom(mspValue);
      if (config.getType() != FABRIC_MSP_TYPE) {
        throw new IllegalArgumentException(where + ": MSP type " + config.getType()
            + " is not supported (only FABRIC X.509 MSPs, type 0; Idemix orgs cannot run orderers or peers here)");
      }
      FabricMSPConfig fabric = FabricMSPConfig.parseFrom(config.getConfig());
      return new OrgMsp(fabric.getName(), certificates(fabric.getRootCertsList(), where + " root_certs"),
          certificates(fabric.getTlsRootCertsList(), where + " tls_root_certs"),
          certificates(fabric.getAdminsList(), where + " admins"));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(where + ": the MSP value is not a msp.MSPConfig: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> certificates(List<ByteString> pems, String where) {
    try {
      return pems.stream().flatMap(pem -> Pem.readCertificates(pem.toByteArray()).stream()).toList();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(where + ": not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static FabricOUIdentifier ou(ByteString certificate, String ou) {
    return FabricOUIdentifier.newBuilder().setCertificate(certificate).setOrganizationalUnitIdentifier(ou).build();
  }

  private static ByteString pem(X509Certificate certificate) {
    return ByteString.copyFrom(Pem.encode(certificate), StandardCharsets.UTF_8);
  }
}
