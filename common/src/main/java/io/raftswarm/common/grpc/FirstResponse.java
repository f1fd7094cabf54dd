package io.raftswarm.common.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** A response observer that completes a future with the first response, or fails it with the call's error. */
public final class FirstResponse {
  private FirstResponse() {}

  /**
   * @param whenEmpty the failure message when the call ends without any response
   */
  public static <T> StreamObserver<T> into(CompletableFuture<T> result, String whenEmpty) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T response) {
        result.complete(response);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.completeExceptionally(new IllegalStateException(whenEmpty));
      }
    };
  }
}
