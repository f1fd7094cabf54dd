package io.raftswarm.swarm.inventory;

import io.raftswarm.common.fabric.BatchSettings;
import io.raftswarm.common.fabric.OrdererMemory;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.error.UserText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates an inventory ({@code hosts.yml}). Every problem found is reported, each
 * as {@code file:line: field: what is wrong; expected ...} (see {@link Problem}), in one
 * {@link InventoryException}. Defaults are applied and published ports assigned here, so the
 * returned {@link Inventory} is complete. The format is documented in {@code inventory/README.md}.
 */
public final class InventoryLoader {
  // Caps on what one file may ask render to generate (crypto, compose services): a hostile
  // inventory under the size cap could otherwise declare tens of thousands of nodes and fill
  // the disk with key material. Far above any real ordering network.
  static final int MAX_ORDERERS = 51;
  static final int MAX_PEER_ORGS = 50;
  static final int MAX_PEERS_PER_ORG = 100;

  /** Whether local files the inventory names (SSH key, known_hosts, image tars) must exist. */
  public enum LocalFiles {
    /** Provisioning: a missing key or known_hosts file is an error. */
    MUST_EXIST,
    /** Rendering never uses them: a missing file is only a warning. */
    MAY_BE_MISSING
  }

  public static final String DEFAULT_NETWORK = "first-network";
  public static final String DEFAULT_CHANNEL = "mychannel";
  public static final String DEFAULT_ORDERER_IMAGE = "raftswarm/orderer:latest";
  public static final String DEFAULT_PEER_IMAGE = "raftswarm/peer:latest";
  public static final String DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";
  /** Host ports Docker Swarm itself needs; no container may publish them. */
  private static final Set<Integer> SWARM_PORTS = Set.of(2377, 7946, 4789);

  /** Loads with every local file required, as {@code provision} needs it. */
  public static Inventory load(Path file) {
    return load(file, LocalFiles.MUST_EXIST);
  }

  /** Loads for {@code render}, which never opens the SSH key, known_hosts or image tars. */
  public static Inventory loadForRender(Path file) {
    return load(file, LocalFiles.MAY_BE_MISSING);
  }

  public static Inventory load(Path file, LocalFiles localFiles) {
    Path source = file.toAbsolutePath().normalize();
    String shown = UserText.escape(file);
    if (Files.isDirectory(source)) {
      throw new UserError("inventory " + shown + " is a directory, not a file; pass --inventory"
          + " with the path of the hosts.yml file (examples: inventory/two-hosts.yml)");
    }
    if (!Files.exists(source)) {
      throw new UserError("inventory file " + shown + " does not exist; pass --inventory with the"
          + " path of a hosts.yml (examples: inventory/two-hosts.yml)");
    }
    if (!Files.isRegularFile(source)) {
      throw new UserError("inventory " + shown + " is not a regular file (a device, socket or"
          + " pipe); pass --inventory with the path of a hosts.yml file");
    }
    return new InventoryLoader(source, file.toString(), localFiles).read();
  }

  private static final String ADDRESS_EXPECTED =
      "an IPv4 address or a host name, e.g. 192.168.0.11 or host2.lan";

  private final Path source;
  private final String displayName;
  /** Invited host name to the line of its {@code invite} key. */
  private final Map<String, Integer> inviteLines = new HashMap<>();

  /** Host name to its {@code address} as written (line and field). */
  private final Map<String, YamlSection.Scalar> addressScalars = new HashMap<>();

  /** Host name to the line of its {@code ssh.port}, 0 when the port is the default 22. */
  private final Map<String, Integer> sshPortLines = new HashMap<>();
  private final Problems problems;
  private final LocalFiles localFiles;

  private InventoryLoader(Path source, String displayName, LocalFiles localFiles) {
    this.source = source;
    this.displayName = displayName;
    this.problems = new Problems(displayName);
    this.localFiles = localFiles;
  }

  /** Node being read; ports are filled in once every node on the host is known. */
  private static final class Draft {
    final String kind;
    final String fqdn;
    final String host;
    final String field;
    final int line;
    Integer port;
    int portLine;
    Integer opsPort;
    int opsLine;
    /** Orderers only: the admin (channel participation) port. */
    Integer adminPort;
    int adminLine;
    /** Orderers only: the Raft cluster port. */
    Integer clusterPort;
    int clusterLine;

    Draft(String kind, String fqdn, String host, String field, int line) {
      this.kind = kind;
      this.fqdn = fqdn;
      this.host = host;
      this.field = field;
      this.line = line;
    }
  }

  private record PortPlan(int ordererBase, int peerBase, int step, int ordererOps, int peerOps, int ordererAdmin,
      int ordererCluster) {}

