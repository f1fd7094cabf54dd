package io.raftswarm.common.fabric;

/** {@code host:port} strings as Fabric's config holds them. */
final class Endpoints {
  private Endpoints() {}

  static void requireHostPort(String endpoint, String what) {
    host(endpoint, what);
  }

  /** The host part of {@code host:port} (IPv6 in brackets allowed). */
  static String host(String endpoint, String what) {
    int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
    if (colon <= 0 || colon == endpoint.length() - 1) {
      throw new IllegalArgumentException(what + " \"" + endpoint + "\" is not host:port");
    }
    try {
      int port = Integer.parseInt(endpoint.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(what + " \"" + endpoint + "\" has port " + port + ", outside 1..65535");
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " \"" + endpoint + "\" has no numeric port");
    }
    return endpoint.substring(0, colon);
  }
}
