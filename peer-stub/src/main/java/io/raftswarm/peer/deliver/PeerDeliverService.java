package io.raftswarm.peer.deliver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.ParsedEnvelope;
import io.raftswarm.common.fabric.SeekPlan;
import io.raftswarm.common.fabric.TransactionsFilter;
import io.raftswarm.common.identity.IdentityException;
import io.raftswarm.peer.channel.ChannelLedger;
import io.raftswarm.peer.channel.Channels;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import com.google.protobuf.ByteString;
import io.raftswarm.peer.tx.EndorsedTransaction;
import org.hyperledger.fabric.protos.peer.BlockAndPrivateData;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.FilteredChaincodeAction;
import org.hyperledger.fabric.protos.peer.FilteredTransactionActions;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.hyperledger.fabric.protos.peer.FilteredBlock;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code peer.Deliver}: committed blocks ({@code Deliver}), commit events ({@code DeliverFiltered}:
 * block number, tx ids, types, validation codes and chaincode events without their payload, as
 * Fabric's {@code toFilteredBlock} makes them) and blocks with their private data
 * ({@code DeliverWithPrivateData}: the built-in chaincodes keep none, so the map is empty), with Fabric's SeekInfo
 * semantics ({@link SeekPlan}: unsigned block numbers, every start/stop kind, BLOCK_UNTIL_READY or
 * FAIL_IF_NOT_READY, HEADER_WITH_SIG). The request
 * must be signed by a member of the channel. Each stream is served by a thread of the given
 * executor until its stop position, the client's cancel, or shutdown.
 */
public final class PeerDeliverService extends DeliverGrpc.DeliverImplBase {
  private static final Logger log = LoggerFactory.getLogger("deliver");
  private static final Duration POLL = Duration.ofMillis(500);
  private final Channels channels;
  private final ExecutorService executor;

  public PeerDeliverService(Channels channels, ExecutorService executor) {
    this.channels = channels;
    this.executor = executor;
  }

  /** What each response carries, per service method. */
  private enum Shape { BLOCK, FILTERED, WITH_PRIVATE_DATA }

  @Override
  public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responseObserver) {
    return new Requests(responseObserver, Shape.BLOCK);
  }

  @Override
  public StreamObserver<Envelope> deliverFiltered(StreamObserver<DeliverResponse> responseObserver) {
    return new Requests(responseObserver, Shape.FILTERED);
  }

  @Override
  public StreamObserver<Envelope> deliverWithPrivateData(StreamObserver<DeliverResponse> responseObserver) {
    return new Requests(responseObserver, Shape.WITH_PRIVATE_DATA);
  }

  private final class Requests implements StreamObserver<Envelope> {
    private final ServerCallStreamObserver<DeliverResponse> out;
    private final Shape shape;

    Requests(StreamObserver<DeliverResponse> out, Shape shape) {
      this.out = (ServerCallStreamObserver<DeliverResponse>) out;
      this.shape = shape;
    }

    @Override
    public void onNext(Envelope request) {
      executor.execute(() -> serve(request));
    }

    private void serve(Envelope request) {
      try {
        ParsedEnvelope parsed = Envelopes.parse(request);
        Optional<ChannelLedger> ledger = channels.ledger(parsed.channelId());
        if (ledger.isEmpty()) {
          finish(Status.NOT_FOUND);
          return;
        }
        try {
          Envelopes.verify(request, ledger.get().config().msps());
        } catch (IdentityException e) {
          log.info("Deliver request for channel {} refused: {}", parsed.channelId(), e.getMessage());
          finish(Status.FORBIDDEN);
          return;
        }
        SeekInfo seek = SeekInfo.parseFrom(parsed.payload().getData());
        stream(ledger.get(), seek);
      } catch (InvalidProtocolBufferException e) {
        finish(Status.BAD_REQUEST);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        if (!out.isCancelled()) {
          log.warn("Deliver stream failed", e);
          finish(Status.INTERNAL_SERVER_ERROR);
        }
      }
    }

    private void stream(ChannelLedger ledger, SeekInfo seek) throws InterruptedException {
      SeekPlan plan;
      try {
        plan = SeekPlan.resolve(seek, ledger.height());
      } catch (SeekPlan.Refused r) {
        log.debug("Deliver request for channel {} answered {}: {}", ledger.channelId(), r.status(), r.getMessage());
        finish(r.status());
        return;
      }
      // Block numbers are unsigned: a stop of 2^64-1 (the SDKs' and deliver_stdout's "forever")
      // is never reached. n never passes the height, so it stays a valid index.
      for (long n = plan.start(); ; n++) {
        while (ledger.height() <= n) {
          if (plan.notReady(n, ledger.height())) {
            finish(Status.NOT_FOUND);
            return;
          }
          if (out.isCancelled()) {
            return;
          }
          ledger.awaitBlock(n, POLL);
        }
        if (out.isCancelled()) {
          return;
        }
        Block block = ledger.block(n);
        DeliverResponse response = switch (shape) {
          case FILTERED -> DeliverResponse.newBuilder().setFilteredBlock(filter(ledger.channelId(), block)).build();
          case WITH_PRIVATE_DATA -> DeliverResponse.newBuilder()
              .setBlockAndPrivateData(BlockAndPrivateData.newBuilder().setBlock(plan.shape(block))).build();
          case BLOCK -> DeliverResponse.newBuilder().setBlock(plan.shape(block)).build();
        };
        synchronized (out) {
          out.onNext(response);
        }
        if (plan.isLast(n)) {
          finish(Status.SUCCESS);
          return;
        }
      }
    }

    private void finish(Status status) {
      synchronized (out) {
        if (!out.isCancelled()) {
          out.onNext(DeliverResponse.newBuilder().setStatus(status).build());
          out.onCompleted();
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      // client went away; the serving thread notices isCancelled()
    }

    @Override
    public void onCompleted() {
      // requests are served independently; nothing to flush
    }
  }

  /**
   * The commit event of a block: tx ids, types, validation codes and, for endorser transactions,
   * their chaincode events without payload (for every transaction, valid or not, as Fabric does).
   */
  public static FilteredBlock filter(String channelId, Block block) {
    FilteredBlock.Builder fb = FilteredBlock.newBuilder().setChannelId(channelId).setNumber(block.getHeader().getNumber());
    List<TxValidationCode> codes = TransactionsFilter.codes(block);
    for (int i = 0; i < block.getData().getDataCount(); i++) {
      FilteredTransaction.Builder ft = FilteredTransaction.newBuilder().setTxValidationCode(codes.get(i));
      try {
        ParsedEnvelope parsed = Envelopes.parse(Envelope.parseFrom(block.getData().getData(i)));
        ChannelHeader ch = parsed.channelHeader();
        ft.setTxid(ch.getTxId()).setType(HeaderType.forNumber(ch.getType()) == null ? HeaderType.MESSAGE : HeaderType.forNumber(ch.getType()));
        if (ch.getType() == HeaderType.ENDORSER_TRANSACTION_VALUE) {
          ft.setTransactionActions(chaincodeEvents(Envelope.parseFrom(block.getData().getData(i))));
        }
      } catch (InvalidProtocolBufferException e) {
        // malformed transaction: report it with its code and no id
      }
      fb.addFilteredTransactions(ft);
    }
    return fb.build();
  }

  private static FilteredTransactionActions chaincodeEvents(Envelope envelope) {
    FilteredTransactionActions.Builder actions = FilteredTransactionActions.newBuilder();
    try {
      ByteString events = EndorsedTransaction.parse(envelope).action().getEvents();
      ChaincodeEvent event = ChaincodeEvent.parseFrom(events);
      if (!event.getChaincodeId().isEmpty()) {
        actions.addChaincodeActions(FilteredChaincodeAction.newBuilder().setChaincodeEvent(ChaincodeEvent.newBuilder()
            .setTxId(event.getTxId()).setChaincodeId(event.getChaincodeId()).setEventName(event.getEventName())));
      }
    } catch (Exception e) {
      // not a well-formed endorser transaction: it is reported with its code and no action
    }
    return actions.build();
  }
}
