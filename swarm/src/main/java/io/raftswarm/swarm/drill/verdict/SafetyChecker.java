package io.raftswarm.swarm.drill.verdict;

import io.raftswarm.swarm.drill.verdict.Finding.Check;
import io.raftswarm.swarm.drill.verdict.Finding.Severity;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides whether a network kept its safety promises during a drill. Pure: no I/O, no clock.
 *
 * <p>PASS iff (1) every acknowledged tx appears exactly once in the agreed chain of its channel,
 * (2) every orderer's chain is intact (each block's data matches its header's data hash and each
 * header's previous hash is the header hash of the block before), (3) no two nodes hold
 * different blocks at any height, and (4) peers at equal heights have equal state hashes.
 *
 * <p>The "agreed chain" at a height is the block hash held by most nodes at that height; nodes
 * holding another hash are named as diverging. Nodes that are merely behind (lower height) are
 * not a safety failure: they are reported as warnings, as are nodes that could not be
 * collected, because both weaken what a PASS can claim.
 */
public final class SafetyChecker {

  private static final int NAMES_SHOWN = 3;
  private final DateTimeFormatter clock;

  /** @param zone time zone used to print acknowledgement times in messages */
  public SafetyChecker(ZoneId zone) {
    this.clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone);
  }

  public SafetyVerdict check(SafetyInputs in) {
    Set<String> channels = new TreeSet<>();
    in.ordererChains().forEach(c -> channels.add(c.channel()));
    in.peerLedgers().forEach(p -> channels.add(p.channel()));
    in.acknowledged().forEach(a -> channels.add(a.channel()));

    List<Finding> findings = new ArrayList<>();
    for (CollectionGap gap : in.gaps()) {
      findings.add(new Finding(Severity.WARN, Check.NOT_COLLECTED, gap.channel(), -1,
          List.of(gap.node()), gap.node() + " " + gap.channel() + ": not collected (" + gap.reason()
              + "); the verdict does not cover this node"));
    }

    Map<String, AcknowledgedTx> ackedById = new LinkedHashMap<>();
    for (AcknowledgedTx a : in.acknowledged()) {
      ackedById.putIfAbsent(a.txId(), a);
    }
    Counts counts = new Counts();
    Map<String, Long> agreedHeights = new TreeMap<>();
    for (String channel : channels) {
      List<NodeChain> chains = in.ordererChains().stream()
          .filter(c -> c.channel().equals(channel)).toList();
      List<PeerLedger> peers = in.peerLedgers().stream()
          .filter(p -> p.channel().equals(channel)).toList();
      List<AcknowledgedTx> acked = ackedById.values().stream()
          .filter(a -> a.channel().equals(channel)).toList();
      agreedHeights.put(channel,
          checkChannel(channel, chains, peers, acked, in.unacknowledged(), findings, counts));
    }
    findings.sort(Comparator.comparing(Finding::severity)
        .thenComparing(Finding::channel)
        .thenComparingLong(Finding::block));
    return new SafetyVerdict(findings, counts.acknowledged, counts.once, counts.lost,
        counts.duplicated, counts.withoutAck, agreedHeights);
  }

  private long checkChannel(String channel, List<NodeChain> chains, List<PeerLedger> peers,
      List<AcknowledgedTx> acked, Set<String> unacked, List<Finding> findings, Counts counts) {
    chains.forEach(chain -> checkIntegrity(chain, findings));

    // height -> block header hash -> nodes holding it (orderers first, then peers)
    TreeMap<Long, Map<String, List<String>>> votes = new TreeMap<>();
    Map<Long, Map<String, BlockDigest>> digests = new HashMap<>();
    Set<String> orderers = new LinkedHashSet<>();
    for (NodeChain chain : chains) {
      orderers.add(chain.node());
      for (BlockDigest b : chain.blocks()) {
        votes.computeIfAbsent(b.number(), n -> new LinkedHashMap<>())
            .computeIfAbsent(b.headerHash(), h -> new ArrayList<>()).add(chain.node());
        // prefer a copy whose data is intact as the agreed block's content
        digests.computeIfAbsent(b.number(), n -> new HashMap<>())
            .merge(b.headerHash(), b, (old, neu) -> old.dataIntact() ? old : neu);
      }
    }
    for (PeerLedger peer : peers) {
      peer.blockHashes().forEach((number, hash) ->
          votes.computeIfAbsent(number, n -> new LinkedHashMap<>())
              .computeIfAbsent(hash, h -> new ArrayList<>()).add(peer.node()));
    }

    List<BlockDigest> agreed = new ArrayList<>();
    Map<String, Divergence> divergences = new LinkedHashMap<>();
    for (var entry : votes.entrySet()) {
      long number = entry.getKey();
      List<Map.Entry<String, List<String>>> groups = new ArrayList<>(entry.getValue().entrySet());
      groups.sort(Comparator.<Map.Entry<String, List<String>>>comparingInt(g -> -g.getValue().size())
          .thenComparing(g -> -countIn(g.getValue(), orderers))
          .thenComparing(Map.Entry::getKey));
      var top = groups.get(0);
      BlockDigest agreedBlock = digests.getOrDefault(number, Map.of()).get(top.getKey());
      if (agreedBlock != null) {
        agreed.add(agreedBlock);
      }
      if (groups.size() == 1) {
        continue;
      }
      boolean tie = groups.get(1).getValue().size() == top.getValue().size();
      boolean alreadySplit = groups.stream().flatMap(g -> g.getValue().stream())
          .allMatch(divergences::containsKey);
      if (tie && !alreadySplit) {
        // a split is named once, at its first height; the nodes' later blocks follow from it
        findings.add(new Finding(Severity.FAIL, Check.BLOCK_DIVERGENCE, channel, number,
            groups.stream().flatMap(g -> g.getValue().stream()).toList(),
            channel + " block [" + number + "] has no majority: "
                + groups.stream().map(g -> "header hash " + shortHash(g.getKey()) + " on "
                    + names(g.getValue())).collect(Collectors.joining("; "))));
      }
      for (var group : tie ? groups : groups.subList(1, groups.size())) {
        for (String node : group.getValue()) {
          Divergence d = divergences.get(node);
          if (d == null) {
            divergences.put(node, new Divergence(number, group.getKey(), top.getKey(),
                top.getValue(), tie));
          } else {
            d.laterBlocks++;
          }
        }
      }
    }
    divergences.forEach((node, d) -> {
      if (d.tie) {
        return; // already reported as a split without majority
      }
      String others = d.majorityNodes.size() + " other " + kindOf(d.majorityNodes, orderers);
      findings.add(new Finding(Severity.FAIL, Check.BLOCK_DIVERGENCE, channel, d.block,
          List.of(node),
          node + " " + channel + " block [" + d.block + "] header hash " + shortHash(d.hash)
              + " differs from " + shortHash(d.majorityHash) + " on " + others + " ("
              + names(d.majorityNodes) + ")"
              + (d.laterBlocks > 0 ? "; " + d.laterBlocks + " later block(s) differ too" : "")));
    });

    long agreedHeight = votes.isEmpty() ? 0 : votes.lastKey() + 1;
    reportLagging(channel, chains, peers, agreedHeight, findings);
    checkTransactions(channel, chains, agreed, agreedHeight, acked, unacked, findings, counts);
    checkPeerStates(channel, peers, findings);
    return agreedHeight;
  }

  private void checkIntegrity(NodeChain chain, List<Finding> findings) {
    BlockDigest prev = null;
    for (BlockDigest b : chain.blocks()) {
      String where = chain.node() + " " + chain.channel() + " block [" + b.number() + "]";
      if (prev != null && b.number() == prev.number()) {
        findings.add(integrity(chain, b.number(), where + " appears twice in the ledger"));
      } else if (prev != null && b.number() != prev.number() + 1) {
        findings.add(integrity(chain, prev.number() + 1, chain.node() + " " + chain.channel()
            + " blocks [" + (prev.number() + 1) + ".." + (b.number() - 1) + "] are missing"));
      } else if (prev != null && !b.previousHash().equals(prev.headerHash())) {
        findings.add(integrity(chain, b.number(), where + " previous hash "
            + shortHash(b.previousHash()) + " does not match header hash "
            + shortHash(prev.headerHash()) + " of block [" + prev.number() + "]: the chain is broken"));
      }
      if (!b.dataIntact()) {
        findings.add(integrity(chain, b.number(), where + " data hashes to "
            + shortHash(b.computedDataHash()) + " but its header says " + shortHash(b.dataHash())
            + ": the block's transactions were altered after it was cut"));
      }
      prev = b;
    }
  }

  private static Finding integrity(NodeChain chain, long block, String message) {
    return new Finding(Severity.FAIL, Check.CHAIN_INTEGRITY, chain.channel(), block,
        List.of(chain.node()), message);
  }

  private void reportLagging(String channel, List<NodeChain> chains, List<PeerLedger> peers,
      long agreedHeight, List<Finding> findings) {
    Map<String, Long> heights = new LinkedHashMap<>();
    chains.forEach(c -> heights.put(c.node(), c.height()));
    peers.forEach(p -> heights.put(p.node(), p.height()));
    heights.forEach((node, height) -> {
      if (height < agreedHeight) {
        findings.add(new Finding(Severity.WARN, Check.NOT_CONVERGED, channel, height, List.of(node),
            node + " " + channel + " is at height " + height + ", the agreed chain at "
                + agreedHeight + " (not caught up when collected; blocks above " + (height - 1)
                + " are not checked on it)"));
      }
    });
  }

  private void checkTransactions(String channel, List<NodeChain> chains, List<BlockDigest> agreed,
      long agreedHeight, List<AcknowledgedTx> acked, Set<String> unacked, List<Finding> findings,
      Counts counts) {
    Map<String, List<Long>> agreedIndex = new HashMap<>();
    for (BlockDigest b : agreed) {
      for (String tx : b.txIds()) {
        agreedIndex.computeIfAbsent(tx, t -> new ArrayList<>()).add(b.number());
      }
    }
    if (chains.isEmpty() && !acked.isEmpty()) {
      findings.add(new Finding(Severity.FAIL, Check.NOT_COLLECTED, channel, -1, List.of(),
          "no orderer chain was collected for " + channel + ": cannot verify " + acked.size()
              + " acknowledged transaction(s)"));
      counts.acknowledged += acked.size();
      return;
    }
    Set<String> ackedIds = new java.util.HashSet<>();
    for (AcknowledgedTx tx : acked) {
      ackedIds.add(tx.txId());
      counts.acknowledged++;
      List<Long> blocks = agreedIndex.getOrDefault(tx.txId(), List.of());
      String who = "tx " + shortHash(tx.txId()) + " acknowledged by " + tx.orderer() + " at "
          + clock.format(tx.ackedAt());
      if (blocks.size() == 1) {
        counts.once++;
      } else if (blocks.isEmpty()) {
        counts.lost++;
        List<String> elsewhere = findElsewhere(tx.txId(), chains);
        findings.add(new Finding(Severity.FAIL, Check.TX_LOST, channel, -1, List.of(tx.orderer()),
            elsewhere.isEmpty()
                ? who + " is missing from every chain of " + channel + " (agreed height "
                    + agreedHeight + ")"
                : who + " is not in the agreed chain of " + channel + "; only in "
                    + String.join(", ", elsewhere)));
      } else {
        counts.duplicated++;
        findings.add(new Finding(Severity.FAIL, Check.TX_DUPLICATED, channel, blocks.get(1),
            List.of(tx.orderer()), who + " appears " + blocks.size() + " times in " + channel
                + ": blocks " + blocks));
      }
    }
    agreedIndex.forEach((tx, blocks) -> {
      if (ackedIds.contains(tx)) {
        return;
      }
      if (unacked.contains(tx)) {
        counts.withoutAck++;
      }
      if (blocks.size() > 1) {
        findings.add(new Finding(Severity.WARN, Check.TX_DUPLICATED, channel, blocks.get(1),
            List.of(), "unacknowledged tx " + shortHash(tx) + " appears " + blocks.size()
                + " times in " + channel + ": blocks " + blocks));
      }
    });
  }

  private static List<String> findElsewhere(String txId, List<NodeChain> chains) {
    List<String> places = new ArrayList<>();
    for (NodeChain chain : chains) {
      for (BlockDigest b : chain.blocks()) {
        if (b.txIds().contains(txId)) {
          places.add(chain.node() + " block [" + b.number() + "]");
        }
      }
    }
    return places;
  }

  private void checkPeerStates(String channel, List<PeerLedger> peers, List<Finding> findings) {
    Map<Long, Map<String, List<String>>> byHeight = new TreeMap<>();
    for (PeerLedger p : peers) {
      if (p.stateHash() != null) {
        byHeight.computeIfAbsent(p.height(), h -> new LinkedHashMap<>())
            .computeIfAbsent(p.stateHash(), s -> new ArrayList<>()).add(p.node());
      }
    }
    byHeight.forEach((height, groups) -> {
      if (groups.size() < 2) {
        return;
      }
      List<Map.Entry<String, List<String>>> sorted = new ArrayList<>(groups.entrySet());
      sorted.sort(Comparator.<Map.Entry<String, List<String>>>comparingInt(g -> -g.getValue().size())
          .thenComparing(Map.Entry::getKey));
      var top = sorted.get(0);
      for (var group : sorted.subList(1, sorted.size())) {
        for (String node : group.getValue()) {
          findings.add(new Finding(Severity.FAIL, Check.STATE_DIVERGENCE, channel, height - 1,
              List.of(node), node + " " + channel + " state hash at height " + height + " "
                  + shortHash(group.getKey()) + " differs from " + shortHash(top.getKey()) + " on "
                  + top.getValue().size() + " other peer(s) (" + names(top.getValue()) + ")"));
        }
      }
    });
  }

  private static long countIn(List<String> nodes, Set<String> orderers) {
    return nodes.stream().filter(orderers::contains).count();
  }

  private static String kindOf(List<String> nodes, Set<String> orderers) {
    long o = countIn(nodes, orderers);
    if (o == nodes.size()) {
      return nodes.size() == 1 ? "orderer" : "orderers";
    }
    if (o == 0) {
      return nodes.size() == 1 ? "peer" : "peers";
    }
    return "nodes";
  }

  private static String names(List<String> nodes) {
    if (nodes.size() <= NAMES_SHOWN) {
      return String.join(", ", nodes);
    }
    return String.join(", ", nodes.subList(0, NAMES_SHOWN)) + ", … +"
        + (nodes.size() - NAMES_SHOWN);
  }

  /** First 10 hex digits and an ellipsis: enough to tell hashes apart in a report. */
  public static String shortHash(String hex) {
    Objects.requireNonNull(hex, "hex");
    return hex.length() <= 10 ? hex : hex.substring(0, 10) + "…";
  }

  public static String formatTime(Instant t, ZoneId zone) {
    return DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone).format(t);
  }

  private static final class Divergence {
    final long block;
    final String hash;
    final String majorityHash;
    final List<String> majorityNodes;
    final boolean tie;
    int laterBlocks;

    Divergence(long block, String hash, String majorityHash, List<String> majorityNodes,
        boolean tie) {
      this.block = block;
      this.hash = hash;
      this.majorityHash = majorityHash;
      this.majorityNodes = majorityNodes;
      this.tie = tie;
    }
  }

  private static final class Counts {
    int acknowledged;
    int once;
    int lost;
    int duplicated;
    int withoutAck;
  }
}
