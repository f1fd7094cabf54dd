package io.raftswarm.swarm.client;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.configtx.ConfigDiff;
import io.raftswarm.common.configtx.ConfigSignatures;
import io.raftswarm.common.configtx.ConfigUpdateException;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.swarm.client.FabricClientException.Failure;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;

/**
 * A Fabric-style client for a raftswarm network (what {@code peer chaincode invoke/query},
 * {@code peer channel join} and {@code peer chaincode instantiate} do), acting as one user.
 *
 * <p>Invoke = endorse on every given peer (ProcessProposal, in parallel), check that all
 * endorsements agree, assemble and sign the transaction, Broadcast it to the chosen orderer
 * (optionally failing over to the others), and optionally wait for the first peer's commit
 * event with the transaction's validation code and block number.
 *
 * <p>Thread-safe; connections are opened on first use and closed by {@link #close}.
 */
public final class FabricClient implements AutoCloseable {
  private final NetworkProfile profile;
  private final ClientIdentity identity;
  private final NodeConnections connections;
  private final Map<String, ClientIdentity> admins = new ConcurrentHashMap<>();
  private final Clock clock;

  public FabricClient(NetworkProfile profile, ClientIdentity identity) {
    this(profile, identity, Clock.systemUTC());
  }

  FabricClient(NetworkProfile profile, ClientIdentity identity, Clock clock) {
    this.profile = profile;
    this.identity = identity;
    this.connections = new NodeConnections(profile);
    this.clock = clock;
  }

  /** A client acting as {@code userAtOrg} (e.g. User1@org1), resolved through the profile. */
  public static FabricClient connect(NetworkProfile profile, String userAtOrg) {
    return new FabricClient(profile, ClientIdentity.resolve(profile, userAtOrg));
  }

  public ClientIdentity identity() {
    return identity;
  }

  /**
   * Endorse, order and (if asked) wait for the commit.
   *
   * @return the result; check {@link InvokeResult#isValid()} / {@code validationCode()} for
   *     MVCC_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE and the other validation codes
   * @throws FabricClientException for failures before a validation code exists
   */
  public InvokeResult invoke(InvokeRequest request) {
    return order(endorse(request));
  }

  /**
   * The first half of an invoke: the endorsed, signed transaction, not yet sent to an orderer.
   * With {@link #order} it lets a caller endorse several transactions on the same state before
   * ordering any (conflict tests, benchmarks).
   *
   * @throws FabricClientException ENDORSEMENT_FAILED, ENDORSEMENT_MISMATCH, PEER_UNREACHABLE
   */
  public EndorsedInvoke endorse(InvokeRequest request) {
    Proposals.Signed proposal = Proposals.invocation(identity.signer(), request.channel(), request.chaincode(),
        Proposals.utf8(request.args()), clock);
    List<ProposalResponse> responses = endorse(request.peers(), proposal, identity, request.timeout());
    checkAgreement(request.peers(), responses);
    Envelope tx = Proposals.transaction(identity.signer(), proposal.proposal(), responses);
    return new EndorsedInvoke(request, proposal.txId(), tx, responses.get(0).getResponse().getStatus(),
        responses.get(0).getResponse().getPayload().toStringUtf8());
  }

  /** The second half of an invoke: Broadcast, then (if the request says so) wait for the commit event. */
  public InvokeResult order(EndorsedInvoke endorsed) {
    InvokeRequest request = endorsed.request();
    return order(request.channel(), endorsed, request.peers().get(0), request.orderer(), request.ordererAny(),
        request.waitForEvent(), request.timeout());
  }

  /** Runs a query on one peer; nothing is ordered. Returns the chaincode's payload. */
  public String query(String peer, String channel, String chaincode, List<String> args) {
    Proposals.Signed proposal = Proposals.invocation(identity.signer(), channel, chaincode, Proposals.utf8(args), clock);
    ProposalResponse response = endorse(List.of(peer), proposal, identity, InvokeRequest.DEFAULT_TIMEOUT).get(0);
    return response.getResponse().getPayload().toStringUtf8();
  }

