package io.raftswarm.swarm.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An invoke, as {@code peer chaincode invoke} takes it.
 *
 * @param orderer orderer name or endpoint (orderer7, orderer7.example.com:7050)
 * @param peers endorsing peers (names or endpoints); the first also reports the commit event
 * @param waitForEvent wait until the first peer reports the transaction committed (and its code)
 * @param ordererAny on SERVICE_UNAVAILABLE or an unreachable orderer, try the other orderers in turn
 * @param timeout for each of: endorsement, ordering, commit event
 */
public record InvokeRequest(String channel, String chaincode, List<String> args, List<String> peers, String orderer,
    boolean waitForEvent, boolean ordererAny, Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public InvokeRequest {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(chaincode, "chaincode");
    args = List.copyOf(args);
    peers = List.copyOf(peers);
    Objects.requireNonNull(orderer, "orderer");
    timeout = Objects.requireNonNullElse(timeout, DEFAULT_TIMEOUT);
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("an invoke needs at least one endorsing peer (--peerAddresses)");
    }
    if (args.isEmpty()) {
      throw new IllegalArgumentException("an invoke needs arguments, e.g. {\"Args\":[\"invoke\",\"a\",\"b\",\"10\"]}");
    }
  }

  /** Waits for the commit event, no orderer failover, default timeout. */
  public static InvokeRequest of(String channel, String chaincode, List<String> args, List<String> peers, String orderer) {
    return new InvokeRequest(channel, chaincode, args, peers, orderer, true, false, DEFAULT_TIMEOUT);
  }

  public InvokeRequest withOrdererAny(boolean any) {
    return new InvokeRequest(channel, chaincode, args, peers, orderer, waitForEvent, any, timeout);
  }

  public InvokeRequest withWaitForEvent(boolean wait) {
    return new InvokeRequest(channel, chaincode, args, peers, orderer, wait, ordererAny, timeout);
  }
}
