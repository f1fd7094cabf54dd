package io.raftswarm.swarm.client;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import java.util.Objects;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Broadcast streams over mutual-TLS gRPC, one channel per orderer (reused across streams).
 * {@code endpointOf} maps an orderer name to {@code host:port}; the server certificate is
 * checked against the orderer's name (its FQDN), like {@code --ordererTLSHostnameOverride}.
 */
public final class GrpcBroadcastConnector implements BroadcastConnector {
  private final Function<String, String> endpointOf;
  private final TlsMaterial tls;
  private final ChannelPool channels = new ChannelPool();

  public GrpcBroadcastConnector(Function<String, String> endpointOf, TlsMaterial tls) {
    this.endpointOf = Objects.requireNonNull(endpointOf, "endpointOf");
    this.tls = Objects.requireNonNull(tls, "tls");
  }

  @Override
  public Session open(String orderer, Listener listener) {
    ManagedChannel channel = channels.get(orderer,
        () -> GrpcChannels.open(endpointOf.apply(orderer), tls, orderer));
    StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(channel)
        .broadcast(new StreamObserver<BroadcastResponse>() {
          @Override
          public void onNext(BroadcastResponse value) {
            listener.onResponse(value);
          }

          @Override
          public void onError(Throwable t) {
            listener.onError(t);
          }

          @Override
          public void onCompleted() {
            listener.onCompleted();
          }
        });
    return new Session() {
      @Override
      public void send(Envelope envelope) {
        requests.onNext(envelope);
      }

      @Override
      public void close() {
        requests.onCompleted();
      }
    };
  }

  @Override
  public void close() {
    channels.close();
  }
}
