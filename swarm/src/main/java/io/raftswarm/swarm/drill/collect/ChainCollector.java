package io.raftswarm.swarm.drill.collect;

import io.grpc.ManagedChannel;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.grpc.DeliverQueue;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.swarm.drill.verdict.BlockDigest;
import io.raftswarm.swarm.drill.verdict.NodeChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * Pulls an orderer's whole chain of a channel over Deliver (oldest → newest as of the request,
 * FAIL_IF_NOT_READY) and reduces each block to a {@link BlockDigest} as it arrives, so memory
 * stays small. Blocking; one call at a time per collector is fine, several collectors may run
 * in parallel.
 */
public final class ChainCollector {
  private final Function<String, ManagedChannel> channelOf;
  private final SigningIdentity signer;
  private final Duration timeout;

  /** @param channelOf orderer name → gRPC channel to it (owned by the caller) */
  public ChainCollector(Function<String, ManagedChannel> channelOf, SigningIdentity signer, Duration timeout) {
    this.channelOf = channelOf;
    this.signer = signer;
    this.timeout = timeout;
  }

  /**
   * The chain as {@code orderer} holds it now.
   *
   * @throws ChainCollectionException naming orderer, channel and cause when Deliver fails or
   *     times out
   */
  public NodeChain collect(String orderer, String channel) {
    SeekInfo seek = SeekInfo.newBuilder()
        .setStart(SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()))
        .setStop(SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()))
        .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY)
        // The verdict reads every orderer's ledger, also one cut off from its Raft leader.
        .setErrorResponse(SeekInfo.SeekErrorResponse.BEST_EFFORT)
        .build();
    Envelope request = Envelopes.signed(HeaderType.DELIVER_SEEK_INFO, channel, seek.toByteString(), signer);
    List<BlockDigest> blocks = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (DeliverQueue<DeliverResponse> stream =
        DeliverQueue.open(AtomicBroadcastGrpc.newStub(channelOf.apply(orderer))::deliver, request)) {
      while (true) {
        DeliverQueue.Event<DeliverResponse> event = stream.next(deadline).orElseThrow(() ->
            new ChainCollectionException(orderer, channel, "Deliver did not finish within "
                + timeout.toMillis() + " ms (" + blocks.size() + " block(s) received)"));
        if (event instanceof DeliverQueue.Event.Response<DeliverResponse> r && r.value().hasBlock()) {
          blocks.add(BlockDigests.of(r.value().getBlock()));
          continue;
        }
        if (event instanceof DeliverQueue.Event.Failed<DeliverResponse> f) {
          throw new ChainCollectionException(orderer, channel, String.valueOf(f.error().getMessage()));
        }
        Status status = event instanceof DeliverQueue.Event.Response<DeliverResponse> r
            ? r.value().getStatus() : Status.SUCCESS; // the orderer ending the stream counts as done
        if (status != Status.SUCCESS) {
          throw new ChainCollectionException(orderer, channel, "Deliver answered " + status
              + " after " + blocks.size() + " block(s)");
        }
        return new NodeChain(orderer, channel, blocks);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainCollectionException(orderer, channel, "interrupted");
    }
  }

  /** Deliver failed for one orderer and channel. */
  public static final class ChainCollectionException extends RuntimeException {
    private final String orderer;
    private final String channel;

    ChainCollectionException(String orderer, String channel, String reason) {
      super("cannot pull " + channel + " from " + orderer + ": " + reason);
      this.orderer = orderer;
      this.channel = channel;
    }

    public String orderer() {
      return orderer;
    }

    public String channel() {
      return channel;
    }
  }
}
