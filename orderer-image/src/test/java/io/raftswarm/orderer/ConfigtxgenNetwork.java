package io.raftswarm.orderer;

import io.raftswarm.orderer.config.OrdererConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three orderers of the configtxgen fixture ({@code configtxgen-v2.5.9/}, copied to a
 * directory given as the first argument), started as Fabric's test-network starts its orderers:
 * no channel ({@code BootstrapMethod: none}), an admin endpoint for {@code osnadmin channel join}.
 * Ports are the block's: Broadcast/Deliver 127.0.0.1:17041-17043, Raft 17051-17053; admin
 * 17031-17033, operations 17091-17093. Second argument {@code true} requires client certificates
 * on the client port. Prints "ORDERERS UP" and runs until killed. For {@code scripts/fabric-oracle},
 * which drives them with Fabric's own binaries.
 */
public final class ConfigtxgenNetwork {
  private static final String[] HOSTS = {"orderer", "orderer2", "orderer3"};

  private ConfigtxgenNetwork() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: ConfigtxgenNetwork <copy of configtxgen-v2.5.9/> <client auth required: true|false>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    List<Orderer> started = new ArrayList<>();
    for (int n = 0; n < HOSTS.length; n++) {
      started.add(Orderer.start(OrdererConfigLoader.load(environment(dir, n, args[1]))));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(Orderer::close)));
    System.out.println("ORDERERS UP");
    Thread.currentThread().join();
  }

  private static Map<String, String> environment(Path dir, int n, String clientAuth) {
    Map<String, String> env = fixtureEnvironment(dir, n);
    env.put("ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", clientAuth);
    env.put("ORDERER_GENERAL_BOOTSTRAPMETHOD", "none");
    env.put("ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + (17091 + n));
    env.put("ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:" + (17031 + n));
    env.put("ORDERER_ADMIN_TLS_ENABLED", "true");
    env.put("ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED", "true");
    return env;
  }

  /**
   * Fabric's ORDERER_* settings of the fixture's orderer {@code n} (0..2) in {@code dir}: its
   * client and Raft ports are the ones the block names, client certificates required, its ledger
   * in {@code dir/data/<host>}; no bootstrap, admin or operations settings.
   */
  static Map<String, String> fixtureEnvironment(Path dir, int n) {
    Path node = dir.resolve("crypto-config/ordererOrganizations/example.com/orderers/" + HOSTS[n] + ".example.com");
    Map<String, String> env = new HashMap<>();
    env.put("ORDERER_GENERAL_LISTENADDRESS", "127.0.0.1");
    env.put("ORDERER_GENERAL_LISTENPORT", Integer.toString(17041 + n));
    env.put("ORDERER_GENERAL_LOCALMSPID", "OrdererMSP");
    env.put("ORDERER_GENERAL_LOCALMSPDIR", node.resolve("msp").toString());
    env.put("ORDERER_GENERAL_TLS_ENABLED", "true");
    env.put("ORDERER_GENERAL_TLS_PRIVATEKEY", node.resolve("tls/server.key").toString());
    env.put("ORDERER_GENERAL_TLS_CERTIFICATE", node.resolve("tls/server.crt").toString());
    env.put("ORDERER_GENERAL_TLS_ROOTCAS", "[" + node.resolve("tls/ca.crt") + "]");
    env.put("ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED", "true");
    env.put("ORDERER_GENERAL_CLUSTER_LISTENPORT", Integer.toString(17051 + n));
    env.put("ORDERER_FILELEDGER_LOCATION", dir.resolve("data").resolve(HOSTS[n]).toString());
    return env;
  }
}
