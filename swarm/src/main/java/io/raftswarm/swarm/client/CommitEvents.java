package io.raftswarm.swarm.client;

import io.grpc.ManagedChannel;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.grpc.DeliverQueue;
import io.raftswarm.common.identity.SigningIdentity;
import java.time.Duration;
import java.util.Optional;
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

  private final DeliverQueue<DeliverResponse> events;

  private CommitEvents(DeliverQueue<DeliverResponse> events) {
    this.events = events;
  }

  static CommitEvents open(ManagedChannel peer, String channel, SigningIdentity signer) {
    SeekInfo seek = SeekInfo.newBuilder()
        .setStart(SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()))
        .setStop(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(Long.MAX_VALUE)))
        .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
        .build();
    return new CommitEvents(DeliverQueue.open(DeliverGrpc.newStub(peer)::deliverFiltered,
        Envelopes.signed(HeaderType.DELIVER_SEEK_INFO, channel, seek.toByteString(), signer)));
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
      Optional<DeliverQueue.Event<DeliverResponse>> e = events.next(deadline);
      if (e.isEmpty()) {
        return Optional.empty();
      }
      if (e.get() instanceof DeliverQueue.Event.Failed<DeliverResponse> f) {
        throw new IllegalStateException("the peer's event stream failed: " + f.error().getMessage(), f.error());
      }
      if (e.get() instanceof DeliverQueue.Event.Ended<DeliverResponse>) {
        throw new IllegalStateException("the peer ended the event stream");
      }
      DeliverResponse response = ((DeliverQueue.Event.Response<DeliverResponse>) e.get()).value();
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
    events.cancel();
  }
}
