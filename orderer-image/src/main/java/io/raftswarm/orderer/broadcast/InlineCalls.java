package io.raftswarm.orderer.broadcast;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.Executor;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;

/**
 * Runs the messages of the given gRPC methods on the transport thread that read them instead of
 * handing each to gRPC's default executor, as gRPC advises for handlers that never block.
 * Broadcast and Forward qualify: validation, the signature check and routing are CPU work, and
 * everything after (the leader's answer, Raft's commit) completes a future on another thread. A
 * loaded follower spent ~9 % of its CPU waking executor threads for them (docs/BENCHMARKS.md).
 * Methods that block (Deliver waits for blocks) keep the default executor.
 */
public final class InlineCalls implements ServerCallExecutorSupplier {
  private static final Executor INLINE = Runnable::run;
  private final Set<String> methods;

  /** Broadcast (clients) and Forward (followers to their leader). */
  public static InlineCalls broadcastAndForward() {
    return new InlineCalls(Set.of(AtomicBroadcastGrpc.getBroadcastMethod().getFullMethodName(),
        ForwardService.FORWARD.getFullMethodName()));
  }

  /** @param fullMethodNames e.g. {@code orderer.AtomicBroadcast/Broadcast} */
  public InlineCalls(Set<String> fullMethodNames) {
    this.methods = Set.copyOf(fullMethodNames);
  }

  @Override
  public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata metadata) {
    // null: gRPC's default executor
    return methods.contains(call.getMethodDescriptor().getFullMethodName()) ? INLINE : null;
  }
}
