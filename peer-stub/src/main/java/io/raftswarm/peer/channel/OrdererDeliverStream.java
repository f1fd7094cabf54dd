package io.raftswarm.peer.channel;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.SigningIdentity;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * One {@code orderer.AtomicBroadcast/Deliver} stream, read by polling: each event is a
 * DeliverResponse or the stream's end/error. Cancellable from the reading thread.
 */
final class OrdererDeliverStream implements AutoCloseable {
  /** A stream event: a response, or the end (error == null: completed). */
  record Event(DeliverResponse response, Throwable error, boolean end) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<org.hyperledger.fabric.protos.common.Envelope> call;

  private OrdererDeliverStream() {}

  /** Blocks from {@code start} on, waiting for new ones (a peer's continuous pull). */
  static OrdererDeliverStream from(ManagedChannel channel, String channelId, long start, SigningIdentity signer) {
    return open(channel, channelId, SeekInfo.newBuilder()
        .setStart(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(start)))
        .setStop(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(Long.MAX_VALUE)))
        .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
        // Committed blocks are final, so the peer keeps reading them from an orderer whose
        // channel is between leaders; its stall timeout moves it when no block comes.
        .setErrorResponse(SeekInfo.SeekErrorResponse.BEST_EFFORT)
        .build(), signer);
  }

  /** Only the newest block (to learn an orderer's height). */
  static OrdererDeliverStream newest(ManagedChannel channel, String channelId, SigningIdentity signer) {
    SeekPosition newest = SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build();
    return open(channel, channelId, SeekInfo.newBuilder().setStart(newest).setStop(newest)
        .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY)
        .setErrorResponse(SeekInfo.SeekErrorResponse.BEST_EFFORT).build(), signer);
  }

  private static OrdererDeliverStream open(ManagedChannel channel, String channelId, SeekInfo seek, SigningIdentity signer) {
    OrdererDeliverStream stream = new OrdererDeliverStream();
    var requests = AtomicBroadcastGrpc.newStub(channel).deliver(new ClientResponseObserver<org.hyperledger.fabric.protos.common.Envelope, DeliverResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<org.hyperledger.fabric.protos.common.Envelope> requestStream) {
        stream.call = requestStream;
      }

      @Override
      public void onNext(DeliverResponse value) {
        stream.events.add(new Event(value, null, false));
      }

      @Override
      public void onError(Throwable t) {
        stream.events.add(new Event(null, t, true));
      }

      @Override
      public void onCompleted() {
        stream.events.add(new Event(null, null, true));
      }
    });
    // no half-close after the request: like Fabric's deliver client, the send side stays open
    requests.onNext(Envelopes.signed(HeaderType.DELIVER_SEEK_INFO, channelId, seek.toByteString(), signer));
    return stream;
  }

  /** The next event, or empty when none arrived within the timeout. */
  Optional<Event> poll(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** The newest block number this orderer has, or empty when it did not answer in time. */
  static Optional<Long> newestBlock(ManagedChannel channel, String channelId, SigningIdentity signer, Duration timeout)
      throws InterruptedException {
    try (OrdererDeliverStream s = newest(channel, channelId, signer)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Optional<Event> e = s.poll(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        if (e.isEmpty() || e.get().end()) {
          return Optional.empty();
        }
        if (e.get().response().hasBlock()) {
          return Optional.of(e.get().response().getBlock().getHeader().getNumber());
        }
      }
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    ClientCallStreamObserver<?> c = call;
    if (c != null) {
      c.cancel("closed by the peer", null);
    }
  }
}
