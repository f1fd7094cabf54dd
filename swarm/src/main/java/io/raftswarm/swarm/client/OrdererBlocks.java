package io.raftswarm.swarm.client;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.SigningIdentity;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    CompletableFuture<Block> answer = new CompletableFuture<>();
    StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(orderer).deliver(new StreamObserver<DeliverResponse>() {
      @Override
      public void onNext(DeliverResponse response) {
        if (response.hasBlock()) {
          answer.complete(response.getBlock());
        } else {
          answer.completeExceptionally(new FabricClientException(FabricClientException.Failure.ORDERER_REJECTED,
              "Deliver of block " + (number < 0 ? "newest" : number) + " of " + channel + " answered " + response.getStatus()));
        }
      }

      @Override
      public void onError(Throwable t) {
        answer.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        answer.completeExceptionally(new IllegalStateException("the orderer closed the Deliver stream without a block"));
      }
    });
    requests.onNext(Envelopes.signed(HeaderType.DELIVER_SEEK_INFO, channel, seek.toByteString(), signer));
    try {
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FabricClientException f) {
        throw f;
      }
      throw new FabricClientException(FabricClientException.Failure.ORDERER_UNREACHABLE,
          "Deliver from the orderer failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new FabricClientException(FabricClientException.Failure.ORDERER_UNREACHABLE,
          "the orderer sent no block within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FabricClientException(FabricClientException.Failure.ORDERER_UNREACHABLE, "interrupted", e);
    } finally {
      try {
        requests.onCompleted();
      } catch (RuntimeException ignored) {
        // the stream already ended
      }
    }
  }
}
