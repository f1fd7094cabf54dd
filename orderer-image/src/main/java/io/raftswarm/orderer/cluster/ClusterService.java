package io.raftswarm.orderer.cluster;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.raftswarm.orderer.broadcast.TlsCaller;
import io.raftswarm.orderer.chain.Chain;
import io.raftswarm.orderer.ledger.BlockStore;
import io.raftswarm.orderer.raft.ConsistentCut;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * Orderer-to-orderer service next to AtomicBroadcast. Only consenters of the channel (by TLS
 * client certificate) may call it. Messages are protobuf {@code Struct}s so no code generation is
 * needed.
 * <ul>
 *   <li>{@code ConsistentCut}: request {channel}, response {height, lastHash, appliedTerm,
 *   appliedIndex} (numbers as strings, they exceed a double's precision): the channel's
 *   {@link ConsistentCut}, which a lagging orderer needs besides the blocks to resume Raft.
 *   <li>{@code LeaderLink}: the first request is {channel}, answered with one {node} message; the
 *   stream then stays open until this orderer stops, and the follower keeps sending empty
 *   messages, which are read and dropped. Followers hold one to their leader ({@link LeaderWatch}):
 *   if it breaks, the leader's process is gone; if this host stops acknowledging those messages,
 *   the leader is cut off. A graceful stop completes the streams first
 *   ({@link OpenWatches#completeAll()}), so it is never taken for a crash.
 *   <li>{@code LeaderWatch}: the same without the follower's messages (request {channel}, a
 *   server stream); what orderers built before {@code LeaderLink} call.
 *   <li>{@code PullBlocks}: request {channel, from, to} (numbers as strings); the response stream
 *   carries blocks {@code from..to} as the ledger stores them ({@link BlockStore.Frames}: length-
 *   and CRC-framed, about {@link FrameStream#MESSAGE_BYTES} per message), so neither side parses
 *   or re-encodes a block per message; a catching-up orderer checks and appends them as they are
 *   ({@link BlockStore#appendFrames}). Deliver sent one gRPC message per block and ran at
 *   ~1,900 blocks/s of 11 KB blocks on loopback (docs/BENCHMARKS.md "Restart and catch-up").
 * </ul>
 */
public final class ClusterService {
  static final String SERVICE = "raftswarm.orderer.Cluster";
  static final MethodDescriptor<Struct, Struct> CONSISTENT_CUT = MethodDescriptor.<Struct, Struct>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "ConsistentCut"))
      .setRequestMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
      .build();
  static final MethodDescriptor<Struct, Struct> LEADER_WATCH = MethodDescriptor.<Struct, Struct>newBuilder()
      .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "LeaderWatch"))
      .setRequestMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
      .build();
  static final MethodDescriptor<Struct, Struct> LEADER_LINK = MethodDescriptor.<Struct, Struct>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "LeaderLink"))
      .setRequestMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
      .build();

  public static final MethodDescriptor<Struct, byte[]> PULL_BLOCKS = MethodDescriptor.<Struct, byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "PullBlocks"))
      .setRequestMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
      .setResponseMarshaller(new BytesMarshaller())
      .build();

  private ClusterService() {}

  public static ServerServiceDefinition definition(Function<String, Chain> chains, String nodeName, OpenWatches watches) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(LEADER_WATCH, ServerCalls.asyncServerStreamingCall((request, response) -> {
          var stream = (ServerCallStreamObserver<Struct>) response;
          watches.accept(stream);
          if (consentersChain(chains, request, response, "watch its orderers") != null) {
            watches.open(stream, hello(nodeName));
          }
        }))
        .addMethod(LEADER_LINK, ServerCalls.asyncBidiStreamingCall(response -> {
          var stream = (ServerCallStreamObserver<Struct>) response;
          watches.accept(stream);
          return new StreamObserver<Struct>() {
            private boolean first = true;

            @Override
            public void onNext(Struct request) {
              // Only the first message asks for something; the rest are there to be acknowledged.
              if (first) {
                first = false;
                if (consentersChain(chains, request, response, "watch its orderers") != null) {
                  watches.open(stream, hello(nodeName));
                }
              }
            }

            @Override
            public void onError(Throwable t) {
              // the follower went away: the cancel handler forgets the stream
            }

            @Override
            public void onCompleted() {
              // followers never half-close a link; the stream ends when they cancel or this orderer stops
            }
          };
        }))
        .addMethod(PULL_BLOCKS, ServerCalls.asyncServerStreamingCall((request, response) -> {
          Chain chain = consentersChain(chains, request, response, "pull its blocks");
          if (chain == null) {
            return;
          }
          long from;
          long to;
          try {
            from = Long.parseLong(request.getFieldsOrThrow("from").getStringValue());
            to = Long.parseLong(request.getFieldsOrThrow("to").getStringValue());
          } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("from and to must be block numbers: " + e.getMessage())
                .asRuntimeException());
            return;
          }
          long height = chain.ledger().height();
          if (from < 0 || to < from || to >= height) {
            response.onError(Status.OUT_OF_RANGE.withDescription("blocks [" + from + ".." + to + "] of " + chain.channelId()
                + " are not all in this orderer's ledger (height " + height + ")").asRuntimeException());
            return;
          }
          new FrameStream(chain.ledger(), from, to, (io.grpc.stub.ServerCallStreamObserver<byte[]>) response).start();
        }))
        .addMethod(CONSISTENT_CUT, ServerCalls.asyncUnaryCall((request, response) -> {
          Chain chain = consentersChain(chains, request, response, "read its Raft position");
          if (chain == null) {
            return;
          }
          if (!chain.raftRunning()) {
            response.onError(Status.UNAVAILABLE.withDescription("the Raft node of " + chain.channelId() + " is starting")
                .asRuntimeException());
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

  /**
   * The chain of the request's {@code channel} when the caller's TLS certificate is one of its
   * consenters'; otherwise ends the call with NOT_FOUND or PERMISSION_DENIED ("only consenters of
   * C may {@code what}") and returns null.
   */
  private static Chain consentersChain(Function<String, Chain> chains, Struct request, StreamObserver<?> response,
      String what) {
    String channelId = request.getFieldsOrDefault("channel", Value.getDefaultInstance()).getStringValue();
    Chain chain = chains.apply(channelId);
    if (chain == null) {
      response.onError(Status.NOT_FOUND.withDescription("channel " + channelId + " does not exist").asRuntimeException());
      return null;
    }
    if (!chain.isConsenter(TlsCaller.CERTIFICATE.get())) {
      response.onError(Status.PERMISSION_DENIED.withDescription("only consenters of " + channelId + " may " + what)
          .asRuntimeException());
      return null;
    }
    return chain;
  }

  private static Struct hello(String nodeName) {
    return Struct.newBuilder().putFields("node", string(nodeName)).build();
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
