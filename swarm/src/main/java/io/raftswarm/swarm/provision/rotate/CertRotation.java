package io.raftswarm.swarm.provision.rotate;

import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.provision.Progress;
import io.raftswarm.swarm.provision.StepsRunner;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renews the certificates of a running network's nodes one at a time without losing quorum
 * ({@code raftswarm rotate-certs}, and the fault of {@code drill rotate-certs}). Per node, as
 * named steps: check the network can take its restart; issue its new TLS and enrollment
 * certificates from its org's CAs; for an orderer, record the new TLS certificate as the
 * consenter's in every channel config and wait until every orderer has it in force; install the
 * files on its host and in the network dir; restart it; wait until it is healthy with the new
 * certificate and caught up; drop the backups. The next node starts only then.
 *
 * <p>Every step first looks whether its work is already done (material issued by an interrupted
 * run, config already holding the certificate, files already in place, node already serving the
 * new certificate), and {@link RotationJournal} records the finished nodes: running the same
 * command again after an interruption or a failure continues where it stopped.
 */
public final class CertRotation {
  private static final int ORDERER_STEPS = 8;
  private static final int PEER_STEPS = 6;

  private final RotationContext ctx;
  private final Progress progress;

  public CertRotation(RotationContext ctx, PrintWriter out) {
    this.ctx = ctx;
    this.progress = new Progress(out);
  }

  /**
   * The nodes named (FQDN, short name or endpoint), in the network's order, or every orderer and
   * peer when none is named; fails naming the unknown ones and the network's nodes.
   */
  public static List<NetworkProfile.NodeEntry> select(NetworkProfile profile, List<String> names) {
    if (names == null || names.isEmpty()) {
      return profile.nodes();
    }
    Set<String> wanted = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String name : names) {
      profile.node(name).ifPresentOrElse(n -> wanted.add(n.name()), () -> unknown.add(name));
    }
    if (!unknown.isEmpty()) {
      throw new UserError("no node " + String.join(", ", unknown) + " in network " + profile.name() + "; its nodes: "
          + profile.nodes().stream().map(n -> RotationTarget.label(profile, n.name())).toList());
    }
    return profile.nodes().stream().filter(n -> wanted.contains(n.name())).toList();
  }

  /**
   * Rotates {@code nodes} one after the other; returns the ones renewed now (those an earlier,
   * interrupted run finished are skipped). A failed step stops the run with what failed and
   * {@code resumeHint}, the command that continues it.
   */
  public List<String> rotate(List<NetworkProfile.NodeEntry> nodes, String resumeHint) {
    List<RotationTarget> targets = nodes.stream().map(n -> RotationTarget.of(ctx.profile(), ctx.networkDir(), n)).toList();
    // no CA key, no rotation: find out before the first node is touched
    targets.stream().map(RotationTarget::orgDir).distinct().forEach(OrgCas::load);
    RotationJournal journal = RotationJournal.open(ctx.networkDir().resolve(RotationTarget.WORK_DIR),
        nodes.stream().map(NetworkProfile.NodeEntry::name).toList(), Instant.now());
    if (!journal.entry().done().isEmpty()) {
      progress.line("continuing the rotation started " + journal.entry().started() + "; done: " + journal.entry().done());
    }
    List<RotationTarget> todo = targets.stream().filter(t -> !journal.isDone(t.name())).toList();
    int total = todo.stream().mapToInt(t -> t.node().isOrderer() ? ORDERER_STEPS : PEER_STEPS).sum();
    StepsRunner runner = new StepsRunner(progress, total, resumeHint,
        "none automatic: the new certificate may already be in the channel config; each node's previous files stay"
            + " in .rotate-old/ next to its msp/ and tls/ on its host, and in <network>/rotate-certs/<node>/old, until"
            + " it is verified");
    List<String> rotated = new ArrayList<>();
    for (RotationTarget t : todo) {
      rotateOne(runner, t, journal);
      rotated.add(t.name());
    }
    return rotated;
  }

  private void rotateOne(StepsRunner runner, RotationTarget t, RotationJournal journal) {
    runner.run(new CheckRestartSafeStep(ctx, t));
    journal.begin();
    NodeMaterial renewed = runner.run(new RenewCertificatesStep(t, ctx.settings()));
    if (t.node().isOrderer()) {
      List<String> channels = runner.run(new UpdateConsenterStep(ctx, t, renewed));
      runner.run(new AwaitConfigAppliedStep(ctx, t, renewed, channels));
    }
    runner.run(new InstallCertificatesStep(ctx, t, renewed));
    runner.run(new RestartNodeStep(ctx, t, renewed));
    runner.run(new AwaitNodeStep(ctx, t, renewed));
    runner.run(new FinishNodeStep(ctx, t, journal));
  }
}
