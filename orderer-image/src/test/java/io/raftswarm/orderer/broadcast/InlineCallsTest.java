package io.raftswarm.orderer.broadcast;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.junit.jupiter.api.Test;

class InlineCallsTest {
  private final InlineCalls calls = InlineCalls.broadcastAndForward();

  @Test
  void broadcast_and_forward_run_on_the_thread_that_read_the_message() {
    for (MethodDescriptor<?, ?> method : new MethodDescriptor<?, ?>[] {AtomicBroadcastGrpc.getBroadcastMethod(), ForwardService.FORWARD}) {
      Executor executor = calls.getExecutor(callOf(method), new Metadata());
      assertNotNull(executor, method.getFullMethodName());
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      executor.execute(() -> ranOn.set(Thread.currentThread()));
      assertSame(Thread.currentThread(), ranOn.get(), method.getFullMethodName());
    }
  }

  @Test
  void deliver_keeps_the_default_executor_because_it_waits_for_blocks() {
    assertNull(calls.getExecutor(callOf(AtomicBroadcastGrpc.getDeliverMethod()), new Metadata()));
  }

  private static <Q, R> ServerCall<Q, R> callOf(MethodDescriptor<Q, R> method) {
    return new ServerCall<>() {
      @Override
      public void request(int numMessages) {}

      @Override
      public void sendHeaders(Metadata headers) {}

      @Override
      public void sendMessage(R message) {}

      @Override
      public void close(Status status, Metadata trailers) {}

      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public Attributes getAttributes() {
        return Attributes.EMPTY;
      }

      @Override
      public MethodDescriptor<Q, R> getMethodDescriptor() {
        return method;
      }
    };
  }
}
