package io.raftswarm.orderer.cluster;

import com.google.protobuf.Struct;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.grpc.DeliverQueue;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.chain.ConsenterIds;
import io.raftswarm.orderer.raft.BlockPuller;
import io.raftswarm.orderer.raft.ConsistentCut;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls missing blocks of a channel from the other orderers, as Fabric's BlockPuller: asks a
 * source for its {@link ConsistentCut} (cluster service), then reads the blocks over Deliver,
 * signed by this orderer's identity. Sources: the leader first, then the other consenters in
 * random order, as the config in force names them (consenters come and go). Blocking; called
 * from the catch-up task and from a join that onboards from a later config block.
 */
public final class DeliverBlockPuller implements BlockPuller, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.common.cluster.puller");
  private static final long TIMEOUT_SECONDS = 10;

  private final java.util.function.Supplier<ChannelConfig> configInForce;
  private final String selfPeer;
  private final SigningIdentity signer;
  private final TlsMaterial tls;
  private final Map<String, ManagedChannel> connections = new ConcurrentHashMap<>();

  /** @param selfPeer this orderer's Raft peer id, never a source */
  public DeliverBlockPuller(java.util.function.Supplier<ChannelConfig> configInForce, String selfPeer, SigningIdentity signer,
      TlsMaterial tls) {
    this.configInForce = configInForce;
    this.selfPeer = selfPeer;
    this.signer = signer;
    this.tls = tls;
  }

  @Override
  public ConsistentCut pull(String leaderHint, long fromHeight, long minAppliedIndex, Consumer<Block> sink) throws Exception {
    ChannelConfig channel = configInForce.get();
    List<Integer> sources = new ArrayList<>();
    channel.consenters().forEach(c -> {
      if (!ConsenterIds.peerId(c).equals(selfPeer)) {
        sources.add(c.id());
      }
    });
    Collections.shuffle(sources);
    channel.consenters().stream()
        .filter(c -> leaderHint != null && ConsenterIds.peerId(c).equals(leaderHint) && !leaderHint.equals(selfPeer))
        .findFirst()
        .ifPresent(leader -> {
          sources.remove(Integer.valueOf(leader.id()));
          sources.add(0, leader.id());
        });
    Exception last = null;
    for (int id : sources) {
      String endpoint = channel.ordererEndpoint(id).orElseThrow();
      try {
        ConsistentCut cut = ClusterService.parse(ClientCalls.blockingUnaryCall(connection(endpoint),
            ClusterService.CONSISTENT_CUT, CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS),
            Struct.newBuilder().putFields("channel", ClusterService.string(channel.channelId())).build()));
        if (cut.appliedIndex() < minAppliedIndex || cut.height() < fromHeight) {
          last = new IllegalStateException("orderer " + id + " (" + endpoint + ") is behind too: " + cut
              + ", need applied index >= " + minAppliedIndex);
          continue;
        }
        if (cut.height() > fromHeight) {
          deliver(channel.channelId(), endpoint, fromHeight, cut.height() - 1, sink);
        }
        LOG.info("Pulled blocks [{}..{}] of channel {} from orderer {} ({})", fromHeight, cut.height() - 1,
            channel.channelId(), id, endpoint);
        return cut;
      } catch (Exception e) {
        last = e;
        LOG.warn("Cannot pull channel {} from orderer {} ({}): {}", channel.channelId(), id, endpoint, e.getMessage());
      }
    }
    throw last == null ? new IllegalStateException("no other orderer to pull from") : last;
  }

  private void deliver(String channelId, String endpoint, long from, long to, Consumer<Block> sink) throws Exception {
    SeekInfo seek = SeekInfo.newBuilder()
        .setStart(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(from)))
        .setStop(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(to)))
        .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY)
        // As Fabric's cluster BlockPuller: committed blocks are safe to copy from an orderer that
        // has just lost its leader, so STRICT's SERVICE_UNAVAILABLE would only slow catch-up.
        .setErrorResponse(SeekInfo.SeekErrorResponse.BEST_EFFORT)
        .build();
    var envelope = Envelopes.signed(HeaderType.DELIVER_SEEK_INFO, channelId, seek.toByteString(), signer);
    try (DeliverQueue<DeliverResponse> queue =
        DeliverQueue.open(AtomicBroadcastGrpc.newStub(connection(endpoint))::deliver, envelope)) {
      long expected = from;
      while (true) {
        long at = expected;
        DeliverQueue.Event<DeliverResponse> event = queue.next(System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS))
            .orElseThrow(() -> new IllegalStateException("Deliver from " + endpoint + " stalled at block " + at));
        if (event instanceof DeliverQueue.Event.Failed<DeliverResponse> f) {
          throw new IllegalStateException("Deliver from " + endpoint + " failed: " + f.error().getMessage(), f.error());
        }
        if (event instanceof DeliverQueue.Event.Ended<DeliverResponse>) {
          throw new IllegalStateException("Deliver from " + endpoint + " ended at block " + expected + " before " + to);
        }
        DeliverResponse response = ((DeliverQueue.Event.Response<DeliverResponse>) event).value();
        if (response.hasBlock()) {
          Block block = response.getBlock();
          if (block.getHeader().getNumber() != expected) {
            throw new IllegalStateException("Deliver from " + endpoint + " sent block " + block.getHeader().getNumber()
                + ", expected " + expected);
          }
          sink.accept(block);
          expected++;
        } else if (response.getStatus() == Status.SUCCESS && expected == to + 1) {
          return;
        } else {
          throw new IllegalStateException("Deliver from " + endpoint + " answered " + response.getStatus() + " at block " + expected);
        }
      }
    }
  }

  private ManagedChannel connection(String endpoint) {
    return connections.computeIfAbsent(endpoint, e -> GrpcChannels.open(e, tls));
  }

  @Override
  public void close() {
    connections.values().forEach(ManagedChannel::shutdownNow);
  }
}
