package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.FabricClientException;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.drill.fault.DockerContainers;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.provision.rotate.CertRotation;
import io.raftswarm.swarm.provision.rotate.NodeRestart;
import io.raftswarm.swarm.provision.rotate.RotationContext;
import io.raftswarm.swarm.remote.HostSessionCache;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code raftswarm rotate-certs [NODE...]}: renew nodes' certificates one at a time without losing quorum. */
@Command(
    name = "rotate-certs",
    mixinStandardHelpOptions = true,
    description = {
        "Renew the TLS and enrollment certificates of running nodes, one node at a time, without losing quorum.",
        "",
        "For each node (every orderer, then every peer, when none is named): check that the network can take its "
            + "restart (every channel keeps a Raft majority and a leader; otherwise it refuses and says what is down); "
            + "issue a new TLS certificate (server and client use, same name and SANs) and a new enrollment certificate "
            + "from its org's CAs in the network dir's crypto-config, for its current keys (or new ones with --new-key); "
            + "for an orderer, update every channel it is a consenter of so that the consenter's client_tls_cert and "
            + "server_tls_cert are the new certificate (a config update signed by the orderer org's admin) and wait "
            + "until every orderer has it in force; put the files into the node's crypto directory on its host (the old "
            + "ones kept in .rotate-old/ until the node is verified) and into the network dir; restart its container; "
            + "wait until it is healthy, serves the new certificate and has caught up; then the next node.",
        "",
        "Safe to run again after an interruption or a failure: it continues where it stopped (the renewed material "
            + "and the finished nodes are kept in <network>/rotate-certs/). 'raftswarm status' shows the new expiry "
            + "dates. To rehearse it under load with a safety verdict: raftswarm drill rotate-certs --node NODE.",
        "",
        "Needs the directory render/provision wrote (it holds the CA keys) and SSH to the nodes' hosts.",
        "Example: raftswarm rotate-certs orderer3 peer0.org1 --network ./raftswarm-net",
        ""
    })
public final class RotateCertsCommand implements Callable<Integer> {
  /** docker stop's default grace: an orderer hands off leadership and exits well within it. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  @Mixin ClientOptions client;
  @Mixin RotationOptions rotation;

  @Parameters(paramLabel = "NODE", arity = "0..*",
      description = "Nodes to renew: orderer3, orderer3.example.com, peer0.org1 ... (default: every orderer and peer)")
  List<String> nodes = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    NetworkProfile profile = client.profile();
    var selected = CertRotation.select(profile, nodes);
    requireSshLogins(profile, selected);
    PrintWriter out = spec.commandLine().getOut();
    HostSessionCache sessions = new HostSessionCache(profile::host);
    try (DockerContainers containers = new DockerContainers(profile, sessions); FabricClient fabric = client.client()) {
      NodeRestart restart = node -> {
        containers.stop(node.host(), List.of(node.name()), STOP_GRACE);
        containers.start(node.host(), List.of(node.name()));
      };
      RotationContext ctx = new RotationContext(profile, client.networkDir(), fabric, ClientIdentity.ordererAdmin(profile),
          new OperationsClient(), sessions, restart, rotation.settings());
      List<String> rotated = new CertRotation(ctx, out).rotate(selected, resumeHint());
      out.println(rotated.isEmpty() ? "Nothing to do: every named node was renewed by the earlier run"
          : "Renewed " + rotated.size() + " node(s): " + String.join(", ", rotated)
              + "; raftswarm status shows their new expiry dates");
      out.flush();
      return 0;
    } catch (FabricClientException e) {
      throw new UserError(e.failure() + ": " + e.getMessage() + "; run the same command again to continue", e);
    }
  }

  private void requireSshLogins(NetworkProfile profile, List<NetworkProfile.NodeEntry> selected) {
    for (HostAccess h : selected.stream().map(n -> profile.host(n.host())).distinct().toList()) {
      if (h.ssh() == null) {
        throw new UserError("rotate-certs installs the files on the hosts over SSH, but " + client.networkDir().resolve("network.json")
            + " records no SSH login for host " + h.name() + "; run raftswarm render or provision again with the same"
            + " inventory and --out to record it");
      }
    }
  }

  private String resumeHint() {
    StringBuilder s = new StringBuilder("raftswarm rotate-certs");
    nodes.forEach(n -> s.append(' ').append(n));
    s.append(" --network ").append(client.networkDir());
    if (rotation.newKey) {
      s.append(" --new-key");
    }
    return s.toString();
  }
}
