package io.raftswarm.swarm.provision;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.raftswarm.common.fabric.LeaderHost;
import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.status.OrdererStatus;
import io.raftswarm.common.status.PeerChannelStatus;
import io.raftswarm.common.status.PeerStatus;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The state of every orderer and peer per channel, read from their operations /status: role,
 * term, leader, height, last block hash, and whether all nodes agree; and when each node's
 * certificates expire. Shared by {@code raftswarm status} and provision's report.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkStatus(String network, List<ChannelView> channels, List<CertificateView> certificates) {

  /**
   * When a node's TLS and enrollment certificates expire (ISO-8601) and the whole days left; null
   * when the file is not in the crypto tree on this machine.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CertificateView(String node, String tlsNotAfter, Long tlsDaysLeft, String enrollmentNotAfter,
      Long enrollmentDaysLeft) {}

  /** One node's view of one channel; absent values are null (node unreachable or not joined). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodeView(String node, String kind, String host, String role, Long term,
      Long leaderId, String leader, Long height, String lastBlockHash, boolean reachable) {}

  /**
   * @param leader the agreed leader's name, or null when there is none (yet) or views differ
   * @param leaderHost the agreed leader's host, or null
   * @param preferredHost where the orderers prefer the leader ({@link LeaderHost}: the host running
   *     the most of the orderers that serve the channel), or null when no host runs two
   * @param allAgree every node answered with the same height and last block hash
   */
  public record ChannelView(String channel, String leader, String leaderHost, String preferredHost, Long term,
      boolean allAgree, List<NodeView> nodes) {}

  public static NetworkStatus query(NetworkProfile profile, OperationsClient ops) {
    List<NetworkProfile.NodeEntry> nodes = profile.nodes();
    List<CompletableFuture<Object>> fs = new ArrayList<>();
    for (NetworkProfile.NodeEntry n : nodes) {
      fs.add(CompletableFuture.supplyAsync(() -> n.isOrderer()
          ? ops.ordererStatus(n.operationsEndpoint()) : ops.peerStatus(n.operationsEndpoint()),
          ProvisionThreads.POOL));
    }
    List<Object> answers = fs.stream().map(CompletableFuture::join).toList();
    List<ChannelView> views = new ArrayList<>();
    for (String ch : profile.channels()) {
      List<NodeView> nv = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        NetworkProfile.NodeEntry n = nodes.get(i);
        nv.add(view(profile, n, ch, answers.get(i)));
      }
      List<NodeView> orderers = nv.stream().filter(v -> "orderer".equals(v.kind())).toList();
      List<Long> leaders = orderers.stream().map(NodeView::leaderId).distinct().toList();
      long leaderRoles = orderers.stream().filter(v -> "LEADER".equals(v.role())).count();
      String leader = null;
      String leaderHost = null;
      Long term = null;
      if (leaders.size() == 1 && leaders.get(0) != null && leaders.get(0) > 0 && leaderRoles == 1) {
        NodeView lv = orderers.stream().filter(v -> "LEADER".equals(v.role())).findFirst().orElseThrow();
        leader = lv.node();
        leaderHost = lv.host();
        term = lv.term();
      }
      String preferredHost = LeaderHost.of(orderers.stream().filter(v -> v.role() != null).map(NodeView::host).toList())
          .orElse(null);
      boolean agree = nv.stream().allMatch(NodeView::reachable)
          && nv.stream().map(v -> v.height() + "/" + v.lastBlockHash()).distinct().count() == 1
          && nv.get(0).height() != null;
      views.add(new ChannelView(ch, leader, leaderHost, preferredHost, term, agree, nv));
    }
    return new NetworkStatus(profile.name(), views, CertificateDates.of(profile, Instant.now()));
  }

  @SuppressWarnings("unchecked")
  private static NodeView view(NetworkProfile profile, NetworkProfile.NodeEntry n, String ch,
      Object answer) {
    if (n.isOrderer()) {
      Optional<OrdererStatus> s = (Optional<OrdererStatus>) answer;
      Optional<OrdererChannelStatus> c = s.flatMap(x -> x.channel(ch));
      if (c.isEmpty()) {
        return new NodeView(n.name(), "orderer", n.host(), null, null, null, null, null, null, s.isPresent());
      }
      OrdererChannelStatus v = c.get();
      String leader = profile.orderers().stream().filter(o -> o.consenterId() == v.leaderId())
          .map(NetworkProfile.NodeEntry::name).findFirst().orElse(null);
      return new NodeView(n.name(), "orderer", n.host(), v.role(), v.term(), (long) v.leaderId(), leader,
          v.height(), v.lastBlockHash(), true);
    }
    Optional<PeerStatus> s = (Optional<PeerStatus>) answer;
    Optional<PeerChannelStatus> c = s.flatMap(x -> x.channel(ch));
    return c.map(v -> new NodeView(n.name(), "peer", n.host(), "peer", null, null, null, v.height(),
            v.lastBlockHash(), true))
        .orElse(new NodeView(n.name(), "peer", n.host(), s.isPresent() ? "not joined" : null, null,
            null, null, null, null, s.isPresent()));
  }

  /** True when every channel has one agreed leader and all nodes hold identical chains. */
  public boolean healthy() {
    return channels.stream().allMatch(c -> c.leader() != null && c.allAgree());
  }

  /**
   * True when every channel has one agreed leader, every node serves it, and no two nodes hold
   * different blocks at the same height: healthy, or ordering while clients send (nodes a few
   * blocks apart at the moment of the poll), as after a provision run under load.
   */
  public boolean consistent() {
    return channels.stream().allMatch(c -> c.leader() != null && consistent(c));
  }

  private static boolean consistent(ChannelView c) {
    if (!c.nodes().stream().allMatch(v -> v.reachable() && v.height() != null)) {
      return false;
    }
    Map<Long, Set<String>> hashesByHeight = new HashMap<>();
    c.nodes().forEach(v -> hashesByHeight.computeIfAbsent(v.height(), h -> new HashSet<>()).add(v.lastBlockHash()));
    return hashesByHeight.values().stream().allMatch(hashes -> hashes.size() == 1);
  }

  private static String agreement(ChannelView c) {
    if (c.allAgree()) {
      return "all nodes agree";
    }
    if (consistent(c)) {
      LongSummaryStatistics heights = c.nodes().stream().mapToLong(NodeView::height).summaryStatistics();
      return "ordering: nodes at heights " + heights.getMin() + ".." + heights.getMax() + ", none disagrees";
    }
    return "NODES DISAGREE or unreachable";
  }

  public void printTable(PrintWriter out) {
    for (ChannelView c : channels) {
      out.printf("channel %s: leader %s%s%s, %s%n", c.channel(),
          c.leader() == null ? "NONE/disputed" : c.leader(),
          c.leaderHost() == null ? "" : " on " + c.leaderHost(),
          c.term() == null ? "" : " (term " + c.term() + ")",
          agreement(c));
      if (c.leaderHost() != null && c.preferredHost() != null && !c.leaderHost().equals(c.preferredHost())) {
        out.printf("  note: %s runs most of this channel's orderers; a leader there commits without waiting for"
            + " another host, and the orderers prefer one there at the next election%n", c.preferredHost());
      }
      out.printf("  %-28s %-7s %-10s %5s %-28s %7s  %s%n", "NODE", "HOST", "ROLE", "TERM", "LEADER",
          "HEIGHT", "LAST BLOCK HASH");
      for (NodeView v : c.nodes()) {
        out.printf("  %-28s %-7s %-10s %5s %-28s %7s  %s%n", v.node(), v.host(),
            v.reachable() ? nz(v.role()) : "UNREACHABLE", nz(v.term()), nz(v.leader()),
            nz(v.height()), v.lastBlockHash() == null ? "-" : shortHash(v.lastBlockHash()));
      }
    }
    printCertificates(out);
    out.flush();
  }

  private void printCertificates(PrintWriter out) {
    if (certificates == null || certificates.isEmpty()) {
      return;
    }
    out.printf("certificates (expire, days left):%n  %-28s %-24s %s%n", "NODE", "TLS", "ENROLLMENT");
    List<String> soon = new ArrayList<>();
    for (CertificateView c : certificates) {
      out.printf("  %-28s %-24s %s%n", c.node(), expiry(c.tlsNotAfter(), c.tlsDaysLeft()),
          expiry(c.enrollmentNotAfter(), c.enrollmentDaysLeft()));
      if (c.tlsDaysLeft() != null && c.tlsDaysLeft() < CertificateDates.WARN_DAYS) {
        soon.add(c.node() + " TLS (" + c.tlsDaysLeft() + " days)");
      }
      if (c.enrollmentDaysLeft() != null && c.enrollmentDaysLeft() < CertificateDates.WARN_DAYS) {
        soon.add(c.node() + " enrollment (" + c.enrollmentDaysLeft() + " days)");
      }
    }
    if (!soon.isEmpty()) {
      out.println("WARNING: certificates expire within " + CertificateDates.WARN_DAYS + " days or have expired: "
          + String.join(", ", soon) + "; a node with an expired certificate is refused by the others: renew them");
    }
  }

  private static String expiry(String notAfter, Long daysLeft) {
    return notAfter == null ? "- (not in the crypto tree)" : notAfter.substring(0, 10) + " (" + daysLeft + ")";
  }

  private static String nz(Object o) {
    return o == null ? "-" : o.toString();
  }

  static String shortHash(String h) {
    return h.length() > 16 ? h.substring(0, 16) + "…" : h;
  }
}
