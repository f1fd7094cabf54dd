package io.raftswarm.swarm.drill.load;

import com.google.protobuf.ByteString;
import io.raftswarm.swarm.client.BroadcastConnector;
import io.raftswarm.swarm.client.SignedTx;
import io.raftswarm.swarm.client.TxSource;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * In-memory Broadcast: each orderer answers on its own thread, in order, with what
 * {@code behaviour(orderer, txId)} says — a status, {@link #SILENT} (never answers) or
 * {@link #BREAK} (fails the stream).
 */
final class FakeOrderers implements BroadcastConnector {
  static final Status SILENT = Status.UNKNOWN;
  static final Status BREAK = Status.INTERNAL_SERVER_ERROR;

  private final BiFunction<String, String, Status> behaviour;
  private final ExecutorService answers = Executors.newCachedThreadPool();
  final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();
  final Map<String, Status> decided = new ConcurrentHashMap<>();

  FakeOrderers(BiFunction<String, String, Status> behaviour) {
    this.behaviour = behaviour;
  }

  @Override
  public Session open(String orderer, Listener listener) {
    opened.computeIfAbsent(orderer, o -> new AtomicInteger()).incrementAndGet();
    ExecutorService stream = Executors.newSingleThreadExecutor();
    return new Session() {
      @Override
      public void send(Envelope envelope) {
        String txId = envelope.getPayload().toString(StandardCharsets.UTF_8);
        Status status = behaviour.apply(orderer, txId);
        decided.put(txId, status);
        if (status == SILENT) {
          return;
        }
        stream.execute(() -> {
          if (status == BREAK) {
            listener.onError(new IllegalStateException("UNAVAILABLE: connection reset"));
          } else {
            listener.onResponse(BroadcastResponse.newBuilder().setStatus(status)
                .setInfo(status == Status.SUCCESS ? "" : "no Raft leader").build());
          }
        });
      }

      @Override
      public void close() {
        stream.shutdown();
      }
    };
  }

  @Override
  public void close() {
    answers.shutdownNow();
  }

  /** Tx ids are "tx-N"; the envelope payload carries the id so the fake can see it. */
  static TxSource counting() {
    AtomicInteger n = new AtomicInteger();
    return channel -> {
      String id = "tx-" + n.incrementAndGet();
      return new SignedTx(id, channel,
          Envelope.newBuilder().setPayload(ByteString.copyFromUtf8(id)).build());
    };
  }

  static int number(String txId) {
    return Integer.parseInt(txId.substring(3));
  }
}