  private Inventory read() {
    Node root = compose();
    YamlSection top = YamlSection.of(root, "", YamlSection.line(root), problems);

    Inventory.Network network = readNetwork(top.section("network"));
    PortPlan ports = readPorts(top.section("ports"));
    List<Inventory.Host> hosts = readHosts(top);
    Map<String, Inventory.Host> hostsByName = new LinkedHashMap<>();
    hosts.forEach(h -> hostsByName.putIfAbsent(h.name(), h));

    Inventory.OrdererOrg ordererOrg = readOrdererOrg(top.section("ordererOrg"));
    List<Draft> drafts = new ArrayList<>();
    Map<String, Draft> byFqdn = new HashMap<>();
    List<String> ordererNames = readOrderers(top, ordererOrg, hostsByName, drafts, byFqdn);
    List<PeerOrgDraft> peerOrgs = readPeerOrgs(top, ordererOrg, hostsByName, drafts, byFqdn);
    RaftOptions raft = readRaft(top.section("raft"));
    BatchSettings batch = readBatch(top.section("batch"), BatchSettings.defaults());
    List<Inventory.Channel> channels = readChannels(top, batch);
    Inventory.Images images = readImages(top.section("images"));
    Inventory.Resources resources = readResources(top.section("resources"), channels);
    top.finish();

    assignPorts(drafts, ports, hostsByName);
    // a set, not a scan of the drafts per host: that was quadratic in a hostile inventory
    Set<String> hostsWithNodes = new HashSet<>();
    drafts.forEach(d -> hostsWithNodes.add(d.host));
    Set<String> hostsWithOrderers = new HashSet<>();
    drafts.stream().filter(d -> d.kind.equals("orderer")).forEach(d -> hostsWithOrderers.add(d.host));
    for (Inventory.Host h : hosts) {
      if (!hostsWithNodes.contains(h.name())) {
        problems.warning(1, "hosts", "host " + h.name() + " runs no orderer and no peer",
            "each host to run at least one node (or remove it)");
      }
      YamlSection.Scalar address = addressScalars.get(h.name());
      if (hostsWithOrderers.contains(h.name()) && !Values.isIpv4(h.address()) && hosts.size() > 1 && address != null) {
        problems.warning(address.line(), address.field(),
            "host " + h.name() + " is named by a host name (" + h.address() + "), so the other hosts' orderers reach"
                + " its orderers over the Swarm overlay, not through its published ports; after a partition"
                + " heals, that path can take 20-35 s to come back",
            "the host's IPv4 address");
      }
    }
    // Every container gets a fixed overlay address (plan's OverlayAddresses): from the 11th
    // address of network.subnet, or of the last /22 of the swarm's address pool, up to the middle
    // (the upper half is the network's IP range, which Docker allocates its own endpoints from).
    int containers = drafts.size();
    int bits = network.subnet().map(c -> Integer.parseInt(c.substring(c.indexOf('/') + 1))).orElse(22);
    long capacity = (1L << (32 - bits)) / 2 - 10;
    if (containers > capacity) {
      problems.error(top.lineOf("network"), "network.subnet", (network.subnet().isPresent()
              ? "subnet " + network.subnet().get() + " holds " + Math.max(0, capacity) + " containers"
              : "the default overlay subnet (a /22) holds " + capacity + " containers")
              + " but the inventory declares " + containers + " orderers and peers",
          "a subnet of at least twice the containers plus 20 addresses: the upper half is left to Docker"
              + " (e.g. /20 for up to 2,038)");
    }
    problems.throwIfAny();

    List<Inventory.Orderer> orderers = new ArrayList<>();
    for (int i = 0; i < ordererNames.size(); i++) {
      Draft d = drafts.get(i);
      orderers.add(new Inventory.Orderer(ordererNames.get(i), d.host, d.port, d.clusterPort, d.opsPort, d.adminPort));
    }
    List<Inventory.PeerOrg> orgs = new ArrayList<>();
    for (PeerOrgDraft o : peerOrgs) {
      List<Inventory.Peer> peers = new ArrayList<>();
      for (int i = 0; i < o.peerNames.size(); i++) {
        Draft d = o.drafts.get(i);
        peers.add(new Inventory.Peer(o.peerNames.get(i), d.host, d.port, d.opsPort));
      }
      orgs.add(new Inventory.PeerOrg(o.name, o.domain, o.mspId, o.users, peers));
    }
    List<String> warnings = problems.warnings().stream().map(Problem::toString).toList();
    return new Inventory(source, network, hosts, ordererOrg, orderers, orgs, channels, raft,
        images, resources, warnings);
  }

  private Node compose() {
    return InventoryYaml.compose(InventoryText.read(source, displayName, problems), problems);
  }

  // ---- network, ports -------------------------------------------------------------------

