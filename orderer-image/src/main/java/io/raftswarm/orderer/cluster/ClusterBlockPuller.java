package io.raftswarm.orderer.cluster;

import com.google.protobuf.Struct;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.ClientCalls;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.chain.ConsenterIds;
import io.raftswarm.orderer.ledger.BlockStore;
import io.raftswarm.orderer.raft.BlockPuller;
import io.raftswarm.orderer.raft.ConsistentCut;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls missing blocks of a channel from the other orderers, as Fabric's BlockPuller: asks a
 * source for its {@link ConsistentCut}, then copies the blocks up to it as the source stores them
 * ({@code PullBlocks}, see {@link ClusterService}; all consenters of a channel run the same
 * orderer version, so there is no Deliver fallback). Sources: the leader first, then the
 * other consenters in random order, as the config in force names them (consenters come and go).
 * Blocking; called from the catch-up task and from a join that onboards from a later config block.
 */
public final class ClusterBlockPuller implements BlockPuller, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.common.cluster.puller");
  private static final long TIMEOUT_SECONDS = 10;

  private final java.util.function.Supplier<ChannelConfig> configInForce;
  private final String selfPeer;
  private final TlsMaterial tls;
  private final Map<String, ManagedChannel> connections = new ConcurrentHashMap<>();

  /** @param selfPeer this orderer's Raft peer id, never a source */
  public ClusterBlockPuller(java.util.function.Supplier<ChannelConfig> configInForce, String selfPeer, TlsMaterial tls) {
    this.configInForce = configInForce;
    this.selfPeer = selfPeer;
    this.tls = tls;
  }

  @Override
  public ConsistentCut pull(String leaderHint, long minAppliedIndex, BlockStore ledger) throws Exception {
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
    // Where the config ties no endpoint to a consenter (Fabric's configs need not), every listed
    // endpoint is a source too, after the known ones; this orderer's own answers "behind too".
    Map<String, String> named = new LinkedHashMap<>();
    for (int id : sources) {
      channel.ordererEndpoint(id).ifPresent(endpoint -> named.putIfAbsent(endpoint, "orderer " + id));
    }
    List<String> unnamed = new ArrayList<>(channel.ordererEndpoints());
    unnamed.removeAll(named.keySet());
    Collections.shuffle(unnamed);
    unnamed.forEach(endpoint -> named.putIfAbsent(endpoint, "orderer"));
    Exception last = null;
    for (Map.Entry<String, String> source : named.entrySet()) {
      String endpoint = source.getKey();
      String id = source.getValue();
      long fromHeight = ledger.height();
      try {
        ConsistentCut cut = ClusterService.parse(ClientCalls.blockingUnaryCall(connection(endpoint),
            ClusterService.CONSISTENT_CUT, CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS),
            Struct.newBuilder().putFields("channel", ClusterService.string(channel.channelId())).build()));
        if (cut.appliedIndex() < minAppliedIndex || cut.height() < fromHeight) {
          last = new IllegalStateException(id + " (" + endpoint + ") is behind too: " + cut
              + ", need applied index >= " + minAppliedIndex);
          continue;
        }
        if (cut.height() > fromHeight) {
          pullFrames(channel.channelId(), endpoint, fromHeight, cut.height() - 1, ledger);
        }
        LOG.info("Pulled blocks [{}..{}] of channel {} from {} ({})", fromHeight, cut.height() - 1,
            channel.channelId(), id, endpoint);
        return cut;
      } catch (Exception e) {
        last = e;
        LOG.warn("Cannot pull channel {} from {} ({}): {}", channel.channelId(), id, endpoint, e.getMessage());
      }
    }
    throw last == null ? new IllegalStateException("no other orderer to pull from") : last;
  }

  @Override
  public boolean runsChannel(String ordererEndpoint) {
    try {
      ClientCalls.blockingUnaryCall(connection(ordererEndpoint), ClusterService.CONSISTENT_CUT,
          CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS),
          Struct.newBuilder().putFields("channel", ClusterService.string(configInForce.get().channelId())).build());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Copies blocks {@code from..to} as stored frames; fails when the source sends nothing for {@link #TIMEOUT_SECONDS}. */
  private void pullFrames(String channelId, String endpoint, long from, long to, BlockStore ledger) throws Exception {
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    ClientCall<Struct, byte[]> call = connection(endpoint).newCall(ClusterService.PULL_BLOCKS, CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        events.add(message);
      }

      @Override
      public void onClose(io.grpc.Status status, Metadata trailers) {
        events.add(status);
      }
    }, new Metadata());
    // Two messages in flight: the source reads the next frames while this side appends.
    call.request(2);
    call.sendMessage(Struct.newBuilder()
        .putFields("channel", ClusterService.string(channelId))
        .putFields("from", ClusterService.string(Long.toString(from)))
        .putFields("to", ClusterService.string(Long.toString(to)))
        .build());
    call.halfClose();
    try {
      while (true) {
        Object event = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (event == null) {
          throw new IllegalStateException("PullBlocks from " + endpoint + " stalled at block " + ledger.height());
        }
        if (event instanceof io.grpc.Status status) {
          if (!status.isOk()) {
            throw status.asRuntimeException();
          }
          if (ledger.height() != to + 1) {
            throw new IllegalStateException("PullBlocks from " + endpoint + " ended at block " + ledger.height() + " before " + to);
          }
          return;
        }
        ledger.appendFrames(BlockStore.Frames.of((byte[]) event));
        call.request(1);
      }
    } finally {
      call.cancel("pull ended", null); // no-op once the call closed
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
