package io.raftswarm.swarm.client;

import io.grpc.ManagedChannel;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.grpc.DeliverQueue;
import io.raftswarm.common.identity.SigningIdentity;
import java.time.Duration;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/** One block from an orderer over Deliver, as {@code peer channel fetch newest|<n>} gets it. */
final class OrdererBlocks {
  private OrdererBlocks() {}

  /** Block {@code number}, or the newest when {@code number} is negative. */
  static Block fetch(ManagedChannel orderer, String channel, long number, SigningIdentity signer, Duration timeout) {
    SeekPosition position = number < 0
        ? SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build()
        : SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(number)).build();
    SeekInfo seek = SeekInfo.newBuilder().setStart(position).setStop(position)
        .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY).build();
    Envelope request = Envelopes.signed(HeaderType.DELIVER_SEEK_INFO, channel, seek.toByteString(), signer);
    try (DeliverQueue<DeliverResponse> stream = DeliverQueue.open(AtomicBroadcastGrpc.newStub(orderer)::deliver, request)) {
      DeliverQueue.Event<DeliverResponse> event = stream.next(System.nanoTime() + timeout.toNanos())
          .orElseThrow(() -> new FabricClientException(FabricClientException.Failure.ORDERER_UNREACHABLE,
              "the orderer sent no block within " + timeout.toSeconds() + " s"));
      if (event instanceof DeliverQueue.Event.Response<DeliverResponse> r) {
        if (r.value().hasBlock()) {
          return r.value().getBlock();
        }
        throw new FabricClientException(FabricClientException.Failure.ORDERER_REJECTED,
            "Deliver of block " + (number < 0 ? "newest" : number) + " of " + channel + " answered " + r.value().getStatus());
      }
      Throwable cause = event instanceof DeliverQueue.Event.Failed<DeliverResponse> f ? f.error()
          : new IllegalStateException("the orderer closed the Deliver stream without a block");
      throw new FabricClientException(FabricClientException.Failure.ORDERER_UNREACHABLE,
          "Deliver from the orderer failed: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FabricClientException(FabricClientException.Failure.ORDERER_UNREACHABLE, "interrupted", e);
    }
  }
}
