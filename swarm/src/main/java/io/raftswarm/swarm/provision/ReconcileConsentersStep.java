package io.raftswarm.swarm.provision;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Consenter;
import io.raftswarm.common.fabric.ConsenterEdits;
import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.FabricClientException;
import io.raftswarm.swarm.client.OperationsClient;
import io.raftswarm.swarm.client.ParticipationClient;
import io.raftswarm.swarm.client.Wait;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.render.NetworkRenderer;
import io.raftswarm.swarm.render.RenderResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;

/**
 * Makes each running channel's consenters the orderers of the inventory, the way Fabric's
 * operators grow and shrink a Raft cluster: one consenter per config update (signed by the
 * orderer org's admin), an added orderer joined through its channel participation API with the
 * newest config block and caught up before the next change, a removed one leaving by itself. The
 * orderers refuse a change while too few consenters are active; that refusal is waited out for a
 * while, then reported. Orderers are added in inventory order, so consenter ids stay the plan's.
 */
public final class ReconcileConsentersStep implements ProvisionStep<Void> {
  private static final Duration CALL = Duration.ofSeconds(15);

  private final RenderResult rendered;
  private final NetworkProfile profile;
  private final OperationsClient ops;
  private final Duration timeout;

  public ReconcileConsentersStep(RenderResult rendered, NetworkProfile profile, OperationsClient ops, Duration timeout) {
    this.rendered = rendered;
    this.profile = profile;
    this.ops = ops;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "ReconcileConsenters";
  }

  @Override
  public StepOutcome<Void> run(Progress progress) throws InterruptedException {
    ClientIdentity admin = ClientIdentity.ordererAdmin(profile);
    List<String> changes = new ArrayList<>();
    try (FabricClient fabric = new FabricClient(profile, admin)) {
      for (String channel : profile.channels()) {
        reconcile(channel, fabric, admin, progress, changes);
      }
    }
    return StepOutcome.of(null, !changes.isEmpty(), changes.isEmpty()
        ? "every channel's consenters are the inventory's orderers" : String.join(", ", changes));
  }