  /**
   * Deploys a chaincode: an ordered deploy transaction, endorsed by one peer, waited for.
   *
   * @throws FabricClientException ALREADY_DEPLOYED when the name is taken on the channel
   */
  public InvokeResult deploy(DeployRequest request) {
    String peer = request.peer().orElseGet(this::defaultPeer);
    Proposals.Signed proposal = Proposals.deploy(identity.signer(), request.channel(), request.name(), request.type(),
        request.version(), request.initArgs(), request.policy(), clock);
    String orderer = request.orderer().orElseGet(() -> firstOrderer().name());
    try {
      return submit(request.channel(), proposal, List.of(peer), orderer, request.orderer().isEmpty(), true,
          InvokeRequest.DEFAULT_TIMEOUT);
    } catch (FabricClientException e) {
      if (e.failure() == Failure.ENDORSEMENT_FAILED && e.getMessage().contains("status 409")) {
        throw new FabricClientException(Failure.ALREADY_DEPLOYED, e.getMessage(), e);
      }
      throw e;
    }
  }

  /**
   * The chaincode's definition JSON ({"name","type","version","policy"}) as the peer has it
   * committed, or empty when it is not deployed.
   */
  public Optional<String> chaincodeDefinition(String peer, String channel, String name) {
    Proposals.Signed proposal = Proposals.invocation(identity.signer(), channel, "lscc",
        Proposals.utf8(List.of("getccdata", channel, name)), clock);
    ProposalResponse response = rawEndorse(connections.node(peer, "peer"), proposal, identity, InvokeRequest.DEFAULT_TIMEOUT);
    int status = response.getResponse().getStatus();
    if (status == 404) {
      return Optional.empty();
    }
    if (status >= 400) {
      throw new FabricClientException(Failure.ENDORSEMENT_FAILED, "peer " + peer + " cannot read the definition of "
          + name + " on " + channel + ": status " + status + ": " + response.getResponse().getMessage());
    }
    return Optional.of(response.getResponse().getPayload().toStringUtf8());
  }

