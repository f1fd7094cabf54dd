package io.raftswarm.swarm.drill;

import io.grpc.ManagedChannel;
import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.swarm.client.ChannelPool;
import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.client.GrpcBroadcastConnector;
import io.raftswarm.swarm.client.SignedTxSource;
import io.raftswarm.swarm.client.StatusSampler;
import io.raftswarm.swarm.drill.clock.EngineWitness;
import io.raftswarm.swarm.drill.clock.FaultClock;
import io.raftswarm.swarm.drill.collect.ChainCollector;
import io.raftswarm.swarm.drill.collect.PeerStatusReader;
import io.raftswarm.swarm.drill.fault.Containers;
import io.raftswarm.swarm.drill.fault.FaultInjector;
import io.raftswarm.swarm.drill.fault.HostShell;
import io.raftswarm.swarm.drill.load.LoadGenerator;
import io.raftswarm.swarm.drill.load.LoadPlan;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Wires a drill against a network profile: the user's identity and mutual-TLS material for
 * the orderers, gRPC channels, the status sampler, the load generator factory, the fault
 * injector, the fault clock (with the engines' witness) and the safety collection. Closes
 * everything it opened, including the shell, the containers and the witness it was given.
 */
public final class DrillSetup implements AutoCloseable {
  /** Random bytes per load envelope; with header, creator certificate and signature ≈ 1 KB. */
  static final int LOAD_PAYLOAD_BYTES = 200;

  /** The network drilled; a drill that changes the members moves it on ({@link #rewire}). */
  private volatile NetworkProfile profile;
  private final ClientIdentity identity;
  private final TlsMaterial ordererTls;
  private final HostShell shell;
  private final Containers containers;
  private final FaultInjector faults;
  private final EngineWitness witness;
  private final DrillSettings settings;
  private final Clock clock;
  private final ChannelPool channels = new ChannelPool();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public DrillSetup(NetworkProfile profile, ClientIdentity identity, HostShell shell, Containers containers,
      EngineWitness witness, DrillSettings settings, Clock clock) {
    this.profile = profile;
    this.identity = identity;
    this.shell = shell;
    this.containers = containers;
    this.witness = witness;
    this.settings = settings;
    this.clock = clock;
    List<X509Certificate> roots = new ArrayList<>(identity.tls().trustedRoots());
    new LinkedHashSet<>(profile.orderers().stream().map(NetworkProfile.NodeEntry::tlsCaCert).toList())
        .forEach(ca -> roots.addAll(Pem.readCertificates(Path.of(ca))));
    this.ordererTls = identity.tls().withTrustedRoots(roots);
    this.faults = new FaultInjector(shell, containers, profile, clock);
  }

  public FaultInjector faults() {
    return faults;
  }

  public NetworkProfile profile() {
    return profile;
  }

  public ManagedChannel channel(String orderer) {
    return channels.get(orderer, () -> {
      NetworkProfile.NodeEntry node = profile.node(orderer).orElseThrow();
      return GrpcChannels.open(node.externalEndpoint(), ordererTls, node.name());
    });
  }

  public StatusSampler sampler() {
    Map<String, String> ops = new LinkedHashMap<>();
    profile.orderers().forEach(o -> ops.put(o.name(), o.operationsEndpoint()));
    StatusSampler s = new StatusSampler(ops, Duration.ofMillis(100), Duration.ofSeconds(1),
        settings.maxDuration(), clock);
    closeables.add(s);
    return s;
  }

  public SafetyCollection collection() {
    return new SafetyCollection(profile,
        new ChainCollector(this::channel, identity.signer(), Duration.ofSeconds(120)),
        new PeerStatusReader(Duration.ofSeconds(3)));
  }

  public LoadGenerator load(List<String> targets) {
    GrpcBroadcastConnector connector = new GrpcBroadcastConnector(
        name -> profile.node(name).orElseThrow().externalEndpoint(), ordererTls);
    closeables.add(connector);
    LoadPlan plan = new LoadPlan(targets, profile.channels(), settings.loadRate(), 1_000_000,
        settings.maxDuration(), 200, Duration.ofSeconds(10), Duration.ofMillis(200));
    return new LoadGenerator(plan, connector, new SignedTxSource(identity.signer(), LOAD_PAYLOAD_BYTES), clock);
  }

  /** A runner with a fresh context and sampler, printing progress to {@code progress}. */
  public DrillRunner runner(PrintWriter progress, ZoneId zone) {
    StatusSampler sampler = sampler();
    DrillContext ctx = new DrillContext(profile, faults, new FaultClock(witness), sampler, settings, clock, progress);
    return new DrillRunner(ctx, sampler, this::load, collection(), clock, zone).onMembersChanged(this::rewire);
  }

  /** From now on the network is {@code after}: a sampler and a safety collection over its nodes. */
  DrillRunner.Rewired rewire(NetworkProfile after) {
    this.profile = after;
    return new DrillRunner.Rewired(sampler(), collection());
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing on the way out
      }
    }
    channels.close();
    shell.close();
    containers.close();
    witness.close();
  }
}
