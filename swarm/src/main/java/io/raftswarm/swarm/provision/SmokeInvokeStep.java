package io.raftswarm.swarm.provision;

import io.raftswarm.swarm.client.FabricClient;
import io.raftswarm.swarm.client.InvokeRequest;
import io.raftswarm.swarm.client.InvokeResult;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves the network orders and commits: an example02 {@code invoke a b 0} (moves nothing, so
 * the demo's balances stay as the seeds have them) endorsed by one peer of each org, waited for
 * until committed VALID, then {@code query a} on one peer of each org must agree. Skipped when
 * nothing changed in this run (then the network is the one that passed before).
 */
public final class SmokeInvokeStep implements ProvisionStep<Long> {
  private final NetworkProfile profile;
  private final FabricClient client;
  private final boolean networkChanged;

  public SmokeInvokeStep(NetworkProfile profile, FabricClient client, boolean networkChanged) {
    this.profile = profile;
    this.client = client;
    this.networkChanged = networkChanged;
  }

  @Override
  public String name() {
    return "SmokeInvoke";
  }

  private static boolean pause() {
    try {
      Thread.sleep(300);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The first peer of each org, in profile order. */
  static List<String> onePeerPerOrg(NetworkProfile profile) {
    Map<String, String> byMsp = new LinkedHashMap<>();
    profile.peers().forEach(p -> byMsp.putIfAbsent(p.mspId(), p.name()));
    return new ArrayList<>(byMsp.values());
  }

  @Override
  public StepOutcome<Long> run(Progress progress) {
    if (!networkChanged) {
      return StepOutcome.unchanged(-1L, "skipped: nothing changed in this run");
    }
    List<String> peers = onePeerPerOrg(profile);
    String channel = profile.channels().get(0);
    String orderer = profile.orderers().get(0).name();
    InvokeResult r = client.invoke(InvokeRequest.of(channel, DeployChaincodesStep.EXAMPLE02,
        List.of("invoke", "a", "b", "0"), peers, orderer).withOrdererAny(true));
    if (!r.isValid()) {
      throw new UserError("smoke invoke " + r.txId() + " on " + channel + " was committed as "
          + r.validationCode().orElseThrow() + " in block " + r.blockNumber());
    }
    progress.line("tx " + r.txId().substring(0, 12) + " committed VALID in block " + r.blockNumber()
        + " via " + r.orderer());
    // The commit event came from the first peer; the others may still be committing.
    Map<String, String> answers = new LinkedHashMap<>();
    long deadline = System.nanoTime() + 15_000_000_000L;
    do {
      for (String p : peers) {
        answers.put(p, client.query(p, channel, DeployChaincodesStep.EXAMPLE02, List.of("query", "a")));
      }
    } while (answers.values().stream().distinct().count() != 1 && System.nanoTime() < deadline
        && pause());
    if (answers.values().stream().distinct().count() != 1) {
      throw new UserError("peers disagree on 'query a' 15 s after the smoke invoke: " + answers);
    }
    return StepOutcome.done(r.blockNumber(), "committed in block " + r.blockNumber() + ", query a = "
        + answers.values().iterator().next() + " on " + answers.keySet());
  }
}
