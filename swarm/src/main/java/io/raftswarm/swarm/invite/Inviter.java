package io.raftswarm.swarm.invite;

import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.Swarm;
import com.github.dockerjava.api.model.SwarmInfo;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.HostSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code raftswarm invite HOST}: on the manager's operator machine, hands an invited host
 * everything it needs to join, without SSH to it. Reads the swarm's join token from the
 * manager's engine (over SSH, as provision does), packs HOST's bundle ({@link InviteBundle}),
 * serves it once over HTTPS ({@link InviteServer}) and prints the {@link InviteLine} for HOST's
 * operator. Returns when the bundle was fetched completely, or throws at the timeout.
 */
public final class Inviter {
  /**
   * @param listen where to listen, null for any address and a free port; its address is put in
   *     the URL unless it is the wildcard, in which case the address this machine uses towards
   *     HOST is
   */
  public record Options(Path networkDir, String host, InetSocketAddress listen, Duration timeout) {}

  private final Options options;
  private final PrintWriter out;

  public Inviter(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** @return true when the bundle was fetched, false at the timeout */
  public boolean run() throws IOException, InterruptedException {
    Path profileFile = options.networkDir().resolve("network.json");
    if (!Files.isRegularFile(profileFile)) {
      throw new UserError("no network.json in " + options.networkDir() + "; run raftswarm provision --out "
          + options.networkDir() + " first (or pass --network DIR)");
    }
    NetworkProfile profile = NetworkProfile.read(profileFile);
    HostAccess host = profile.host(options.host());
    if (!host.invite()) {
      throw new UserError(host.name() + " is not invited (no invite: true in the inventory): provision reaches it over"
          + " SSH. Mark it invite: true and run raftswarm provision again, or provision it directly");
    }
    HostAccess manager = profile.hosts().stream().filter(h -> h.manager() && !h.invite()).findFirst()
        .orElseThrow(() -> new UserError("network.json names no manager that provision reaches; render the network again"));
    say("reading the swarm join token from " + manager.name() + "'s engine (" + manager.address() + ", over SSH)");
    String managerAddress;
    String token;
    try (HostSession m = HostSession.open(manager)) {
      SwarmInfo info = m.docker().client().infoCmd().exec().getSwarm();
      if (info == null || info.getLocalNodeState() != LocalNodeState.ACTIVE
          || !Boolean.TRUE.equals(info.getControlAvailable())) {
        throw new UserError(manager.name() + " is not an active swarm manager (state "
            + (info == null ? "unknown" : info.getLocalNodeState()) + "); run raftswarm provision first");
      }
      Swarm swarm = m.docker().client().inspectSwarmCmd().exec();
      token = host.manager() ? swarm.getJoinTokens().getManager() : swarm.getJoinTokens().getWorker();
      String nodeAddr = info.getNodeAddr() == null || info.getNodeAddr().isBlank() ? manager.address() : info.getNodeAddr();
      managerAddress = nodeAddr + ":2377";
    }
    Path dir = Files.createTempDirectory("raftswarm-invite", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try {
      say("packing " + host.name() + "'s bundle (compose file, its nodes' crypto, channel blocks, images"
          + (profile.peers().stream().anyMatch(p -> p.host().equals(host.name())) ? ", its org's admin" : "") + ")");
      InviteBundle bundle = InviteBundle.pack(profile, options.networkDir(), host.name(), dir.resolve(host.name() + ".tar"));
      say("bundle: " + bundle.size() / (1 << 20) + " MiB, SHA-256 " + bundle.sha256());
      InetSocketAddress bind = options.listen() == null ? new InetSocketAddress(0) : options.listen();
      String advertised = bind.getAddress() != null && !bind.getAddress().isAnyLocalAddress()
          ? bind.getAddress().getHostAddress() : localAddressTowards(host.address());
      try (InviteServer server = InviteServer.start(bind, advertised, bundle.tar(), host.name() + ".tar", this::say)) {
        URI url = URI.create("https://" + advertised + ":" + server.port() + server.path());
        InviteLine line = new InviteLine(managerAddress, token, url, server.fingerprint(), bundle.sha256());
        out.println();
        out.println("On " + host.name() + " (" + host.address() + "), its operator runs, as root:");
        out.println();
        out.println(line.format());
        out.println();
        out.println("(it also takes --docker unix:///var/run/docker.sock and --work-dir " + host.workDir()
            + "). Waiting up to " + options.timeout().toMinutes() + " min for the fetch ...");
        out.flush();
        boolean fetched = server.awaitFetched(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (fetched) {
          say("done: " + host.name() + " has its bundle; its operator's raftswarm join does the rest");
        }
        return fetched;
      }
    } finally {
      deleteTree(dir);
    }
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  /** The local address the kernel routes towards {@code address} (a UDP connect sends nothing). */
  static String localAddressTowards(String address) {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(InetAddress.getByName(address), 9);
      InetAddress local = s.getLocalAddress();
      if (local == null || local.isAnyLocalAddress()) {
        throw new UserError("no route from this machine to " + address + "; pass --listen ADDR:PORT with an address"
            + " that host reaches");
      }
      return local.getHostAddress();
    } catch (IOException e) {
      throw new UserError("cannot find this machine's address towards " + address + " (" + e.getMessage()
          + "); pass --listen ADDR:PORT with an address that host reaches");
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      // best effort: a temp dir
    }
  }
}
