package io.raftswarm.common.cds;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.network.CryptoGen;
import io.raftswarm.common.network.CryptoTree;
import io.raftswarm.common.network.NodeSpec;
import io.raftswarm.common.network.OrgSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The loopback network of both training runs: crypto for OrdererOrg ({@link #ORDERERS}) and Org1
 * (node {@code peer0}), and channel {@value #CHANNEL} with the first orderer as its one consenter
 * (the peer's run) or all three (the orderer's).
 */
public record TrainingNetwork(CryptoTree crypto, OrgSpec ordererOrg, OrgSpec org1) {
  public static final String CHANNEL = "cdstraining";
  private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost");
  /** The orderer training runs a Raft group of three (a leader, its appenders, a failover); the peer uses the first. */
  public static final List<String> ORDERERS = List.of("orderer", "orderer2", "orderer3");

  /** Generates the crypto under {@code dir}. */
  public static TrainingNetwork generate(Path dir) {
    OrgSpec ordererOrg = new OrgSpec("OrdererOrg", "example.com", "OrdererMSP", true,
        ORDERERS.stream().map(n -> new NodeSpec(n, LOOPBACK)).toList(), 0);
    OrgSpec org1 = new OrgSpec("Org1", "org1.example.com", "Org1MSP", false, List.of(new NodeSpec("peer0", LOOPBACK)), 1);
    CryptoTree crypto = CryptoGen.generate(dir.resolve("crypto-config"), List.of(ordererOrg, org1), false);
    return new TrainingNetwork(crypto, ordererOrg, org1);
  }

  /** The orderer's TLS directory (server.crt, server.key, ca.crt). */
  public Path ordererTls() {
    return ordererTls("orderer");
  }

  /** The TLS directory of one of {@link #ORDERERS}. */
  public Path ordererTls(String node) {
    return crypto.nodeTls(ordererOrg, node);
  }

  /**
   * Channel {@value #CHANNEL} with every one of {@link #ORDERERS} as a consenter, each serving on
   * 127.0.0.1:{@code listenPorts[i]} with its Raft port {@code clusterPorts[i]}.
   */
  public ChannelConfig channel(int[] listenPorts, int[] clusterPorts) throws IOException {
    List<Consenter> consenters = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < ORDERERS.size(); i++) {
      byte[] tlsCert = Files.readAllBytes(ordererTls(ORDERERS.get(i)).resolve("server.crt"));
      consenters.add(new Consenter(i + 1, "127.0.0.1", clusterPorts[i], tlsCert, tlsCert));
      endpoints.add("127.0.0.1:" + listenPorts[i]);
    }
    return new ChannelConfig(CHANNEL, consenters, endpoints, RaftOptions.defaults(), BatchSettings.defaults(),
        List.of(crypto.orgMsp(ordererOrg)), List.of(crypto.orgMsp(org1)));
  }

  /** Channel {@value #CHANNEL}, served by the orderer on 127.0.0.1:{@code listenPort} with its Raft port {@code clusterPort}. */
  public ChannelConfig channel(int listenPort, int clusterPort) throws IOException {
    byte[] tlsCert = Files.readAllBytes(ordererTls().resolve("server.crt"));
    return new ChannelConfig(CHANNEL, List.of(new Consenter(1, "127.0.0.1", clusterPort, tlsCert, tlsCert)),
        List.of("127.0.0.1:" + listenPort), RaftOptions.defaults(), BatchSettings.defaults(),
        List.of(crypto.orgMsp(ordererOrg)), List.of(crypto.orgMsp(org1)));
  }
}
