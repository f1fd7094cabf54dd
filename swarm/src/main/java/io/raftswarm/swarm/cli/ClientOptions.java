package io.raftswarm.swarm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftswarm.common.crypto.NativeProviderPreference;
import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.FabricClientException;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every client command shares: which network (network.json) and which user. */
final class ClientOptions {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--network", paramLabel = "DIR",
      description = "Directory with network.json (default: $RAFTSWARM_NETWORK, else ./raftswarm-net)")
  Path network;

  @Option(names = "--user", paramLabel = "USER@ORG", defaultValue = "User1@org1",
      description = "Identity to act as, from the crypto tree (default: ${DEFAULT-VALUE})")
  String user;

  Path networkDir() {
    if (network != null) {
      return network;
    }
    String env = System.getenv("RAFTSWARM_NETWORK");
    return Path.of(env == null || env.isBlank() ? "raftswarm-net" : env);
  }

  NetworkProfile profile() {
    Path file = networkDir().resolve("network.json");
    if (!Files.isRegularFile(file)) {
      throw new UserError("no network profile at " + file.toAbsolutePath()
          + "; run raftswarm render or provision first, or pass --network DIR (or set RAFTSWARM_NETWORK)");
    }
    return NetworkProfile.read(file);
  }

  /** The {@code --user} identity from the network's crypto tree; a user error when it is not there. */
  ClientIdentity identity(NetworkProfile profile) {
    try {
      return ClientIdentity.resolve(profile, user);
    } catch (FabricClientException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  FabricClient client() {
    // the TLS handshakes' certificate checks then run in AWS-LC, not in the not-yet-compiled
    // Java of a fresh JVM: ~0.1 s of a one-second query (docs/BENCHMARKS.md, "CLI latency")
    NativeProviderPreference.preferNative();
    try {
      return FabricClient.connect(profile(), user);
    } catch (FabricClientException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** Parses Fabric's -c JSON: {"Args":[...]} or {"function":"f","Args":[...]}. */
  static List<String> args(String ctor) {
    JsonNode node;
    try {
      node = JSON.readTree(ctor);
    } catch (Exception e) {
      throw new UserError("-c '" + ctor + "' is not JSON; expected e.g. '{\"Args\":[\"invoke\",\"a\",\"b\",\"10\"]}'");
    }
    JsonNode list = node == null ? null : node.has("Args") ? node.get("Args") : node.get("args");
    if (list == null || !list.isArray()) {
      throw new UserError("-c '" + ctor + "' has no \"Args\" array; expected e.g. '{\"Args\":[\"query\",\"a\"]}'");
    }
    List<String> args = new ArrayList<>();
    JsonNode function = node.has("function") ? node.get("function") : node.get("Function");
    if (function != null) {
      args.add(function.asText());
    }
    list.forEach(a -> args.add(a.isTextual() ? a.asText() : a.toString()));
    return args;
  }
}
