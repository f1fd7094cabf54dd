package io.raftswarm.peer.endorser;

import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/** gRPC binding of {@code peer.Endorser/ProcessProposal}. */
public final class EndorserService extends EndorserGrpc.EndorserImplBase {
  private final ProposalProcessor processor;
  private final Runnable onProposal;
  private final java.util.function.Consumer<ProposalResponse> onResponse;

  public EndorserService(ProposalProcessor processor, Runnable onProposal,
      java.util.function.Consumer<ProposalResponse> onResponse) {
    this.processor = processor;
    this.onProposal = onProposal;
    this.onResponse = onResponse;
  }

  @Override
  public void processProposal(SignedProposal request, StreamObserver<ProposalResponse> responseObserver) {
    onProposal.run();
    ProposalResponse response = processor.process(request);
    onResponse.accept(response);
    responseObserver.onNext(response);
    responseObserver.onCompleted();
  }
}