  private Inventory.Network readNetwork(YamlSection s) {
    String name = s.value("name", v -> Values.isNetworkName(v) ? v : null,
        "a Docker network name like first-network").orElse(DEFAULT_NETWORK);
    Optional<String> subnet = s.value("subnet", v -> Values.isIpv4Cidr(v) ? v : null,
        "an IPv4 CIDR like 10.20.0.0/16");
    // The kernel accepts 1000..120000 ms (Documentation/networking/ip-sysctl.rst).
    Optional<Duration> tcpRtoMax = s.value("tcpRtoMax", v -> {
      Duration d = Values.duration(v);
      return d != null && d.toMillis() >= 1000 && d.toMillis() <= 120_000 && d.toNanos() % 1_000_000 == 0
          ? d : null;
    }, "a duration from 1s to 120s in whole milliseconds, like 1s (the kernel's net.ipv4.tcp_rto_max_ms)");
    s.finish();
    return new Inventory.Network(name, subnet, tcpRtoMax);
  }

  private PortPlan readPorts(YamlSection s) {
    String expected = "a port number 1..65535";
    PortPlan plan = new PortPlan(
        s.integer("ordererBase", 1, 65535, expected).orElse(7050),
        s.integer("peerBase", 1, 65535, expected).orElse(7051),
        s.integer("step", 1, 10000, "a step between 1 and 10000").orElse(1000),
        s.integer("ordererOperationsBase", 1, 65535, expected).orElse(8443),
        s.integer("peerOperationsBase", 1, 65535, expected).orElse(9443),
        s.integer("ordererAdminBase", 1, 65535, expected).orElse(7053),
        s.integer("ordererClusterBase", 1, 65535, expected).orElse(7052));
    s.finish();
    return plan;
  }

  // ---- hosts ------------------------------------------------------------------------------

  private List<Inventory.Host> readHosts(YamlSection top) {
    List<YamlSection> sections = top.sections("hosts");
    if (sections.isEmpty()) {
      problems.error(top.lineOf("hosts"), "hosts", "no hosts given",
          "a list of hosts, each with name and address (see inventory/README.md)");
    }
    List<Inventory.Host> hosts = new ArrayList<>();
    Map<String, Integer> nameLines = new HashMap<>();
    Map<String, String> addresses = new HashMap<>();
    boolean anyManager = false;
    for (int i = 0; i < sections.size(); i++) {
      YamlSection h = sections.get(i);
      String name = required(h, "name", Values::isLabel,
          "a lower-case host name like host1 (letters, digits, '-')").orElse("host#" + (i + 1));
      h.scalar("name").ifPresent(sc -> {
        Integer first = nameLines.putIfAbsent(sc.value(), sc.line());
        if (first != null) {
          problems.error(sc.line(), sc.field(), "duplicate host name '" + sc.value()
              + "' (first on line " + first + ")", "a unique name per host");
        }
      });
      String address = readAddress(h);
      h.scalar("address").ifPresent(sc -> {
        addressScalars.put(name, sc);
        String other = addresses.putIfAbsent(sc.value(), name);
        if (other != null) {
          problems.warning(sc.line(), sc.field(), "host " + name + " has the same address as "
              + other, "one address per host (their published ports share one machine)");
        }
      });
      boolean invite = h.bool("invite").orElse(false);
      YamlSection sshSection = h.section("ssh");
      // An invited host is joined by its own operator: provision never logs in, so ssh is optional.
      Inventory.Ssh ssh = invite && !h.has("ssh") ? null : readSsh(sshSection);
      sshPortLines.put(name, ssh != null && sshSection.has("port") ? sshSection.lineOf("port") : 0);
      String user = ssh != null ? ssh.user() : "root";
      String defaultWorkDir = "root".equals(user) ? "/root/raftswarm"
          : "/home/" + user + "/raftswarm";
      String workDir = h.value("workDir", v -> Values.isSafeAbsolutePath(v) ? stripSlash(v) : null,
          "an absolute path without spaces or ':' like /home/hyperledger/raftswarm")
          .orElse(defaultWorkDir);
      boolean manager = h.bool("manager").orElse(false);
      if (invite && manager && !anyManager) {
        problems.error(h.lineOf("invite"), h.field("invite"), "host " + name + " is the first"
            + " manager, which runs `docker swarm init` and answers `raftswarm invite`, so provision"
            + " must reach it over SSH", "invite: true only on a later host; mark a reachable host"
            + " manager: true before it");
      }
      anyManager |= manager;
      String socket = h.value("dockerSocket", v -> Values.isSafeAbsolutePath(v) ? v : null,
          "an absolute path of the Docker socket on that host, like /var/run/docker.sock")
          .orElse(DEFAULT_DOCKER_SOCKET);
      h.finish();
      hosts.add(new Inventory.Host(name, address, ssh, workDir, manager, socket, invite));
      if (invite) {
        inviteLines.put(name, h.lineOf("invite"));
      }
    }
    if (!anyManager && !hosts.isEmpty()) {
      // Swarm needs a manager; the first host is the natural one (it runs `swarm init`).
      Inventory.Host first = hosts.get(0);
      if (first.invite()) {
        problems.error(inviteLines.get(first.name()), "hosts[0].invite", "host " + first.name()
            + " is the Swarm manager (the first host, as no host is marked manager), which runs"
            + " `docker swarm init` and answers `raftswarm invite`, so provision must reach it",
            "invite: true only on a later host, or manager: true on a host provision reaches");
      }
      hosts.set(0, new Inventory.Host(first.name(), first.address(), first.ssh(),
          first.workDir(), true, first.dockerSocket(), first.invite()));
    }
    return hosts;
  }

