package io.raftswarm.swarm.plan;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fixed addresses on the overlay network, one per container. Docker gives a restarted container
 * a new overlay address when none is fixed; the other orderers' open connections to the old one
 * then hang (nobody answers that address) for ~15 s instead of failing at once, which stalled
 * elections and forwards after every restart in the drills. With a fixed address the restarted
 * container's kernel resets those connections immediately.
 *
 * <p>Fixed addresses come from the lower half of the subnet; the network's IP range (what
 * Docker hands out by itself, e.g. each host's load-balancer endpoint on the overlay) is the
 * upper half. Without that split, a host whose containers had all stopped re-created its
 * load-balancer endpoint on the address of a container not yet restarted, which then could not
 * start ("Address already in use"; the restart-all drill, 2026-12-03).
 *
 * @param pool swarm's default address pool (swarm init's {@code --default-addr-pool})
 * @param subnet the overlay network's subnet: the inventory's {@code network.subnet}, else the
 *     last /22 of the pool (Docker's automatic /24s come from the start of the pool)
 * @param byFqdn each container's address, in plan order (orderers, then peers)
 */
public record OverlayAddresses(String pool, String subnet, Map<String, String> byFqdn) {
  /** Addresses below base + this are left to Docker (gateway, and room for helpers). */
  static final int FIRST_HOST_OFFSET = 10;
  /** Nodes a derived /22 subnet holds: its lower half after the offset. */
  public static final int DERIVED_CAPACITY = 512 - FIRST_HOST_OFFSET;

  public OverlayAddresses {
    // Plan order matters to readers (network.json, status); Map.copyOf would scramble it.
    byFqdn = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byFqdn));
  }

  /** How many containers {@code cidr} can address: its lower half after the reserved offset. */
  public static int capacity(String cidr) {
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, size(cidr) / 2 - FIRST_HOST_OFFSET));
  }

  /** The part of the subnet Docker allocates from by itself (its upper half), disjoint from every fixed address. */
  public String ipRange() {
    int bits = Integer.parseInt(subnet.substring(subnet.indexOf('/') + 1));
    return dotted(network(subnet) + size(subnet) / 2) + "/" + (bits + 1);
  }

  private static long size(String cidr) {
    return 1L << (32 - Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)));
  }

  /**
   * @param hostAddresses every host's address (the pool must hold none of them)
   * @param subnet the inventory's {@code network.subnet}, if given
   */
  static OverlayAddresses plan(List<String> hostAddresses, Optional<String> subnet,
      List<NetworkPlan.PlannedNode> nodes) {
    String pool = AddressPools.choose(hostAddresses);
    String overlaySubnet = subnet.orElseGet(() -> lastSlash22(pool));
    long base = network(overlaySubnet);
    Map<String, String> byFqdn = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      byFqdn.put(nodes.get(i).fqdn(), dotted(base + FIRST_HOST_OFFSET + i));
    }
    return new OverlayAddresses(pool, overlaySubnet, byFqdn);
  }

  /**
   * The same pool and subnet with the addresses a running network already uses kept (the
   * previous render's network.json): containers added to the inventory get free addresses, and
   * no running container's address moves, whatever the order of the nodes.
   */
  public OverlayAddresses keeping(Map<String, String> previous, List<NetworkPlan.PlannedNode> nodes) {
    long base = network(subnet);
    long end = base + size(subnet) / 2; // first address of the IP range
    Map<String, String> kept = new LinkedHashMap<>();
    java.util.Set<String> used = new java.util.HashSet<>();
    for (NetworkPlan.PlannedNode n : nodes) {
      String address = previous.get(n.fqdn());
      if (address != null && inside(address, base, end) && used.add(address)) {
        kept.put(n.fqdn(), address);
      }
    }
    Map<String, String> assigned = new LinkedHashMap<>();
    long next = base + FIRST_HOST_OFFSET;
    for (NetworkPlan.PlannedNode n : nodes) {
      String address = kept.get(n.fqdn());
      while (address == null) {
        if (next >= end) {
          throw new IllegalArgumentException("overlay subnet " + subnet + " has no free fixed address left for "
              + n.fqdn() + " (its upper half, " + ipRange() + ", is Docker's)");
        }
        String candidate = dotted(next++);
        if (used.add(candidate)) {
          address = candidate;
        }
      }
      assigned.put(n.fqdn(), address);
    }
    return new OverlayAddresses(pool, subnet, assigned);
  }

  private static boolean inside(String address, long base, long end) {
    try {
      long a = network(address + "/32");
      return a >= base + FIRST_HOST_OFFSET && a < end;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String lastSlash22(String pool) {
    int bits = Integer.parseInt(pool.substring(pool.indexOf('/') + 1));
    long end = network(pool) + (1L << (32 - bits));
    return dotted(end - 1024) + "/22";
  }

  private static long network(String cidr) {
    int bits = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    try {
      byte[] b = InetAddress.getByName(cidr.substring(0, cidr.indexOf('/'))).getAddress();
      long a = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
      long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
      return a & mask;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr, e);
    }
  }

  private static String dotted(long a) {
    return ((a >> 24) & 0xFF) + "." + ((a >> 16) & 0xFF) + "." + ((a >> 8) & 0xFF) + "." + (a & 0xFF);
  }
}
