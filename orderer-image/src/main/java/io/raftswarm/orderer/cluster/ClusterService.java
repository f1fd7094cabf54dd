package io.raftswarm.orderer.cluster;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.raftswarm.orderer.broadcast.TlsCaller;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.raft.ConsistentCut;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * Orderer-to-orderer service next to AtomicBroadcast: {@code ConsistentCut} returns a channel's
 * {@link ConsistentCut} (ledger height, last hash, applied Raft position), which a lagging
 * orderer needs besides the blocks to resume Raft. Only consenters of the channel (by TLS client
 * certificate) may call it. Messages are protobuf {@code Struct}s so no code generation is
 * needed: request {channel}, response {height, lastHash, appliedTerm, appliedIndex} (numbers as
 * strings, they exceed a double's precision).
 */
public final class ClusterService {
  static final String SERVICE = "raftswarm.orderer.Cluster";
  static final MethodDescriptor<Struct, Struct> CONSISTENT_CUT = MethodDescriptor.<Struct, Struct>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "ConsistentCut"))
      .setRequestMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
      .build();

  private ClusterService() {}

  public static ServerServiceDefinition definition(Function<String, Chain> chains) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(CONSISTENT_CUT, ServerCalls.asyncUnaryCall((request, response) -> {
          String channelId = request.getFieldsOrDefault("channel", Value.getDefaultInstance()).getStringValue();
          Chain chain = chains.apply(channelId);
          if (chain == null) {
            response.onError(Status.NOT_FOUND.withDescription("channel " + channelId + " does not exist").asRuntimeException());
            return;
          }
          if (!chain.isConsenter(TlsCaller.CERTIFICATE.get())) {
            response.onError(Status.PERMISSION_DENIED.withDescription("only consenters of " + channelId
                + " may read its Raft position").asRuntimeException());
            return;
          }
          ConsistentCut cut = chain.cut();
          response.onNext(Struct.newBuilder()
              .putFields("height", string(Long.toString(cut.height())))
              .putFields("lastHash", string(HexFormat.of().formatHex(cut.lastHash())))
              .putFields("appliedTerm", string(Long.toString(cut.appliedTerm())))
              .putFields("appliedIndex", string(Long.toString(cut.appliedIndex())))
              .build());
          response.onCompleted();
        }))
        .build();
  }

  static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  static ConsistentCut parse(Struct s) {
    return new ConsistentCut(
        Long.parseLong(s.getFieldsOrThrow("height").getStringValue()),
        HexFormat.of().parseHex(s.getFieldsOrThrow("lastHash").getStringValue()),
        Long.parseLong(s.getFieldsOrThrow("appliedTerm").getStringValue()),
        Long.parseLong(s.getFieldsOrThrow("appliedIndex").getStringValue()));
  }
}