  /**
   * IPv6 literals are refused: network.json, the compose files and the clients write endpoints
   * as {@code address:port}, which an IPv6 literal makes ambiguous ({@code ::1:7051}).
   */
  private String readAddress(YamlSection h) {
    Optional<YamlSection.Scalar> ipv6 = h.scalar("address").filter(sc -> Values.isIpv6(sc.value()));
    if (ipv6.isPresent()) {
      problems.error(ipv6.get().line(), ipv6.get().field(), "'" + ipv6.get().value() + "' is an"
          + " IPv6 address; raftswarm supports IPv4 only (endpoints are written address:port)",
          ADDRESS_EXPECTED);
      return "127.0.0.1";
    }
    return required(h, "address", Values::isAddress, ADDRESS_EXPECTED).orElse("127.0.0.1");
  }

  private Inventory.Ssh readSsh(YamlSection s) {
    String defaultUser = System.getProperty("user.name", "root");
    if (!Values.isUnixUser(defaultUser)) {
      defaultUser = "root";
    }
    String user = s.value("user", v -> Values.isUnixUser(v) ? v : null,
        "a Unix user name like hyperledger").orElse(defaultUser);
    int port = s.integer("port", 1, 65535, "a port number 1..65535").orElse(22);
    Path key = s.scalar("key")
        .map(sc -> checkLocalFile(resolve(sc.value()), sc.line(), sc.field(), "SSH private key"))
        .orElseGet(() -> defaultKey(s));
    Optional<String> fingerprint = s.value("hostKeyFingerprint",
        v -> Values.isFingerprint(v) ? v : null,
        "SHA256:<43 base64 characters>, as `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`"
            + " prints it on the host");
    Optional<Path> knownHosts = s.scalar("knownHosts")
        .map(sc -> checkLocalFile(resolve(sc.value()), sc.line(), sc.field(), "known_hosts"));
    if (knownHosts.isPresent() && s.has("hostKeyFingerprint")) {
      problems.error(s.lineOf("hostKeyFingerprint"), s.field("hostKeyFingerprint"),
          "both knownHosts and hostKeyFingerprint are given",
          "only one way to verify the host key");
      fingerprint = Optional.empty();
    }
    if (knownHosts.isEmpty() && fingerprint.isEmpty()) {
      Path defaultKnownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
      if (!s.has("hostKeyFingerprint")) {
        checkLocalFile(defaultKnownHosts, s.line(), s.field("knownHosts"), "known_hosts (default)");
      }
      knownHosts = Optional.of(defaultKnownHosts);
    }
    s.finish();
    return new Inventory.Ssh(user, port, key, knownHosts, fingerprint);
  }

  private Path defaultKey(YamlSection s) {
    Path dir = Path.of(System.getProperty("user.home"), ".ssh");
    for (String candidate : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
      if (Files.isRegularFile(dir.resolve(candidate))) {
        return dir.resolve(candidate);
      }
    }
    Path key = dir.resolve("id_ed25519");
    checkLocalFile(key, s.line(), s.field("key"), "SSH private key (default)");
    return key;
  }

  private Path checkLocalFile(Path path, int line, String field, String what) {
    if (!Files.isRegularFile(path)) {
      String message = what + " " + path + (Files.isDirectory(path) ? " is a directory, not a file"
          : Files.exists(path) ? " is not a regular file" : " does not exist");
      String expected = "the path of an existing file on this machine (relative paths are"
          + " relative to the inventory file)";
      if (localFiles == LocalFiles.MUST_EXIST) {
        problems.error(line, field, message, expected);
      } else {
        problems.warning(line, field, message + " (not needed to render; provision needs it)",
            expected);
      }
    }
    return path;
  }