  /** Deploys unless a chaincode of that name is already committed (on the endorsing peer). Returns true when deployed now. */
  public boolean deployIfAbsent(DeployRequest request) {
    String peer = request.peer().orElseGet(this::defaultPeer);
    if (chaincodeDefinition(peer, request.channel(), request.name()).isPresent()) {
      return false;
    }
    try {
      InvokeResult result = deploy(request);
      if (!result.isValid()) {
        throw new FabricClientException(Failure.ORDERER_REJECTED, "deploy of " + request.name() + " on " + request.channel()
            + " was committed as " + result.validationCode().orElseThrow() + " in block " + result.blockNumber());
      }
      return true;
    } catch (FabricClientException e) {
      if (e.failure() == Failure.ALREADY_DEPLOYED) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Joins a peer to a channel with the channel's genesis block (cscc JoinChain), acting as the
   * Admin of the peer's org (as Fabric requires).
   *
   * @return true when joined now, false when the peer had already joined this channel
   */
  public boolean joinChannel(String peer, Path genesisBlock) {
    try {
      return joinChannel(peer, ByteString.copyFrom(Files.readAllBytes(genesisBlock)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read genesis block " + genesisBlock, e);
    }
  }

  public boolean joinChannel(String peer, ByteString genesisBlock) {
    NetworkProfile.NodeEntry node = connections.node(peer, "peer");
    ClientIdentity admin = adminOf(node);
    Proposals.Signed proposal = Proposals.joinChain(admin.signer(), genesisBlock, clock);
    ProposalResponse response = rawEndorse(node, proposal, admin, InvokeRequest.DEFAULT_TIMEOUT);
    if (response.getResponse().getStatus() >= 400) {
      throw new FabricClientException(Failure.JOIN_FAILED, "peer " + node.name() + " refused to join: status "
          + response.getResponse().getStatus() + ": " + response.getResponse().getMessage());
    }
    return "joined".equals(response.getResponse().getMessage());
  }

  private ClientIdentity adminOf(NetworkProfile.NodeEntry node) {
    return admins.computeIfAbsent(node.org(), org -> ClientIdentity.resolve(profile, "Admin@" + org));
  }

  private String defaultPeer() {
    return profile.peers().stream().filter(p -> p.mspId().equals(identity.mspId())).findFirst()
        .or(() -> profile.peers().stream().findFirst())
        .map(NetworkProfile.NodeEntry::name)
        .orElseThrow(() -> new FabricClientException(Failure.CONFIGURATION, "network " + profile.name() + " has no peers"));
  }

  private NetworkProfile.NodeEntry firstOrderer() {
    return profile.orderers().stream().findFirst()
        .orElseThrow(() -> new FabricClientException(Failure.CONFIGURATION, "network " + profile.name() + " has no orderers"));
  }

  private InvokeResult submit(String channel, Proposals.Signed proposal, List<String> peers, String orderer,
      boolean ordererAny, boolean waitForEvent, Duration timeout) {
    List<ProposalResponse> responses = endorse(peers, proposal, identity, timeout);
    checkAgreement(peers, responses);
    Envelope tx = Proposals.transaction(identity.signer(), proposal.proposal(), responses);
    EndorsedInvoke endorsed = new EndorsedInvoke(null, proposal.txId(), tx, responses.get(0).getResponse().getStatus(),
        responses.get(0).getResponse().getPayload().toStringUtf8());
    return order(channel, endorsed, peers.get(0), orderer, ordererAny, waitForEvent, timeout);
  }

  private InvokeResult order(String channel, EndorsedInvoke endorsed, String eventPeerName, String orderer,
      boolean ordererAny, boolean waitForEvent, Duration timeout) {
    String txId = endorsed.txId();
    NetworkProfile.NodeEntry eventPeer = connections.node(eventPeerName, "peer");
    CommitEvents events = waitForEvent ? CommitEvents.open(connections.channel(eventPeer, identity), channel, identity.signer()) : null;
    try {
      List<String> tried = new ArrayList<>();
      NetworkProfile.NodeEntry usedOrderer = broadcast(channel, endorsed.envelope(), orderer, ordererAny, tried, timeout);
      if (events == null) {
        return new InvokeResult(txId, usedOrderer.name(), tried, endorsed.chaincodeStatus(), endorsed.payload(),
            Optional.empty(), -1);
      }
      Optional<CommitEvents.Commit> commit;
      try {
        commit = events.await(txId, timeout);
      } catch (IllegalStateException e) {
        throw new FabricClientException(Failure.COMMIT_TIMEOUT, "transaction " + txId + " was accepted by "
            + usedOrderer.name() + " but waiting for its commit on " + eventPeer.name() + " failed: " + e.getMessage(), e);
      }
      if (commit.isEmpty()) {
        throw new FabricClientException(Failure.COMMIT_TIMEOUT, "transaction " + txId + " was accepted by "
            + usedOrderer.name() + " but " + eventPeer.name() + " did not report it committed within "
            + timeout.toSeconds() + " s; check the orderers have a leader (raftswarm status) and the peer pulls blocks");
      }
      return new InvokeResult(txId, usedOrderer.name(), tried, endorsed.chaincodeStatus(), endorsed.payload(),
          Optional.of(commit.get().code()), commit.get().blockNumber());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FabricClientException(Failure.COMMIT_TIMEOUT, "interrupted while waiting for " + txId, e);
    } finally {
      if (events != null) {
        events.close();
      }
    }
  }

  /** ProcessProposal on every peer in parallel; every one must answer with status < 400. */
  private List<ProposalResponse> endorse(List<String> peers, Proposals.Signed proposal, ClientIdentity as, Duration timeout) {
    List<NetworkProfile.NodeEntry> nodes = peers.stream().map(p -> connections.node(p, "peer")).toList();
    List<ListenableFuture<ProposalResponse>> futures = nodes.stream()
        .map(n -> EndorserGrpc.newFutureStub(connections.channel(n, as))
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .processProposal(proposal.signed()))
        .toList();
    List<ProposalResponse> responses = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      ProposalResponse response = await(futures.get(i), nodes.get(i));
      if (response.getResponse().getStatus() >= 400) {
        throw new FabricClientException(Failure.ENDORSEMENT_FAILED, "peer " + nodes.get(i).name()
            + " refused the proposal: status " + response.getResponse().getStatus() + ": " + response.getResponse().getMessage());
      }
      responses.add(response);
    }
    return responses;
  }

  private ProposalResponse rawEndorse(NetworkProfile.NodeEntry node, Proposals.Signed proposal, ClientIdentity as, Duration timeout) {
    return await(EndorserGrpc.newFutureStub(connections.channel(node, as))
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .processProposal(proposal.signed()), node);
  }

  private static ProposalResponse await(ListenableFuture<ProposalResponse> future, NetworkProfile.NodeEntry node) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Status status = Status.fromThrowable(e.getCause());
      throw new FabricClientException(Failure.PEER_UNREACHABLE, "peer " + node.name() + " at " + node.externalEndpoint()
          + " did not answer: " + status.getCode() + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")")
          + "; is it running? (raftswarm status)", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FabricClientException(Failure.PEER_UNREACHABLE, "interrupted while waiting for peer " + node.name(), e);
    }
  }

  /** All endorsers must return byte-identical ProposalResponsePayloads (same read/write set and response). */
  private static void checkAgreement(List<String> peers, List<ProposalResponse> responses) {
    ByteString first = responses.get(0).getPayload();
    for (int i = 1; i < responses.size(); i++) {
      if (!responses.get(i).getPayload().equals(first)) {
        throw new FabricClientException(Failure.ENDORSEMENT_MISMATCH, "endorsement mismatch: " + peers.get(0) + " and "
            + peers.get(i) + " returned different " + difference(first, responses.get(i).getPayload())
            + "; their world states differ (one may lag behind: compare heights with raftswarm status, then retry)");
      }
    }
  }

  /** Which part of two ProposalResponsePayloads differs, for the error message. */
  private static String difference(ByteString a, ByteString b) {
    try {
      var pa = ProposalResponsePayload.parseFrom(a);
      var pb = ProposalResponsePayload.parseFrom(b);
      if (!pa.getProposalHash().equals(pb.getProposalHash())) {
        return "proposal hashes";
      }
      var ca = ChaincodeAction.parseFrom(pa.getExtension());
      var cb = ChaincodeAction.parseFrom(pb.getExtension());
      if (!ca.getResults().equals(cb.getResults())) {
        return "read/write sets (" + TextFormat.shortDebugString(TxReadWriteSet.parseFrom(ca.getResults())) + " vs "
            + TextFormat.shortDebugString(TxReadWriteSet.parseFrom(cb.getResults())) + ")";
      }
      if (!ca.getResponse().equals(cb.getResponse())) {
        return "chaincode responses (" + TextFormat.shortDebugString(ca.getResponse()) + " vs "
            + TextFormat.shortDebugString(cb.getResponse()) + ")";
      }
      return "chaincode actions (" + TextFormat.shortDebugString(ca) + " vs " + TextFormat.shortDebugString(cb) + ")";
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return "and malformed responses";
    }
  }

  /**
   * The channel's config in force, as {@code peer channel fetch config} reads it: the newest
   * block from {@code orderer} names the last config block (LAST_CONFIG), which is fetched next.
   */
  public Config fetchConfig(String channel, String orderer, Duration timeout) {
    return ChannelConfigs.config(fetchConfigBlock(channel, orderer, timeout));
  }

  /** The channel's newest config block ({@code peer channel fetch config}), e.g. to join an orderer with it. */
  public Block fetchConfigBlock(String channel, String orderer, Duration timeout) {
    NetworkProfile.NodeEntry node = connections.node(orderer, "orderer");
    var grpc = connections.channel(node, identity);
    Block newest = OrdererBlocks.fetch(grpc, channel, -1, identity.signer(), timeout);
    long number = newest.getHeader().getNumber() == 0 ? 0 : Blocks.lastConfig(newest).orElseThrow(() ->
        new FabricClientException(Failure.ORDERER_REJECTED, "block " + newest.getHeader().getNumber() + " of " + channel
            + " from " + node.name() + " names no last config block"));
    return number == newest.getHeader().getNumber() ? newest : OrdererBlocks.fetch(grpc, channel, number, identity.signer(), timeout);
  }

  /**
   * Changes a channel's config as Fabric's admins do ({@code configtxlator compute_update},
   * {@code peer channel signconfigtx}, {@code peer channel update}): the update from
   * {@code current} (as {@link #fetchConfig} read it) to {@code updated}, signed by {@code admin}
   * (who also submits it), broadcast to {@code orderer} and, when it cannot take it now, to the
   * others. Returns the orderer that acknowledged it: the new config is then committed in a block
   * of its own. The one path every config change of raftswarm takes ({@code channel update},
   * {@code rotate-certs}).
   */
  public String updateConfig(String channel, Config current, Config updated, ClientIdentity admin, String orderer,
      Duration timeout) {
    ConfigUpdate update;
    try {
      update = ConfigDiff.compute(channel, current, updated);
    } catch (ConfigUpdateException e) {
      throw new FabricClientException(Failure.CONFIGURATION, "cannot compute the config update of " + channel + ": "
          + e.getMessage(), e);
    }
    return submit(channel, ConfigSignatures.envelope(update, List.of(admin.signer()), admin.signer()), orderer, true,
        timeout);
  }

  /**
   * Broadcasts a CONFIG_UPDATE (or any envelope) to {@code orderer}, with ordererAny to the others
   * after it; returns the orderer that acknowledged it (committed in a block).
   */
  public String submit(String channel, Envelope envelope, String orderer, boolean ordererAny, Duration timeout) {
    return broadcast(channel, envelope, orderer, ordererAny, new ArrayList<>(), timeout).name();
  }

  /** Broadcasts to the orderer, and with ordererAny to the others in profile order after it. */
  private NetworkProfile.NodeEntry broadcast(String channel, Envelope tx, String orderer, boolean ordererAny, List<String> tried,
      Duration timeout) {
    NetworkProfile.NodeEntry chosen = connections.node(orderer, "orderer");
    List<NetworkProfile.NodeEntry> candidates = new ArrayList<>(List.of(chosen));
    if (ordererAny) {
      List<NetworkProfile.NodeEntry> all = profile.orderers();
      int start = all.indexOf(chosen);
      for (int i = 1; i < all.size(); i++) {
        candidates.add(all.get((start + i) % all.size()));
      }
    }
    FabricClientException last = null;
    for (NetworkProfile.NodeEntry candidate : candidates) {
      try {
        broadcastTo(candidate, channel, tx, timeout);
        return candidate;
      } catch (FabricClientException e) {
        if (e.failure() != Failure.SERVICE_UNAVAILABLE && e.failure() != Failure.ORDERER_UNREACHABLE) {
          throw e;
        }
        tried.add(candidate.name() + ": " + e.getMessage());
        last = e;
      }
    }
    if (candidates.size() > 1) {
      throw new FabricClientException(last.failure(), "no orderer accepted the transaction: " + String.join("; ", tried));
    }
    throw new FabricClientException(last.failure(), last.getMessage() + "; retry later or pass --orderer-any to try the other orderers", last);
  }

  private void broadcastTo(NetworkProfile.NodeEntry orderer, String channel, Envelope tx, Duration timeout) {
    CompletableFuture<BroadcastResponse> answer = new CompletableFuture<>();
    StreamObserver<Envelope> requests;
    try {
      requests = AtomicBroadcastGrpc.newStub(connections.channel(orderer, identity))
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .broadcast(new StreamObserver<>() {
            @Override
            public void onNext(BroadcastResponse value) {
              answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
              answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
              answer.completeExceptionally(new IllegalStateException("the orderer closed the stream without an answer"));
            }
          });
      requests.onNext(tx);
    } catch (StatusRuntimeException e) {
      throw unreachable(orderer, e);
    }
    BroadcastResponse response;
    try {
      response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      requests.onCompleted();
    } catch (ExecutionException e) {
      throw unreachable(orderer, e.getCause());
    } catch (TimeoutException e) {
      requests.onError(e);
      throw new FabricClientException(Failure.ORDERER_UNREACHABLE, "orderer " + orderer.name() + " at "
          + orderer.externalEndpoint() + " did not answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FabricClientException(Failure.ORDERER_UNREACHABLE, "interrupted while broadcasting to " + orderer.name(), e);
    }
    switch (response.getStatus()) {
      case SUCCESS -> { }
      case SERVICE_UNAVAILABLE -> throw new FabricClientException(Failure.SERVICE_UNAVAILABLE, "orderer " + orderer.name()
          + " has no Raft leader for channel " + channel + ": SERVICE_UNAVAILABLE -- " + response.getInfo());
      default -> throw new FabricClientException(Failure.ORDERER_REJECTED, "orderer " + orderer.name()
          + " rejected the transaction: " + response.getStatus() + " -- " + response.getInfo());
    }
  }

  private static FabricClientException unreachable(NetworkProfile.NodeEntry orderer, Throwable cause) {
    Status status = Status.fromThrowable(cause);
    return new FabricClientException(Failure.ORDERER_UNREACHABLE, "orderer " + orderer.name() + " at "
        + orderer.externalEndpoint() + " is unreachable: " + status.getCode()
        + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")"), cause);
  }

  @Override
  public void close() {
    connections.close();
  }
}
