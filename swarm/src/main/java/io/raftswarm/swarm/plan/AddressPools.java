package io.raftswarm.swarm.plan;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Picks swarm's {@code --default-addr-pool}: the first candidate that contains none of the
 * hosts' addresses, so an overlay subnet can never shadow the hosts' own segment.
 */
public final class AddressPools {
  public static final List<String> CANDIDATES = List.of("10.201.0.0/16", "10.202.0.0/16",
      "10.203.0.0/16", "192.168.240.0/20");

  private AddressPools() {}

  public static String choose(List<String> hostAddresses) {
    for (String pool : CANDIDATES) {
      if (hostAddresses.stream().noneMatch(a -> contains(pool, a))) {
        return pool;
      }
    }
    throw new IllegalStateException("every candidate address pool overlaps a host address: "
        + hostAddresses);
  }

  /** True if {@code address} (an IPv4 literal; names are resolved) is inside {@code cidr}. */
  public static boolean contains(String cidr, String address) {
    String[] p = cidr.split("/");
    int bits = Integer.parseInt(p[1]);
    try {
      byte[] net = InetAddress.getByName(p[0]).getAddress();
      byte[] a = InetAddress.getByName(address).getAddress();
      if (a.length != net.length) {
        return false;
      }
      long n = toLong(net);
      long x = toLong(a);
      long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
      return (n & mask) == (x & mask);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static long toLong(byte[] b) {
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xFF);
    }
    return v;
  }
}
