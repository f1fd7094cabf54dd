package io.raftswarm.orderer.broadcast;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.raftswarm.orderer.chain.BlockCutter;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

  private ForwardService() {}

  /** The service; register it behind {@link TlsCaller} so that callers are known by certificate. */
  public static ServerServiceDefinition definition(BroadcastHandler broadcast) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(FORWARD, ServerCalls.asyncBidiStreamingCall(out -> open(broadcast, out, TlsCaller.CERTIFICATE.get())))
        .build();
  }

  private static StreamObserver<BlockData> open(BroadcastHandler broadcast, StreamObserver<BlockData> out,
      X509Certificate caller) {
    // Answers never fail (see below); an empty answer would make the follower fail the batch.
    OrderedResponses<BlockData> answers = new OrderedResponses<>(out, e -> BlockData.getDefaultInstance());
    return new StreamObserver<>() {
      @Override
      public void onNext(BlockData batch) {
        List<CompletableFuture<BroadcastResponse>> results = new ArrayList<>(batch.getDataCount());
        for (ByteString bytes : batch.getDataList()) {
          try {
            results.add(broadcast.process(Envelope.parseFrom(bytes), caller).exceptionally(e ->
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
        answers.cancel();
      }

      @Override
      public void onCompleted() {
        answers.halfClose();
      }
    };
  }
}
