package io.raftswarm.swarm.client;

import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Opens Broadcast streams to orderers. Implementations must not block in {@link #open}: a
 * failure to connect is reported through {@link Listener#onError}.
 */
public interface BroadcastConnector extends AutoCloseable {

  Session open(String orderer, Listener listener);

  @Override
  void close();

  /** One open Broadcast stream. {@link #send} is called from one thread at a time. */
  interface Session {
    void send(Envelope envelope);

    /** Half-closes the stream; answers still in flight may arrive afterwards. */
    void close();
  }

  /**
   * Answers of one stream, in the order the envelopes were sent (Broadcast answers carry no tx
   * id: the n-th answer is for the n-th envelope). Called from transport threads.
   */
  interface Listener {
    void onResponse(BroadcastResponse response);

    void onError(Throwable error);

    void onCompleted();
  }
}
