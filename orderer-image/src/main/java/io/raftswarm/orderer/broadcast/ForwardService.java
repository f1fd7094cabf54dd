package io.raftswarm.orderer.broadcast;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.fabric.AliasedProtos;
import io.raftswarm.orderer.chain.BlockCutter;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Orderer-to-orderer forwarding in batches: a follower sends the envelopes its clients broadcast
 * to the channel's leader many at a time instead of one gRPC message each, which is most of what
 * a forwarded transaction costs both sides. The messages reuse Fabric's protos, so no code
 * generation is needed: a request is a {@code common.BlockData} whose {@code data} are serialized
 * envelopes, its answer a {@code BlockData} whose {@code data} are the serialized
 * {@code BroadcastResponse}s, one per envelope in the same order; answers come in request order.
 * An answer with no {@code data} answers nothing: it is the {@link #HAND_OFF_NOTICE}, which a
 * leader stopping on purpose sends ahead of its answers (see {@link #announceHandOff}).
 *
 * <p>Each envelope takes exactly the Broadcast path ({@link BroadcastHandler#process}), so a caller
 * that is not a consenter of the envelope's channel gets its signature checked like any client.
 */
public final class ForwardService {
  static final String SERVICE = "raftswarm.orderer.Forward";
  static final MethodDescriptor<BlockData, BlockData> FORWARD = MethodDescriptor.<BlockData, BlockData>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Forward"))
      .setRequestMarshaller(ProtoUtils.marshaller(BlockData.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(BlockData.getDefaultInstance()))
      .build();

  /**
   * "This leader is handing off on purpose and will still answer what it was sent": what was
   * forwarded here either commits before the hand-off or is passed on to the next leader, whose
   * answer comes back through this stream. Without it a follower could take the quiet that
   * follows for a frozen or cut-off leader (see {@link LeaderForwarder}).
   */
  static final BlockData HAND_OFF_NOTICE = BlockData.getDefaultInstance();

  private final BroadcastHandler broadcast;
  private final Set<OrderedResponses<BlockData>> open = ConcurrentHashMap.newKeySet();

  public ForwardService(BroadcastHandler broadcast) {
    this.broadcast = broadcast;
  }

  /** The service; register it behind {@link TlsCaller} so that callers are known by certificate. */
  public ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(FORWARD, ServerCalls.asyncBidiStreamingCall(out -> open(out, TlsCaller.CERTIFICATE.get())))
        .build();
  }

  /** Tells every follower forwarding here that this orderer hands its leadership off on purpose. */
  public void announceHandOff() {
    open.forEach(answers -> answers.sendNow(HAND_OFF_NOTICE));
  }

  private StreamObserver<BlockData> open(StreamObserver<BlockData> out, X509Certificate caller) {
    // Answers never fail (see below); should one, every envelope of the batch is answered so.
    OrderedResponses<BlockData> answers = new OrderedResponses<>(out, e -> BlockData.newBuilder()
        .addData(BlockCutter.response(Status.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage()).toByteString())
        .build());
    open.add(answers);
    return new StreamObserver<>() {
      @Override
      public void onNext(BlockData batch) {
        List<CompletableFuture<BroadcastResponse>> results = new ArrayList<>(batch.getDataCount());
        for (ByteString bytes : batch.getDataList()) {
          try {
            results.add(broadcast.process(AliasedProtos.parse(Envelope.parser(), bytes), caller).exceptionally(e ->
                BlockCutter.response(Status.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage())));
          } catch (InvalidProtocolBufferException e) {
            results.add(CompletableFuture.completedFuture(BlockCutter.response(Status.BAD_REQUEST,
                "malformed envelope: " + e.getMessage())));
          }
        }
        answers.add(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
          BlockData.Builder answer = BlockData.newBuilder();
          results.forEach(r -> answer.addData(r.join().toByteString()));
          return answer.build();
        }));
      }

      @Override
      public void onError(Throwable t) {
        open.remove(answers);
        answers.cancel();
      }

      @Override
      public void onCompleted() {
        open.remove(answers);
        answers.halfClose();
      }
    };
  }
}
