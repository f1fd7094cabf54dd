package io.raftswarm.peer.gateway;

import io.grpc.ManagedChannel;
import io.raftswarm.common.grpc.FirstResponse;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * The gateway's calls to other organisations' peers (Endorser.ProcessProposal), over mutual TLS
 * with this peer's TLS key pair, trusting the target org's TLS roots from the channel config.
 * One connection per endpoint, reused.
 */
final class RemoteEndorsers implements AutoCloseable {
  private final TlsMaterial ownTls;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  RemoteEndorsers(TlsMaterial ownTls) {
    this.ownTls = ownTls;
  }

  CompletableFuture<ProposalResponse> endorse(String endpoint, List<X509Certificate> tlsRoots, SignedProposal proposal,
      Duration timeout) {
    CompletableFuture<ProposalResponse> result = new CompletableFuture<>();
    ManagedChannel channel = channels.computeIfAbsent(endpoint,
        e -> GrpcChannels.open(e, new TlsMaterial(ownTls.certificate(), ownTls.privateKey(), tlsRoots)));
    EndorserGrpc.newStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .processProposal(proposal, FirstResponse.into(result, endpoint + " answered nothing"));
    return result;
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