  private void reconcile(String channel, FabricClient fabric, ClientIdentity admin, Progress progress, List<String> changes)
      throws InterruptedException {
    ChannelConfig wanted = NetworkRenderer.plannedChannel(rendered, channel);
    while (true) {
      String source = servingOrderer(channel);
      Config raw = fabric.fetchConfig(channel, source, CALL);
      ChannelConfig live = ChannelConfigs.fromConfig(channel, raw);
      if (live.ordererEndpoints().size() != live.consenters().size()) {
        throw new UserError("channel " + channel + " lists " + live.ordererEndpoints().size() + " orderer endpoints for "
            + live.consenters().size() + " consenters, so which endpoint is whose is unknown (was it made by another tool?);"
            + " raftswarm changes consenters only on channels that list one endpoint per consenter, in consenter order");
      }
      Optional<Consenter> toAdd = wanted.consenters().stream().filter(c -> find(live, c.host()).isEmpty()).findFirst();
      Optional<Consenter> toRemove = live.consenters().stream().filter(c -> find(wanted, c.host()).isEmpty()).findFirst();
      if (toAdd.isPresent()) {
        Consenter added = toAdd.get();
        List<Consenter> consenters = new ArrayList<>(live.consenters());
        consenters.add(added);
        List<String> endpoints = new ArrayList<>(live.ordererEndpoints());
        endpoints.add(wanted.ordererEndpoints().get(added.id() - 1));
        progress.line(channel + ": adding consenter " + added.host() + " (" + consenters.size() + " consenters)");
        submit(fabric, admin, channel, raw, with(live, consenters, endpoints), source, "add " + added.host());
        join(channel, added.host(), fabric, source, admin, progress);
        changes.add(channel + " +" + added.host());
      } else if (toRemove.isPresent()) {
        Consenter removed = toRemove.get();
        List<Consenter> consenters = new ArrayList<>();
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < live.consenters().size(); i++) {
          if (live.consenters().get(i) != removed) {
            consenters.add(live.consenters().get(i));
            endpoints.add(live.ordererEndpoints().get(i));
          }
        }
        progress.line(channel + ": removing consenter " + removed.host() + " (" + consenters.size() + " consenters)");
        submit(fabric, admin, channel, raw, with(live, consenters, endpoints), source, "remove " + removed.host());
        awaitConfigAfter(fabric, channel, source, raw.getSequence());
        changes.add(channel + " -" + removed.host());
      } else {
        requirePlanOrder(channel, live, wanted);
        joinMissing(channel, live, fabric, source, admin, progress, changes);
        return;
      }
    }
  }

  /** {@code live} with these consenters (ids renumbered 1..N: etcdraft ids are positions) and their endpoints. */
  private static ChannelConfig with(ChannelConfig live, List<Consenter> consenters, List<String> endpoints) {
    List<Consenter> renumbered = new ArrayList<>();
    for (Consenter c : consenters) {
      renumbered.add(new Consenter(renumbered.size() + 1, c.host(), c.port(), c.clientTlsCertPem(), c.serverTlsCertPem()));
    }
    return new ChannelConfig(live.channelId(), renumbered, endpoints, live.raftOptions(), live.batch(), live.ordererOrgs(),
        live.applicationOrgs(), live.anchorPeers());
  }

  private static Optional<Consenter> find(ChannelConfig config, String host) {
    return config.consenters().stream().filter(c -> c.host().equals(host)).findFirst();
  }

  /** An orderer of the profile that serves the channel now (reads the config from it, submits to it). */
  private String servingOrderer(String channel) throws InterruptedException {
    return Wait.upTo(timeout, Duration.ofMillis(500)).untilOrThrow(
        () -> profile.orderers().stream()
            .filter(o -> ops.ordererStatus(o.operationsEndpoint()).flatMap(s -> s.channel(channel))
                .filter(c -> c.leaderId() > 0).isPresent())
            .map(NetworkProfile.NodeEntry::name).findFirst(),
        Optional::isPresent,
        o -> { },
        o -> new UserError("no orderer serves channel " + channel + " with a Raft leader after " + timeout.toSeconds()
            + " s; check the orderers with `raftswarm status`")).orElseThrow();
  }

  /** Signs the change as the orderer org's admin and orders it; waits out "not healthy enough" refusals. */
  private void submit(FabricClient fabric, ClientIdentity admin, String channel, Config raw, ChannelConfig next, String via,
      String what) throws InterruptedException {
    Config updated = ConsenterEdits.withConsenters(raw, next);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        fabric.updateConfig(channel, raw, updated, admin, via, CALL);
        return;
      } catch (FabricClientException e) {
        boolean unhealthy = String.valueOf(e.getMessage()).contains("not healthy enough");
        if (!unhealthy || System.nanoTime() > deadline) {
          throw new UserError("the orderers refused to " + what + " on channel " + channel + ": " + e.getMessage()
              + (unhealthy ? "\n  bring the stopped orderers back (raftswarm status), then run provision again" : ""), e);
        }
        Thread.sleep(1_000);
      }
    }
  }

  /**
   * Waits until {@code source} has written the config block of the change just ordered: an orderer
   * that forwarded it writes it a moment after the leader, and the next change must be computed
   * from it (else its read set is a version behind and the orderers refuse it).
   */
  private void awaitConfigAfter(FabricClient fabric, String channel, String source, long sequence)
      throws InterruptedException {
    Wait.upTo(timeout, Duration.ofMillis(200)).untilOrThrow(
        () -> fabric.fetchConfig(channel, source, CALL).getSequence(),
        s -> s > sequence,
        s -> { },
        s -> new UserError(source + " still has config sequence " + s + " of channel " + channel + " after "
            + timeout.toSeconds() + " s; the change was ordered, run provision again"));
  }

  /** Joins an orderer that is a consenter of the config in force to the channel, and waits until it caught up. */
  private void join(String channel, String orderer, FabricClient fabric, String source, ClientIdentity admin, Progress progress)
      throws InterruptedException {
    NetworkProfile.NodeEntry node = profile.orderers().stream().filter(o -> o.name().equals(orderer)).findFirst()
        .orElseThrow(() -> new UserError("orderer " + orderer + " of channel " + channel + " is not in network.json"));
    ParticipationClient participation = ParticipationClient.of(node, admin);
    Wait.upTo(timeout, Duration.ofSeconds(1)).untilOrThrow(
        () -> {
          try {
            // The orderer that acknowledged the update may be a follower that writes the config
            // block a moment after the leader committed it: join with a block that names the orderer.
            Block block = fabric.fetchConfigBlock(channel, source, CALL);
            if (find(ChannelConfigs.fromGenesis(block), orderer).isEmpty()) {
              return Optional.of("the newest config block on " + source + " (block " + block.getHeader().getNumber()
                  + ") does not name " + orderer + " yet");
            }
            participation.join(block.toByteArray());
            return Optional.<String>empty();
          } catch (RuntimeException e) {
            // The consenters it onboards from may not have written the config block yet either.
            return Optional.of(e.getMessage());
          }
        },
        Optional::isEmpty,
        e -> { },
        e -> new UserError("orderer " + orderer + " did not join channel " + channel + " within " + timeout.toSeconds()
            + " s: " + e.orElse("") + "\n  check its log: docker logs " + orderer));
    long target = ops.ordererStatus(profile.orderers().stream().filter(o -> o.name().equals(source)).findFirst()
        .orElseThrow().operationsEndpoint()).flatMap(s -> s.channel(channel)).map(OrdererChannelStatus::height).orElse(0L);
    Wait.upTo(timeout, Duration.ofMillis(500)).untilOrThrow(
        () -> ops.ordererStatus(node.operationsEndpoint()).flatMap(s -> s.channel(channel)),
        c -> c.isPresent() && c.get().leaderId() > 0 && c.get().height() >= target,
        c -> { },
        c -> new UserError("orderer " + orderer + " joined channel " + channel + " but has not caught up within "
            + timeout.toSeconds() + " s (" + c.map(s -> "height " + s.height() + " of " + target + ", leader "
            + s.leaderId()).orElse("no status") + ")"));
    progress.line(channel + ": " + orderer + " joined and caught up (height >= " + target + ")");
  }

  /** A consenter that never joined (an earlier run stopped between the update and the join). */
  private void joinMissing(String channel, ChannelConfig live, FabricClient fabric, String source, ClientIdentity admin,
      Progress progress, List<String> changes) throws InterruptedException {
    for (Consenter c : live.consenters()) {
      Optional<NetworkProfile.NodeEntry> node = profile.orderers().stream().filter(o -> o.name().equals(c.host())).findFirst();
      if (node.isPresent() && node.get().adminEndpoint() != null
          && ParticipationClient.of(node.get(), admin).info(channel).isEmpty()) {
        join(channel, c.host(), fabric, source, admin, progress);
        changes.add(channel + " joined " + c.host());
      }
    }
  }

  /** Consenter ids are positions: the running order must be the inventory's, or ids would name other orderers. */
  private static void requirePlanOrder(String channel, ChannelConfig live, ChannelConfig wanted) {
    List<String> running = live.consenters().stream().map(Consenter::host).toList();
    List<String> planned = wanted.consenters().stream().map(Consenter::host).toList();
    if (!running.equals(planned)) {
      throw new UserError("channel " + channel + " runs its consenters in the order " + running + " but the inventory lists"
          + " the orderers as " + planned + "; list them in the running order (new orderers last) and render again");
    }
  }
}