  private Path resolve(String text) {
    if (text.equals("~") || text.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + text.substring(1)).normalize();
    }
    return source.getParent().resolve(text).normalize();
  }

  // ---- organizations and nodes ------------------------------------------------------------

  private Inventory.OrdererOrg readOrdererOrg(YamlSection s) {
    String name = s.value("name", v -> Values.isOrgName(v) ? v : null,
        "an organization name like OrdererOrg").orElse("OrdererOrg");
    String domain = s.value("domain", v -> Values.isDomain(v) ? v : null,
        "a lower-case domain like example.com").orElse("example.com");
    String mspId = s.value("mspId", v -> Values.isMspId(v) ? v : null,
        "an MSP id like OrdererMSP").orElse("OrdererMSP");
    s.finish();
    return new Inventory.OrdererOrg(name, domain, mspId);
  }

  private List<String> readOrderers(YamlSection top, Inventory.OrdererOrg org,
      Map<String, Inventory.Host> hosts, List<Draft> drafts, Map<String, Draft> byFqdn) {
    List<YamlSection> sections = top.sections("orderers");
    List<String> names = new ArrayList<>();
    for (YamlSection o : sections) {
      String name = readNode(o, "orderer", org.domain(), hosts, drafts, byFqdn,
          "an orderer name like orderer7 (its container is <name>." + org.domain() + ")");
      names.add(name);
    }
    int n = sections.size();
    if (n > MAX_ORDERERS) {
      problems.error(top.lineOf("orderers"), "orderers", n + " orderers given; every Raft entry"
          + " goes to each consenter, and render generates crypto for each", "at most "
          + MAX_ORDERERS + " orderers");
    } else if (n < 3) {
      problems.error(top.lineOf("orderers"), "orderers", n + " orderer(s) given; Raft with fewer"
          + " than 3 consenters cannot survive the loss of any node", "at least 3 orderers");
    } else if (n % 2 == 0) {
      problems.warning(top.lineOf("orderers"), "orderers", n + " orderers (an even number)"
          + " tolerate only " + ((n - 1) / 2) + " failure(s), like " + (n - 1) + " would",
          "an odd number of orderers, e.g. " + (n + 1));
    }
    return names;
  }

  private record PeerOrgDraft(String name, String domain, String mspId, int users,
      List<String> peerNames, List<Draft> drafts) {}

  private List<PeerOrgDraft> readPeerOrgs(YamlSection top, Inventory.OrdererOrg ordererOrg,
      Map<String, Inventory.Host> hosts, List<Draft> drafts, Map<String, Draft> byFqdn) {
    List<PeerOrgDraft> orgs = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>(Map.of(ordererOrg.name(), 0));
    Map<String, Integer> domains = new HashMap<>(Map.of(ordererOrg.domain(), 0));
    Map<String, Integer> mspIds = new HashMap<>(Map.of(ordererOrg.mspId(), 0));
    List<YamlSection> sections = top.sections("peerOrgs");
    if (sections.size() > MAX_PEER_ORGS) {
      problems.error(top.lineOf("peerOrgs"), "peerOrgs", sections.size() + " organizations given",
          "at most " + MAX_PEER_ORGS + " peer organizations");
    }
    for (int i = 0; i < sections.size(); i++) {
      YamlSection s = sections.get(i);
      String name = required(s, "name", Values::isOrgName, "an organization name like Org1")
          .orElse("Org#" + (i + 1));
      String domain = s.value("domain", v -> Values.isDomain(v) ? v : null,
          "a lower-case domain like org1.example.com")
          .orElse(name.toLowerCase(Locale.ROOT) + "." + ordererOrg.domain());
      String mspId = s.value("mspId", v -> Values.isMspId(v) ? v : null,
          "an MSP id like Org1MSP").orElse(name + "MSP");
      unique(names, name, s, "name", "organization name");
      unique(domains, domain, s, "domain", "domain");
      unique(mspIds, mspId, s, "mspId", "MSP id");
      int users = s.integer("users", 0, 100, "a number of users 0..100").orElse(1);
      List<String> peerNames = new ArrayList<>();
      List<Draft> orgDrafts = new ArrayList<>();
      List<YamlSection> peers = s.sections("peers");
      if (peers.size() > MAX_PEERS_PER_ORG) {
        problems.error(s.lineOf("peers"), s.field("peers"), "organization " + name + " has "
            + peers.size() + " peers", "at most " + MAX_PEERS_PER_ORG + " peers per organization");
      }
      if (peers.isEmpty()) {
        problems.error(s.lineOf("peers"), s.field("peers"), "organization " + name
            + " has no peers", "a list of peers, each with name and host");
      }
      for (YamlSection p : peers) {
        peerNames.add(readNode(p, "peer", domain, hosts, drafts, byFqdn,
            "a peer name like peer0 (its container is <name>." + domain + ")"));
        orgDrafts.add(drafts.get(drafts.size() - 1));
      }
      s.finish();
      orgs.add(new PeerOrgDraft(name, domain, mspId, users, peerNames, orgDrafts));
    }
    return orgs;
  }

  private void unique(Map<String, Integer> seen, String value, YamlSection s, String key,
      String what) {
    Integer first = seen.putIfAbsent(value, s.lineOf(key));
    if (first != null) {
      problems.error(s.lineOf(key), s.field(key), "duplicate " + what + " '" + value + "'"
          + (first > 0 ? " (first on line " + first + ")" : " (the orderer org uses it)"),
          "a unique " + what + " per organization");
    }
  }

  /** Reads one orderer/peer entry into a draft; returns its short name. */
  private String readNode(YamlSection s, String kind, String domain,
      Map<String, Inventory.Host> hosts, List<Draft> drafts, Map<String, Draft> byFqdn,
      String nameExpected) {
    String name = required(s, "name", Values::isLabel, nameExpected).orElse("?" + drafts.size());
    String fqdn = name + "." + domain;
    String hostName = required(s, "host", v -> true, "the name of a host under hosts:")
        .orElse("?");
    s.scalar("host").ifPresent(sc -> {
      if (!hosts.containsKey(sc.value())) {
        problems.error(sc.line(), sc.field(), "unknown host '" + sc.value() + "'",
            "one of the hosts: " + String.join(", ", hosts.keySet()));
      }
    });
    Draft draft = new Draft(kind, fqdn, hostName, s.path(), s.line());
    s.scalar("name").ifPresent(sc -> {
      Draft first = byFqdn.putIfAbsent(fqdn, draft);
      if (first != null) {
        problems.error(sc.line(), sc.field(), "duplicate node name '" + fqdn
            + "' (first on line " + first.line + ")", "a unique name per node");
      }
    });
    draft.port = s.integer("port", 1, 65535, "a port number 1..65535").orElse(null);
    draft.portLine = s.lineOf("port");
    draft.opsPort = s.integer("operationsPort", 1, 65535, "a port number 1..65535").orElse(null);
    draft.opsLine = s.lineOf("operationsPort");
    if (kind.equals("orderer")) {
      draft.adminPort = s.integer("adminPort", 1, 65535, "a port number 1..65535").orElse(null);
      draft.adminLine = s.lineOf("adminPort");
      draft.clusterPort = s.integer("clusterPort", 1, 65535, "a port number 1..65535").orElse(null);
      draft.clusterLine = s.lineOf("clusterPort");
    }
    s.finish();
    drafts.add(draft);
    return name;
  }

  private Optional<String> required(YamlSection s, String key,
      java.util.function.Predicate<String> valid, String expected) {
    if (!s.has(key)) {
      problems.error(s.line(), s.field(key), "missing", expected);
      return Optional.empty();
    }
    return s.value(key, v -> valid.test(v) ? v : null, expected);
  }

  // ---- ports ------------------------------------------------------------------------------

  /**
   * Explicit ports first (they win), then defaults per host: base + step * k for the k-th node
   * of that kind on the host, skipping ports already taken, so adding a node never moves others.
   * A default that lands on the host's SSH port is an error, like an explicit one: skipping it
   * silently would give that host a port layout unlike the others' and the docs'.
   */
  private void assignPorts(List<Draft> drafts, PortPlan plan, Map<String, Inventory.Host> hosts) {
    Map<String, Map<Integer, Draft>> taken = new TreeMap<>();
    for (Draft d : drafts) {
      Map<Integer, Draft> onHost = taken.computeIfAbsent(d.host, h -> new HashMap<>());
      if (d.port != null) {
        claim(onHost, d.port, d, d.portLine, d.field + ".port", hosts.get(d.host));
      }
      if (d.opsPort != null) {
        claim(onHost, d.opsPort, d, d.opsLine, d.field + ".operationsPort", hosts.get(d.host));
      }
      if (d.adminPort != null) {
        claim(onHost, d.adminPort, d, d.adminLine, d.field + ".adminPort", hosts.get(d.host));
      }
      if (d.clusterPort != null) {
        claim(onHost, d.clusterPort, d, d.clusterLine, d.field + ".clusterPort", hosts.get(d.host));
      }
    }
    for (Draft d : drafts) {
      Map<Integer, Draft> onHost = taken.get(d.host);
      boolean orderer = d.kind.equals("orderer");
      Inventory.Host host = hosts.get(d.host);
      if (d.port == null) {
        d.port = next(onHost, orderer ? plan.ordererBase() : plan.peerBase(), plan.step(), d,
            host, "port", orderer ? "ordererBase" : "peerBase");
      }
      if (d.opsPort == null) {
        d.opsPort = next(onHost, orderer ? plan.ordererOps() : plan.peerOps(), 1, d, host,
            "operationsPort", orderer ? "ordererOperationsBase" : "peerOperationsBase");
      }
      if (orderer && d.adminPort == null) {
        d.adminPort = next(onHost, plan.ordererAdmin(), plan.step(), d, host, "adminPort", "ordererAdminBase");
      }
      if (orderer && d.clusterPort == null) {
        // beside the orderer's port (7050 → 7052, next to the admin's 7053) where that is free
        int beside = d.port + 2;
        d.clusterPort = beside <= 65535 && isFree(onHost, beside, host) ? claimDefault(onHost, beside, d)
            : next(onHost, plan.ordererCluster(), plan.step(), d, host, "clusterPort", "ordererClusterBase");
      }
    }
  }

  private void claim(Map<Integer, Draft> onHost, int port, Draft d, int line, String field,
      Inventory.Host host) {
    if (SWARM_PORTS.contains(port) || (host != null && host.ssh() != null && port == host.ssh().port())) {
      problems.error(line, field, "port " + port + " on host " + d.host + " is used by "
          + (SWARM_PORTS.contains(port) ? "Docker Swarm" : "SSH"),
          "a port other than 2377, 7946, 4789 and the SSH port");
      return;
    }
    Draft other = onHost.putIfAbsent(port, d);
    if (other != null) {
      problems.error(line, field, "port " + port + " on host " + d.host
          + " is already published by " + other.fqdn + " (line " + other.line + ")",
          "a port no other node on " + d.host + " publishes");
    }
  }

  private static boolean isFree(Map<Integer, Draft> onHost, int port, Inventory.Host host) {
    return !onHost.containsKey(port) && !SWARM_PORTS.contains(port)
        && (host == null || host.ssh() == null || port != host.ssh().port());
  }

  private static int claimDefault(Map<Integer, Draft> onHost, int port, Draft d) {
    onHost.put(port, d);
    return port;
  }

  private int next(Map<Integer, Draft> onHost, int base, int step, Draft d, Inventory.Host host,
      String key, String baseKey) {
    for (int port = base; port <= 65535; port += step) {
      if (!onHost.containsKey(port) && !SWARM_PORTS.contains(port)) {
        if (host != null && host.ssh() != null && port == host.ssh().port()) {
          int sshLine = sshPortLines.getOrDefault(d.host, 0);
          problems.error(d.line, d.field + "." + key, "the default " + key + " " + port + " of "
              + d.fqdn + " is the SSH port of host " + d.host + (sshLine > 0
                  ? " (ssh.port on line " + sshLine + ")" : ""), "an explicit " + key + ": for "
              + d.fqdn + ", a ports." + baseKey + " whose ports miss " + port
              + ", or another ssh.port");
          // Claimed by this node, so the nodes after it do not report the same port again.
        }
        onHost.put(port, d);
        return port;
      }
    }
    problems.error(d.line, d.field, "no free published port left from " + base
        + " in steps of " + step, "explicit port: / operationsPort: values or a smaller ports.step");
    return 1;
  }

  // ---- channels, raft, batch, images ------------------------------------------------------

  /**
   * {@code channels:} lists names ({@code [mychannel]}) or mappings with a channel's own block
   * cutting ({@code - {name: bulk, batch: {MaxMessageCount: 1000}}}); what a channel leaves out
   * comes from the top-level {@code batch}.
   */
  private List<Inventory.Channel> readChannels(YamlSection top, BatchSettings defaults) {
    if (!top.has("channels") && !top.hasList("channels")) {
      return List.of(new Inventory.Channel(DEFAULT_CHANNEL, defaults));
    }
    List<Inventory.Channel> channels = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (YamlSection.NameOrSection item : top.namesOrSections("channels")) {
      YamlSection.Scalar name;
      BatchSettings batch = defaults;
      if (item.name() != null) {
        name = item.name();
      } else {
        YamlSection s = item.section();
        name = s.scalar("name").orElse(null);
        if (name == null) {
          problems.error(s.line(), s.field("name"), "missing", "the channel's name, e.g. name: mychannel");
        }
        batch = readBatch(s.section("batch"), defaults);
        s.finish();
        if (name == null) {
          continue;
        }
      }
      if (!Values.isChannelName(name.value())) {
        problems.error(name.line(), name.field(), "'" + name.value() + "' is not a valid channel name",
            "lower-case letters, digits, '.' and '-', starting with a letter, like mychannel");
      } else if (seen.putIfAbsent(name.value(), name.line()) != null) {
        problems.error(name.line(), name.field(), "duplicate channel '" + name.value()
            + "' (first on line " + seen.get(name.value()) + ")", "each channel once");
      } else {
        channels.add(new Inventory.Channel(name.value(), batch));
      }
    }
    if (channels.isEmpty() && !problems.hasErrors()) {
      problems.error(top.lineOf("channels"), "channels", "no channels given",
          "at least one channel, e.g. [mychannel]");
    }
    return channels;
  }

  private RaftOptions readRaft(YamlSection s) {
    RaftOptions d = RaftOptions.defaults();
    Duration tick = s.value("TickInterval", Values::duration, Values.DURATION_EXPECTED)
        .orElse(d.tickInterval());
    int election = s.integer("ElectionTick", 2, 1000, "an integer 2..1000")
        .orElse(d.electionTick());
    int heartbeat = s.integer("HeartbeatTick", 1, 1000, "an integer 1..1000")
        .orElse(d.heartbeatTick());
    int inflight = s.integer("MaxInflightBlocks", 1, 1000, "an integer 1..1000")
        .orElse(d.maxInflightBlocks());
    long snapshot = s.value("SnapshotIntervalSize", Values::bytes, Values.SIZE_EXPECTED)
        .orElse(d.snapshotIntervalSize());
    if (election <= heartbeat) {
      problems.error(s.lineOf("ElectionTick"), s.field("ElectionTick"), "ElectionTick "
          + election + " is not greater than HeartbeatTick " + heartbeat,
          "ElectionTick > HeartbeatTick (Fabric's sample: 10 and 1)");
      election = d.electionTick();
      heartbeat = d.heartbeatTick();
    }
    s.finish();
    return new RaftOptions(tick, election, heartbeat, inflight, snapshot);
  }

  /** A {@code batch:} section; what it leaves out comes from {@code d}. */
  private BatchSettings readBatch(YamlSection s, BatchSettings d) {
    Duration timeout = s.value("BatchTimeout", Values::duration, Values.DURATION_EXPECTED)
        .orElse(d.batchTimeout());
    int count = s.integer("MaxMessageCount", 1, 1_000_000, "an integer 1..1000000")
        .orElse(d.maxMessageCount());
    int absolute = s.value("AbsoluteMaxBytes", Values::intBytes, Values.SIZE_EXPECTED
        + " below 2 GB").orElse(d.absoluteMaxBytes());
    int preferred = s.value("PreferredMaxBytes", Values::intBytes, Values.SIZE_EXPECTED
        + " below 2 GB").orElse(Math.min(d.preferredMaxBytes(), absolute));
    if (preferred > absolute) {
      problems.error(s.lineOf("PreferredMaxBytes"), s.field("PreferredMaxBytes"),
          "PreferredMaxBytes " + preferred + " exceeds AbsoluteMaxBytes " + absolute,
          "PreferredMaxBytes <= AbsoluteMaxBytes");
      preferred = absolute;
    }
    s.finish();
    return new BatchSettings(timeout, count, absolute, preferred);
  }

  /** A {@code resources:} section; an orderer memory limit must hold the largest block a channel allows. */
  private Inventory.Resources readResources(YamlSection s, List<Inventory.Channel> channels) {
    Optional<Long> memory = s.value("ordererMemory", Values::bytes, Values.SIZE_EXPECTED);
    Optional<Inventory.Channel> largest = channels.stream()
        .max(Comparator.comparingInt(c -> c.batch().absoluteMaxBytes()));
    if (memory.isPresent()) {
      long absolute = largest.map(c -> c.batch().absoluteMaxBytes()).orElse(BatchSettings.defaults().absoluteMaxBytes());
      OrdererMemory needed = OrdererMemory.forLargestBlock(absolute);
      if (memory.get() < needed.containerLimitMiB() * OrdererMemory.MIB) {
        problems.error(s.lineOf("ordererMemory"), s.field("ordererMemory"), "ordererMemory "
                + memory.get() / OrdererMemory.MIB + " MiB is less than " + largest.map(c -> "channel " + c.name()).orElse("a channel")
                + " needs: "
                + OrdererMemory.explain(absolute) + ", and the JVM takes up to "
                + (needed.containerLimitMiB() - needed.heapBytes() / OrdererMemory.MIB) + " MiB besides",
            "at least " + needed.containerLimitMiB() + " MB, or a lower AbsoluteMaxBytes");
      }
    }
    s.finish();
    return new Inventory.Resources(memory);
  }

  private Inventory.Images readImages(YamlSection s) {
    String expected = "an image reference like raftswarm/orderer:latest";
    String orderer = s.value("orderer", v -> Values.isImage(v) ? v : null, expected)
        .orElse(DEFAULT_ORDERER_IMAGE);
    String peer = s.value("peer", v -> Values.isImage(v) ? v : null, expected)
        .orElse(DEFAULT_PEER_IMAGE);
    Optional<Path> ordererTar = s.scalar("ordererTar")
        .map(sc -> checkLocalFile(resolve(sc.value()), sc.line(), sc.field(), "image tar"));
    Optional<Path> peerTar = s.scalar("peerTar")
        .map(sc -> checkLocalFile(resolve(sc.value()), sc.line(), sc.field(), "image tar"));
    s.finish();
    return new Inventory.Images(orderer, peer, ordererTar, peerTar);
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
