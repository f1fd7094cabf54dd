package io.raftswarm.swarm.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chaincode deployment ({@code raftswarm chaincode deploy}): an ordered lscc-style transaction
 * recording name, type, version and endorsement policy, with the chaincode's init writes.
 *
 * @param type built-in chaincode type: example02 or fabcar
 * @param initArgs init arguments, function first (e.g. init a 100 b 200); may be empty
 * @param policy e.g. AND('Org1MSP.peer','Org2MSP.peer')
 * @param peer endorsing peer; empty = the first peer of the user's org (or the first peer)
 * @param orderer orderer to send through; empty = the first orderer, failing over to the others
 */
public record DeployRequest(String channel, String name, String type, String version, List<String> initArgs,
    String policy, Optional<String> peer, Optional<String> orderer) {

  public DeployRequest {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    version = version == null || version.isBlank() ? "1.0" : version;
    initArgs = List.copyOf(initArgs);
    Objects.requireNonNull(policy, "policy");
    peer = Objects.requireNonNullElse(peer, Optional.empty());
    orderer = Objects.requireNonNullElse(orderer, Optional.empty());
  }

  public static DeployRequest of(String channel, String name, String type, List<String> initArgs, String policy) {
    return new DeployRequest(channel, name, type, "1.0", initArgs, policy, Optional.empty(), Optional.empty());
  }
}
