package io.raftswarm.peer.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.Status.Code;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.Transactions;
import io.raftswarm.common.identity.IdentityException;
import io.raftswarm.common.identity.Identities;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.VerifiedCreator;
import io.raftswarm.peer.channel.ChannelLedger;
import io.raftswarm.peer.channel.Channels;
import io.raftswarm.peer.endorser.ProposalProcessor;
import io.raftswarm.peer.tx.ChaincodeDefinition;
import io.raftswarm.peer.validation.EndorsementPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's Gateway service (gateway.proto) on the peer, so the official fabric-gateway clients
 * work unchanged: Evaluate runs the proposal on this peer; Endorse collects the endorsements the
 * chaincode's policy needs (this peer for its own org, each other org's anchor peer from the
 * channel config) and returns the unsigned transaction; Submit sends the client-signed
 * transaction to the channel's orderers; CommitStatus waits for this peer to commit it;
 * ChaincodeEvents streams the events of committed VALID transactions, block by block. Errors
 * are gRPC statuses with {@code gateway.ErrorDetail}s, as Fabric's gateway returns them.
 */
public final class GatewayService extends GatewayGrpc.GatewayImplBase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("gateway");
  private static final Duration ENDORSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration BROADCAST_TIMEOUT = Duration.ofSeconds(15);

  private final ProposalProcessor local;
  private final String localMspId;
  private final String localAddress;
  private final Channels channels;
  private final RemoteEndorsers remote;
  private final OrderingClient ordering;
  private final CommitStatuses commits;
  /** One thread per open ChaincodeEvents stream (each waits for commits). */
  private final java.util.concurrent.ExecutorService eventStreams = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "gateway-events");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  public GatewayService(ProposalProcessor local, String localMspId, String localAddress, Channels channels,
      io.raftswarm.common.tls.TlsMaterial ownTls) {
    this.local = local;
    this.localMspId = localMspId;
    this.localAddress = localAddress;
    this.channels = channels;
    this.remote = new RemoteEndorsers(ownTls);
    this.ordering = new OrderingClient(ownTls);
    this.commits = new CommitStatuses();
  }

  /** Follows a channel this peer has joined (call for each, also for later joins). */
  public void track(ChannelLedger ledger) {
    commits.track(ledger);
  }

  @Override
  public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> out) {
    answer(out, () -> evaluated(request));
  }

  private EvaluateResponse evaluated(EvaluateRequest request) {
    ledger(request.getChannelId());
    ProposalResponse response = local.process(request.getProposedTransaction());
    if (response.getResponse().getStatus() >= 400) {
      throw GatewayErrors.of(Code.UNKNOWN, "evaluate call to endorser returned error: chaincode response "
          + response.getResponse().getStatus() + ", " + response.getResponse().getMessage(),
          List.of(GatewayErrors.detail(localAddress, localMspId, response.getResponse().getMessage())));
    }
    return EvaluateResponse.newBuilder().setResult(response.getResponse()).build();
  }

  @Override
  public void endorse(EndorseRequest request, StreamObserver<EndorseResponse> out) {
    answer(out, () -> endorsed(request));
  }

  private EndorseResponse endorsed(EndorseRequest request) throws InterruptedException {
    ChannelLedger ledger = ledger(request.getChannelId());
    SignedProposal signed = request.getProposedTransaction();
    Proposal proposal = parse(signed);
    List<String> orgs = request.getEndorsingOrganizationsCount() > 0
        ? List.copyOf(request.getEndorsingOrganizationsList())
        : plan(ledger, chaincodeName(proposal));
    List<CompletableFuture<ProposalResponse>> calls = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (String org : orgs) {
      if (org.equals(localMspId)) {
        addresses.add(localAddress);
        calls.add(CompletableFuture.supplyAsync(() -> local.process(signed)));
      } else {
        String endpoint = ledger.config().anchorPeers(org).stream().findFirst().orElseThrow(() -> GatewayErrors.of(
            Code.UNAVAILABLE, "no peer of " + org + " to endorse: the channel config names no anchor peer for it"));
        List<java.security.cert.X509Certificate> roots = ledger.config().msps().byId(org).map(OrgMsp::tlsRootCerts)
            .orElse(List.of());
        addresses.add(endpoint);
        calls.add(remote.endorse(endpoint, roots, signed, ENDORSE_TIMEOUT));
      }
    }
    List<ProposalResponse> responses = new ArrayList<>();
    List<ErrorDetail> failures = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      try {
        ProposalResponse r = calls.get(i).get(ENDORSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (r.getResponse().getStatus() >= 400) {
          failures.add(GatewayErrors.detail(addresses.get(i), orgs.get(i), "chaincode response "
              + r.getResponse().getStatus() + ", " + r.getResponse().getMessage()));
        } else {
          responses.add(r);
        }
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        failures.add(GatewayErrors.detail(addresses.get(i), orgs.get(i), String.valueOf(cause.getMessage())));
      }
    }
    if (!failures.isEmpty()) {
      throw GatewayErrors.of(Code.ABORTED, "failed to endorse transaction, see attached details for more info", failures);
    }
    ByteString payload = responses.get(0).getPayload();
    if (responses.stream().anyMatch(r -> !r.getPayload().equals(payload))) {
      throw GatewayErrors.of(Code.ABORTED, "failed to assemble transaction: ProposalResponsePayloads do not match");
    }
    Envelope prepared = Envelope.newBuilder().setPayload(Transactions.payload(proposal, responses).toByteString()).build();
    return EndorseResponse.newBuilder().setPreparedTransaction(prepared).build();
  }

  @Override
  public void submit(SubmitRequest request, StreamObserver<SubmitResponse> out) {
    answer(out, () -> submitted(request));
  }

  private SubmitResponse submitted(SubmitRequest request) throws InterruptedException {
    ChannelLedger ledger = ledger(request.getChannelId());
    OrderingClient.Outcome outcome = ordering.broadcast(ledger.config(), request.getPreparedTransaction(), BROADCAST_TIMEOUT);
    if (outcome.response() == null) {
      List<ErrorDetail> details = outcome.failures().stream()
          .map(f -> GatewayErrors.detail(f.substring(0, f.indexOf(':')), ordererMsp(ledger.config()), f)).toList();
      throw GatewayErrors.of(Code.UNAVAILABLE, "no orderers could successfully process transaction", details);
    }
    if (outcome.response().getStatus() != Status.SUCCESS) {
      String message = "received unsuccessful response from orderer: status=" + outcome.response().getStatus()
          + ", info=" + outcome.response().getInfo();
      throw GatewayErrors.of(Code.ABORTED, message,
          List.of(GatewayErrors.detail(outcome.endpoint(), ordererMsp(ledger.config()), message)));
    }
    return SubmitResponse.getDefaultInstance();
  }

  /** A unary call's work: its one response, or an exception {@link #answer} turns into the call's error. */
  private interface Work<T> {
    T call() throws InterruptedException;
  }

  /** Answers a unary call with what {@code work} returns, or with the gRPC error its failure maps to. */
  private static <T> void answer(StreamObserver<T> out, Work<T> work) {
    try {
      out.onNext(work.call());
      out.onCompleted();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.onError(GatewayErrors.of(Code.CANCELLED, "interrupted"));
    } catch (RuntimeException e) {
      out.onError(asStatus(e));
    }
  }

  @Override
  public void commitStatus(SignedCommitStatusRequest signed, StreamObserver<CommitStatusResponse> out) {
    CommitStatusRequest request;
    try {
      request = CommitStatusRequest.parseFrom(signed.getRequest());
      ChannelLedger ledger = ledger(request.getChannelId());
      checkSigned(ledger, request.getIdentity(), signed.getRequest(), signed.getSignature(), "commit status request");
    } catch (InvalidProtocolBufferException e) {
      out.onError(GatewayErrors.of(Code.INVALID_ARGUMENT, "malformed commit status request: " + e.getMessage()));
      return;
    } catch (RuntimeException e) {
      out.onError(asStatus(e));
      return;
    }
    CompletableFuture<CommitStatuses.Committed> done = commits.await(request.getChannelId(), request.getTransactionId());
    // The client's deadline or hang-up ends the wait; the answer is sent once, when the block commits.
    Context.current().addListener(context -> done.cancel(false), Runnable::run);
    done.thenAccept(c -> {
      out.onNext(CommitStatusResponse.newBuilder().setResult(c.code()).setBlockNumber(c.block()).build());
      out.onCompleted();
    });
  }

  @Override
  public void chaincodeEvents(SignedChaincodeEventsRequest signed, StreamObserver<ChaincodeEventsResponse> out) {
    ChaincodeEventsRequest request;
    ChannelLedger ledger;
    try {
      request = ChaincodeEventsRequest.parseFrom(signed.getRequest());
      ledger = ledger(request.getChannelId());
      checkSigned(ledger, request.getIdentity(), signed.getRequest(), signed.getSignature(), "chaincode events request");
    } catch (InvalidProtocolBufferException e) {
      out.onError(GatewayErrors.of(Code.INVALID_ARGUMENT, "malformed chaincode events request: " + e.getMessage()));
      return;
    } catch (RuntimeException e) {
      out.onError(asStatus(e));
      return;
    }
    long start = switch (request.getStartPosition().getTypeCase()) {
      case OLDEST -> 0;
      case NEWEST -> Math.max(0, ledger.height() - 1);
      case SPECIFIED -> request.getStartPosition().getSpecified().getNumber();
      default -> ledger.height(); // next commit, Fabric's default
    };
    var stream = (io.grpc.stub.ServerCallStreamObserver<ChaincodeEventsResponse>) out;
    eventStreams.execute(() -> streamEvents(ledger, request, start, stream));
  }

  /** One block at a time from {@code start}, waiting for commits, until the client goes away. */
  private void streamEvents(ChannelLedger ledger, ChaincodeEventsRequest request, long start,
      io.grpc.stub.ServerCallStreamObserver<ChaincodeEventsResponse> out) {
    String afterTxId = request.getAfterTransactionId();
    try {
      for (long n = start; !out.isCancelled() && !closed; ) {
        if (n >= ledger.height()) {
          ledger.awaitBlock(n, Duration.ofSeconds(1));
          continue;
        }
        var events = ChaincodeEventReader.events(ledger.block(n), request.getChaincodeId(), n == start ? afterTxId : "");
        if (!events.isEmpty()) {
          out.onNext(ChaincodeEventsResponse.newBuilder().addAllEvents(events).setBlockNumber(n).build());
        }
        n++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!out.isCancelled()) {
        out.onError(asStatus(e));
      }
    }
  }

  /** The request's identity belongs to the channel and signed exactly these bytes. */
  private static void checkSigned(ChannelLedger ledger, ByteString identity, ByteString request, ByteString signature,
      String what) {
    VerifiedCreator creator;
    try {
      creator = ledger.config().msps().validateCreator(identity);
    } catch (IdentityException e) {
      throw GatewayErrors.of(Code.PERMISSION_DENIED, "the " + what + "'s identity is refused: " + e.getMessage());
    }
    if (!Identities.verify(creator.certificate(), request.toByteArray(), signature.toByteArray())) {
      throw GatewayErrors.of(Code.PERMISSION_DENIED, "the " + what + "'s signature does not verify with "
          + creator.mspId() + "'s identity");
    }
  }

  private ChannelLedger ledger(String channelId) {
    return channels.ledger(channelId).orElseThrow(() -> GatewayErrors.of(Code.NOT_FOUND,
        "channel " + channelId + " is not joined on this peer (joined: " + channels.channelIds() + ")"));
  }

  /** The orgs to ask: the chaincode's endorsement policy, this peer's org first; without a definition, this peer alone. */
  private List<String> plan(ChannelLedger ledger, String chaincode) {
    Optional<String> policy = ledger.state().get(ChaincodeDefinition.LSCC, chaincode)
        .map(v -> ChaincodeDefinition.fromJson(v.value()).policy());
    if (policy.isEmpty()) {
      return List.of(localMspId);
    }
    List<String> candidates = new ArrayList<>();
    candidates.add(localMspId);
    ChannelConfig config = ledger.config();
    config.applicationOrgs().stream().map(OrgMsp::mspId)
        .filter(m -> !m.equals(localMspId) && !config.anchorPeers(m).isEmpty()).forEach(candidates::add);
    return EndorsementPlan.orgs(EndorsementPolicy.parse(policy.get()), candidates).orElseThrow(() -> GatewayErrors.of(
        Code.UNAVAILABLE, "no combination of peers can be derived which satisfy the endorsement policy "
            + policy.get() + " of " + chaincode + " (orgs with a peer to ask: " + candidates + ")"));
  }

  private static Proposal parse(SignedProposal signed) {
    try {
      return Proposal.parseFrom(signed.getProposalBytes());
    } catch (InvalidProtocolBufferException e) {
      throw GatewayErrors.of(Code.INVALID_ARGUMENT, "malformed proposal: " + e.getMessage());
    }
  }

  private static String chaincodeName(Proposal proposal) {
    try {
      ChaincodeProposalPayload payload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
      return ChaincodeInvocationSpec.parseFrom(payload.getInput()).getChaincodeSpec().getChaincodeId().getName();
    } catch (InvalidProtocolBufferException e) {
      throw GatewayErrors.of(Code.INVALID_ARGUMENT, "malformed proposal payload: " + e.getMessage());
    }
  }

  private static String ordererMsp(ChannelConfig config) {
    return config.ordererOrgs().isEmpty() ? "" : config.ordererOrgs().get(0).mspId();
  }

  private static io.grpc.StatusRuntimeException asStatus(RuntimeException e) {
    if (e instanceof io.grpc.StatusRuntimeException s) {
      return s;
    }
    log.warn("Gateway call failed", e);
    return GatewayErrors.of(Code.INTERNAL, String.valueOf(e.getMessage()));
  }

  @Override
  public void close() {
    closed = true;
    eventStreams.shutdownNow();
    remote.close();
    ordering.close();
  }
}
