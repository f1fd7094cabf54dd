package io.raftswarm.swarm.drill;

import io.raftswarm.swarm.drill.collect.ChainCollector;
import io.raftswarm.swarm.drill.collect.PeerStatusReader;
import io.raftswarm.swarm.drill.verdict.AcknowledgedTx;
import io.raftswarm.swarm.drill.verdict.CollectionGap;
import io.raftswarm.swarm.drill.verdict.NodeChain;
import io.raftswarm.swarm.drill.verdict.PeerLedger;
import io.raftswarm.swarm.drill.verdict.SafetyInputs;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Collects what the verdict needs from a running network: every orderer's chain of every
 * channel (Deliver, in parallel) and every peer's {@code /status}. A node that cannot be read
 * becomes a {@link CollectionGap}, never an exception.
 */
public final class SafetyCollection {
  private final NetworkProfile profile;
  private final ChainCollector chains;
  private final PeerStatusReader peers;

  public SafetyCollection(NetworkProfile profile, ChainCollector chains, PeerStatusReader peers) {
    this.profile = profile;
    this.chains = chains;
    this.peers = peers;
  }

  public SafetyInputs collect(List<AcknowledgedTx> acknowledged, Set<String> unacknowledged) {
    List<NodeChain> ordererChains = new ArrayList<>();
    List<PeerLedger> peerLedgers = new ArrayList<>();
    List<CollectionGap> gaps = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "drill-collect");
      t.setDaemon(true);
      return t;
    });
    try {
      List<CompletableFuture<Object>> futures = new ArrayList<>();
      for (NetworkProfile.NodeEntry o : profile.orderers()) {
        for (String channel : profile.channels()) {
          futures.add(CompletableFuture.supplyAsync(() -> {
            try {
              return chains.collect(o.name(), channel);
            } catch (ChainCollector.ChainCollectionException e) {
              return new CollectionGap(o.name(), channel, e.getMessage());
            }
          }, pool));
        }
      }
      for (NetworkProfile.NodeEntry p : profile.peers()) {
        futures.add(CompletableFuture.supplyAsync(() -> {
          try {
            return peers.read(p.name(), p.operationsEndpoint());
          } catch (IOException | RuntimeException e) {
            return new CollectionGap(p.name(), "*", "cannot read /status at " + p.operationsEndpoint()
                + ": " + e.getMessage());
          }
        }, pool));
      }
      for (CompletableFuture<Object> f : futures) {
        Object r = f.join();
        if (r instanceof NodeChain c) {
          ordererChains.add(c);
        } else if (r instanceof CollectionGap g) {
          gaps.add(g);
        } else if (r instanceof List<?> l) {
          l.forEach(x -> peerLedgers.add((PeerLedger) x));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new SafetyInputs(acknowledged, unacknowledged, ordererChains, peerLedgers, gaps);
  }
}
