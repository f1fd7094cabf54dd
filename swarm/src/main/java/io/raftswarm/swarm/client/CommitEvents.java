package io.raftswarm.swarm.client;

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
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.hyperledger.fabric.protos.peer.FilteredBlock;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * A {@code peer.Deliver/DeliverFiltered} stream from the peer's newest block on, opened before
 * the transaction is broadcast (so its commit cannot be missed), then read until the tx id
 * shows up. Like the peer CLI's --waitForEvent.
 */
final class CommitEvents implements AutoCloseable {
  /** Where and how a transaction was committed. */
  record Commit(long blockNumber, TxValidationCode code) {}

  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<Envelope> call;
  private static final Object END = new Object();

  private CommitEvents() {}

  static CommitEvents open(ManagedChannel peer, String channel, SigningIdentity signer) {
    CommitEvents events = new CommitEvents();
    SeekInfo seek = SeekInfo.newBuilder()
        .setStart(SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()))
        .setStop(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(Long.MAX_VALUE)))
        .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
        .build();
    var requests = DeliverGrpc.newStub(peer).deliverFiltered(new ClientResponseObserver<Envelope, DeliverResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<Envelope> requestStream) {
        events.call = requestStream;
      }

      @Override
      public void onNext(DeliverResponse value) {
        events.events.add(value);
      }

      @Override
      public void onError(Throwable t) {
        events.events.add(t);
      }

      @Override
      public void onCompleted() {
        events.events.add(END);
      }
    });
    requests.onNext(Envelopes.signed(HeaderType.DELIVER_SEEK_INFO, channel, seek.toByteString(), signer));
    return events;
  }

  /**
   * Waits for the transaction's commit.
   *
   * @return empty on timeout
   * @throws IllegalStateException when the peer ends the stream or refuses it
   */
  Optional<Commit> await(String txId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      Object e = events.poll(left, TimeUnit.NANOSECONDS);
      if (e == null) {
        return Optional.empty();
      }
      if (e instanceof Throwable t) {
        throw new IllegalStateException("the peer's event stream failed: " + t.getMessage(), t);
      }
      if (e == END) {
        throw new IllegalStateException("the peer ended the event stream");
      }
      DeliverResponse response = (DeliverResponse) e;
      if (response.hasFilteredBlock()) {
        FilteredBlock block = response.getFilteredBlock();
        for (FilteredTransaction tx : block.getFilteredTransactionsList()) {
          if (tx.getTxid().equals(txId)) {
            return Optional.of(new Commit(block.getNumber(), tx.getTxValidationCode()));
          }
        }
      } else {
        throw new IllegalStateException("the peer refused the event stream: " + response.getStatus());
      }
    }
  }

  @Override
  public void close() {
    ClientCallStreamObserver<Envelope> c = call;
    if (c != null) {
      c.cancel("done", null);
    }
  }
}
