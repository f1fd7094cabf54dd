package io.raftswarm.peer.gateway;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.grpc.FirstResponse;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * The gateway's Broadcast to the channel's orderers: one orderer at a time in random order,
 * moving on when one cannot be reached or does not answer in time (as Fabric's gateway does);
 * the first answer, SUCCESS or not, is the result.
 */
final class OrderingClient implements AutoCloseable {
  /** The last orderer's answer, or why none answered. */
  record Outcome(String endpoint, BroadcastResponse response, List<String> failures) {}

  private final TlsMaterial ownTls;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  OrderingClient(TlsMaterial ownTls) {
    this.ownTls = ownTls;
  }

  Outcome broadcast(ChannelConfig config, Envelope envelope, Duration perOrderer) throws InterruptedException {
    List<X509Certificate> roots = new ArrayList<>();
    config.ordererOrgs().stream().map(OrgMsp::tlsRootCerts).forEach(roots::addAll);
    List<String> endpoints = new ArrayList<>(config.ordererEndpoints());
    Collections.shuffle(endpoints);
    List<String> failures = new ArrayList<>();
    for (String endpoint : endpoints) {
      try {
        BroadcastResponse response = once(endpoint, roots, envelope).get(perOrderer.toMillis(), TimeUnit.MILLISECONDS);
        return new Outcome(endpoint, response, failures);
      } catch (java.util.concurrent.ExecutionException e) {
        failures.add(endpoint + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
      } catch (java.util.concurrent.TimeoutException e) {
        failures.add(endpoint + ": no answer within " + perOrderer.toMillis() + " ms");
      }
    }
    return new Outcome(null, null, failures);
  }

  private CompletableFuture<BroadcastResponse> once(String endpoint, List<X509Certificate> roots, Envelope envelope) {
    CompletableFuture<BroadcastResponse> result = new CompletableFuture<>();
    ManagedChannel channel = channels.computeIfAbsent(endpoint,
        e -> GrpcChannels.open(e, new TlsMaterial(ownTls.certificate(), ownTls.privateKey(), roots)));
    StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(channel)
        .broadcast(FirstResponse.into(result, "closed the stream without an answer"));
    requests.onNext(envelope);
    result.whenComplete((r, e) -> {
      try {
        requests.onCompleted();
      } catch (RuntimeException ignored) {
        // the stream already failed
      }
    });
    return result;
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
