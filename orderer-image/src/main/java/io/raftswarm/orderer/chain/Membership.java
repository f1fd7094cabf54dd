package io.raftswarm.orderer.chain;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.Consenter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.ratis.protocol.RaftPeer;

/**
 * The consenters of a channel as one config in force names them, seen from one orderer: the Raft
 * peers (one per consenter, id = the TLS certificate's common name, see {@link ConsenterIds}),
 * this orderer's consenter id, and the certificates allowed on the cluster and forwarding paths.
 * Rebuilt whenever a config block changes the consenter set; consenter ids are positions in the
 * config's list, so they can shift when a consenter is removed, while Raft peer ids never do.
 *
 * @param selfId this orderer's consenter id, 0 when the config does not name it (evicted)
 */
record Membership(ChannelConfig config, String selfPeer, int selfId, Map<String, Consenter> byPeer,
    Set<ConsenterIds.ByteKey> certificates, List<RaftPeer> raftPeers) {

  static Membership of(ChannelConfig config, String selfPeer) {
    Map<String, Consenter> byPeer = new LinkedHashMap<>();
    for (Consenter c : config.consenters()) {
      String peerId = ConsenterIds.peerId(c);
      if (byPeer.putIfAbsent(peerId, c) != null) {
        throw new IllegalArgumentException("channel " + config.channelId() + ": two consenters have the TLS common name "
            + peerId + "; every orderer needs its own TLS certificate");
      }
    }
    Consenter self = byPeer.get(selfPeer);
    // The Raft configuration these consenters make, in consenter order.
    List<RaftPeer> peers = new ArrayList<>();
    byPeer.forEach((peerId, c) -> peers.add(RaftPeer.newBuilder().setId(peerId).setAddress(c.clusterEndpoint()).build()));
    return new Membership(config, selfPeer, self == null ? 0 : self.id(), Map.copyOf(byPeer),
        Set.copyOf(ConsenterIds.certificates(config)), List.copyOf(peers));
  }

  boolean includesSelf() {
    return selfId != 0;
  }

  /** The consenter id of a Raft peer, 0 when it is not a consenter of this config. */
  int consenterId(String peerId) {
    Consenter c = peerId == null ? null : byPeer.get(peerId);
    return c == null ? 0 : c.id();
  }

  Optional<String> peerOf(int consenterId) {
    return byPeer.entrySet().stream().filter(e -> e.getValue().id() == consenterId).map(Map.Entry::getKey).findFirst();
  }
}
