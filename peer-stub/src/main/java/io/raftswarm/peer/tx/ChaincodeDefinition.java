package io.raftswarm.peer.tx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;

/**
 * A deployed chaincode, as recorded in the {@code lscc} namespace under its name (Fabric 1.4's
 * lscc keeps a ChaincodeData there). JSON, fields in a fixed order, so all peers write the same bytes.
 *
 * @param type the built-in chaincode type (example02, fabcar)
 * @param policy the endorsement policy text, e.g. AND('Org1MSP.peer','Org2MSP.peer')
 */
public record ChaincodeDefinition(String name, String type, String version, String policy) {
  /** The namespace holding definitions. */
  public static final String LSCC = "lscc";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ChaincodeDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(policy, "policy");
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + this, e);
    }
  }

  public static ChaincodeDefinition fromJson(byte[] json) {
    try {
      return JSON.readValue(json, ChaincodeDefinition.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("lscc entry is not a chaincode definition: " + e.getMessage(), e);
    }
  }
}
