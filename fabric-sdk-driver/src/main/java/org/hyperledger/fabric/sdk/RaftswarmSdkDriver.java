package org.hyperledger.fabric.sdk;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Common;
import org.hyperledger.fabric.protos.common.Configtx;
import org.hyperledger.fabric.protos.orderer.Ab;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.peer.Chaincode;
import org.hyperledger.fabric.protos.peer.ProposalPackage;
import org.hyperledger.fabric.protos.peer.ProposalResponsePackage;
import org.hyperledger.fabric.sdk.security.CryptoPrimitives;
import org.hyperledger.fabric.sdk.security.CryptoSuite;
import org.hyperledger.fabric.sdk.transaction.ProposalBuilder;
import org.hyperledger.fabric.sdk.transaction.ProtoUtils;
import org.hyperledger.fabric.sdk.transaction.TransactionContext;

/**
 * Drives Hyperledger's Fabric Java SDK (2.2.x) against one orderer and prints what happened, one
 * result per line, for a test in another JVM to check. Each command goes through the SDK's own
 * code; what the SDK has no public API for is reached through its package-private API (this
 * class lives in the SDK's package for that reason), never re-implemented here:
 *
 * <ul>
 *   <li>{@code broadcast-message}: a MESSAGE envelope without transaction id, as Fabric's
 *       {@code broadcast_msg} sends it, built with the SDK's {@link ProtoUtils} and signed by the
 *       SDK's {@link TransactionContext}; sent by the SDK's {@code Orderer.sendTransaction}
 *       ({@code OrdererClient}, Broadcast). Prints {@code BROADCAST SUCCESS} or {@code BROADCAST FAILED <why>}.
 *   <li>{@code broadcast-endorser-tx}: the public {@link Channel#sendTransaction} with one
 *       proposal response: the proposal is the SDK's ({@link ProposalBuilder}); the endorsement,
 *       which a peer would sign, is signed here with the user's key (an orderer does not check
 *       endorsements). Prints {@code BROADCAST SUCCESS <txid>} or {@code BROADCAST FAILED <why>}.
 *   <li>{@code channel-config}: the public {@link Channel#getChannelConfigurationBytes()}, which
 *       with no peers asks the orderer: Deliver newest..newest, reads the LAST_CONFIG metadata,
 *       then Deliver of that block. Prints {@code CONFIG <sha256 of the Config bytes>}.
 *   <li>{@code deliver-until-not-ready}: SeekInfo oldest..2^64−1 with FAIL_IF_NOT_READY through
 *       the SDK's {@code Orderer.sendDeliver} (which waits for the final status). Prints
 *       {@code BLOCK <n>} per block, then {@code STATUS <status>}.
 *   <li>{@code deliver-stream}: oldest..2^64−1 with BLOCK_UNTIL_READY, the stream the SDK's event
 *       service opens (PeerEventServiceClient, against peers): the seek envelope from the SDK's
 *       {@link ProtoUtils#createSeekInfoEnvelope} with the client TLS certificate hash, over the
 *       SDK's {@code Endpoint} channel and its generated AtomicBroadcast stub. Prints
 *       {@code BLOCK <n>} per block and {@code STATUS <status>} if one comes; stops after
 *       {@code blocks} blocks.
 *   <li>{@code update-batch-size}: an admin changes BatchSize.MaxMessageCount through the SDK's
 *       config update API ({@code Channel.updateChannelConfiguration}); see {@link #updateBatchSize}.
 *   <li>{@code update-add-org} / {@code update-remove-org}: the admins add an application org
 *       (its group from {@code orgGroup}, a serialized common.ConfigGroup as {@code configtxgen
 *       -printOrg} describes it, under the name {@code org}) or remove one ({@code org}), through
 *       the same API, signed by every {@code signerMspId}/{@code signerMsp} pair (comma lists); see
 *       {@link #updateApplicationOrgs}.
 * </ul>
 *
 * <p>Arguments are {@code key=value}: command, channel, orderer (grpcs://host:port), tlsCa (the
 * orderer's TLS CA PEM), mspId, msp (a cryptogen MSP dir: signcerts/*.pem, keystore/priv_sk),
 * optional clientTls (a dir with client.crt and client.key for mutual TLS), blocks, timeoutSeconds.
 * Exit code 0 when the command ran (the outcome is in the output), 2 on a usage or setup error.
 */
public final class RaftswarmSdkDriver {
  private static final long MAX_UINT64 = -1L;

  private final Map<String, String> args;
  private final PrintStream out;

  private RaftswarmSdkDriver(Map<String, String> args, PrintStream out) {
    this.args = args;
    this.out = out;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        System.err.println("arguments are key=value, got '" + a + "'");
        System.exit(2);
      }
      args.put(a.substring(0, eq), a.substring(eq + 1));
    }
    int code;
    try {
      code = new RaftswarmSdkDriver(args, System.out).run();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      code = 2;
    }
    System.out.flush();
    // The SDK leaves non-daemon threads (event queue, gRPC); exit explicitly.
    System.exit(code);
  }

  private String arg(String key) {
    String v = args.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing argument " + key + "=...");
    }
    return v;
  }

  private int run() throws Exception {
    CryptoSuite crypto = CryptoSuite.Factory.getCryptoSuite();
    SdkUser user = SdkUser.load(arg("mspId"), Path.of(arg("msp")), (CryptoPrimitives) crypto);
    HFClient client = HFClient.createNewInstance();
    client.setCryptoSuite(crypto);
    client.setUserContext(user);
    Properties properties = ordererProperties();
    Channel channel = client.newChannel(arg("channel"));
    Orderer orderer = client.newOrderer("orderer", arg("orderer"), properties);
    channel.addOrderer(orderer);
    channel.initialize();
    switch (arg("command")) {
      case "broadcast-message" -> broadcastMessage(channel, orderer, user, crypto);
      case "broadcast-endorser-tx" -> broadcastEndorserTransaction(channel, orderer, user, crypto);
      case "channel-config" -> out.println("CONFIG " + sha256(channel.getChannelConfigurationBytes()));
      case "deliver-until-not-ready" -> deliverUntilNotReady(channel, orderer, user, crypto);
      case "deliver-stream" -> deliverStream(channel, user, crypto, properties);
      case "update-batch-size" -> updateBatchSize(client, channel, crypto);
      case "update-add-org" -> updateApplicationOrgs(client, channel, crypto, true);
      case "update-remove-org" -> updateApplicationOrgs(client, channel, crypto, false);
      default -> throw new IllegalArgumentException("unknown command " + arg("command"));
    }
    channel.shutdown(true);
    return 0;
  }

  private Properties ordererProperties() {
    Properties p = new Properties();
    p.setProperty("pemFile", arg("tlsCa"));
    p.setProperty("ordererWaitTimeMilliSecs", Long.toString(TimeUnit.SECONDS.toMillis(timeoutSeconds())));
    String clientTls = args.get("clientTls");
    if (clientTls != null) {
      p.setProperty("clientCertFile", Path.of(clientTls, "client.crt").toString());
      p.setProperty("clientKeyFile", Path.of(clientTls, "client.key").toString());
    }
    return p;
  }

  private long timeoutSeconds() {
    return Long.parseLong(args.getOrDefault("timeoutSeconds", "30"));
  }

  /** broadcast_msg's envelope: MESSAGE, no txid, data = ConfigValue{Value: bytes}. */
  private void broadcastMessage(Channel channel, Orderer orderer, User user, CryptoSuite crypto) throws Exception {
    TransactionContext context = new TransactionContext(channel, user, crypto);
    Common.ChannelHeader header = ProtoUtils.createChannelHeader(Common.HeaderType.MESSAGE, "", channel.getName(), 0,
        ProtoUtils.getCurrentFabricTimestamp(), null, null);
    Common.Payload payload = Common.Payload.newBuilder()
        .setHeader(Common.Header.newBuilder()
            .setChannelHeader(header.toByteString())
            .setSignatureHeader(ProtoUtils.getSignatureHeaderAsByteString(context)))
        .setData(Configtx.ConfigValue.newBuilder().setValue(ByteString.copyFrom(new byte[1024])).build().toByteString())
        .build();
    Common.Envelope envelope = Common.Envelope.newBuilder()
        .setPayload(payload.toByteString())
        .setSignature(context.signByteString(payload.toByteArray()))
        .build();
    try {
      Ab.BroadcastResponse response = orderer.sendTransaction(envelope);
      out.println("BROADCAST " + response.getStatus());
    } catch (Exception e) {
      out.println("BROADCAST FAILED " + oneLine(e));
    }
  }

  private void broadcastEndorserTransaction(Channel channel, Orderer orderer, User user, CryptoSuite crypto) throws Exception {
    TransactionContext context = new TransactionContext(channel, user, crypto);
    ProposalPackage.Proposal proposal = ProposalBuilder.newBuilder()
        .context(context)
        .chaincodeID(Chaincode.ChaincodeID.newBuilder().setName("mycc").build())
        .args(List.of(ByteString.copyFromUtf8("invoke"), ByteString.copyFromUtf8("a"), ByteString.copyFromUtf8("b"),
            ByteString.copyFromUtf8("10")))
        .build();
    ProposalPackage.SignedProposal signedProposal = ProposalPackage.SignedProposal.newBuilder()
        .setProposalBytes(proposal.toByteString())
        .setSignature(context.signByteString(proposal.toByteArray()))
        .build();
    ByteString responsePayload = ProposalResponsePackage.ProposalResponsePayload.newBuilder()
        .setProposalHash(ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(proposal.toByteArray())))
        .setExtension(ProposalPackage.ChaincodeAction.newBuilder()
            .setResponse(ProposalResponsePackage.Response.newBuilder().setStatus(200)).build().toByteString())
        .build().toByteString();
    ByteString endorser = ProtoUtils.createSerializedIdentity(user).toByteString();
    ProposalResponsePackage.ProposalResponse proto = ProposalResponsePackage.ProposalResponse.newBuilder()
        .setResponse(ProposalResponsePackage.Response.newBuilder().setStatus(200))
        .setPayload(responsePayload)
        .setEndorsement(ProposalResponsePackage.Endorsement.newBuilder()
            .setEndorser(endorser)
            .setSignature(ByteString.copyFrom(crypto.sign(user.getEnrollment().getKey(), responsePayload.concat(endorser).toByteArray()))))
        .build();
    ProposalResponse response = new ProposalResponse(context, 200, "");
    response.setProposalResponse(proto);
    response.setProposal(signedProposal);
    try {
      channel.sendTransaction(List.of(response), Channel.TransactionOptions.createTransactionOptions()
          .orderers(orderer).nOfEvents(Channel.NOfEvents.createNoEvents()))
          .get(timeoutSeconds(), TimeUnit.SECONDS);
      out.println("BROADCAST SUCCESS " + context.getTxID());
    } catch (Exception e) {
      out.println("BROADCAST FAILED " + oneLine(e));
    }
  }

  private void deliverUntilNotReady(Channel channel, Orderer orderer, User user, CryptoSuite crypto) throws Exception {
    TransactionContext context = new TransactionContext(channel, user, crypto);
    Common.Envelope seek = ProtoUtils.createSeekInfoEnvelope(context,
        Ab.SeekPosition.newBuilder().setOldest(Ab.SeekOldest.getDefaultInstance()).build(),
        Ab.SeekPosition.newBuilder().setSpecified(Ab.SeekSpecified.newBuilder().setNumber(MAX_UINT64)).build(),
        Ab.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY, null);
    // OrdererClient.sendDeliver collects until the final status and puts it first.
    Ab.DeliverResponse[] responses = orderer.sendDeliver(seek);
    for (int i = 1; i < responses.length; i++) {
      out.println("BLOCK " + responses[i].getBlock().getHeader().getNumber());
    }
    out.println("STATUS " + responses[0].getStatus());
  }

  private void deliverStream(Channel channel, User user, CryptoSuite crypto, Properties properties) throws Exception {
    int wanted = Integer.parseInt(arg("blocks"));
    Endpoint endpoint = Endpoint.createEndpoint(arg("orderer"), properties);
    ManagedChannel grpc = endpoint.getChannelBuilder().build();
    Common.Envelope seek = ProtoUtils.createSeekInfoEnvelope(new TransactionContext(channel, user, crypto),
        Ab.SeekPosition.newBuilder().setOldest(Ab.SeekOldest.getDefaultInstance()).build(),
        Ab.SeekPosition.newBuilder().setSpecified(Ab.SeekSpecified.newBuilder().setNumber(MAX_UINT64)).build(),
        Ab.SeekInfo.SeekBehavior.BLOCK_UNTIL_READY, endpoint.getClientTLSCertificateDigest());
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger received = new AtomicInteger();
    StreamObserver<Common.Envelope> requests = AtomicBroadcastGrpc.newStub(grpc).deliver(new StreamObserver<>() {
      @Override
      public void onNext(Ab.DeliverResponse r) {
        if (r.getTypeCase() == Ab.DeliverResponse.TypeCase.BLOCK) {
          out.println("BLOCK " + r.getBlock().getHeader().getNumber());
          out.flush();
          if (received.incrementAndGet() >= wanted) {
            done.countDown();
          }
        } else {
          out.println("STATUS " + r.getStatus());
          done.countDown();
        }
      }

      @Override
      public void onError(Throwable t) {
        if (done.getCount() > 0) { // not our own shutdown after the wanted blocks
          out.println("ERROR " + oneLine(t));
          done.countDown();
        }
      }

      @Override
      public void onCompleted() {
        if (done.getCount() > 0) {
          out.println("COMPLETED");
          done.countDown();
        }
      }
    });
    requests.onNext(seek);
    if (!done.await(timeoutSeconds(), TimeUnit.SECONDS)) {
      out.println("TIMEOUT after " + received.get() + " blocks");
    }
    grpc.shutdownNow();
  }

  /**
   * The admin's path of a config change through the SDK's public API: the config from
   * {@link Channel#getChannelConfigurationBytes()}; BatchSize.MaxMessageCount set to
   * {@code maxMessageCount} and the update between the two computed here as {@code configtxlator
   * compute_update} would (read set: the channel and Orderer groups at their versions; write set:
   * BatchSize at version + 1); signed by {@code signerMsp}'s user with
   * {@link HFClient#getUpdateChannelConfigurationSignature}; submitted with
   * {@link Channel#updateChannelConfiguration}. Then the config is read again. Prints
   * {@code UPDATE SUCCESS} or {@code UPDATE FAILED <why>}, then {@code BATCH <max message count>}.
   */
  private void updateBatchSize(HFClient client, Channel channel, CryptoSuite crypto) throws Exception {
    SdkUser signer = SdkUser.load(arg("signerMspId"), Path.of(arg("signerMsp")), (CryptoPrimitives) crypto);
    Configtx.Config config = Configtx.Config.parseFrom(channel.getChannelConfigurationBytes());
    Configtx.ConfigGroup root = config.getChannelGroup();
    Configtx.ConfigGroup ordererGroup = root.getGroupsOrThrow("Orderer");
    Configtx.ConfigValue batchSize = ordererGroup.getValuesOrThrow("BatchSize");
    var size = org.hyperledger.fabric.protos.orderer.Configuration.BatchSize.parseFrom(batchSize.getValue()).toBuilder()
        .setMaxMessageCount(Integer.parseInt(arg("maxMessageCount"))).build();
    Configtx.ConfigUpdate update = Configtx.ConfigUpdate.newBuilder()
        .setChannelId(channel.getName())
        .setReadSet(Configtx.ConfigGroup.newBuilder().setVersion(root.getVersion())
            .putGroups("Orderer", Configtx.ConfigGroup.newBuilder().setVersion(ordererGroup.getVersion()).build()))
        .setWriteSet(Configtx.ConfigGroup.newBuilder().setVersion(root.getVersion())
            .putGroups("Orderer", Configtx.ConfigGroup.newBuilder().setVersion(ordererGroup.getVersion())
                .putValues("BatchSize", batchSize.toBuilder().setVersion(batchSize.getVersion() + 1)
                    .setValue(size.toByteString()).build())
                .build()))
        .build();
    UpdateChannelConfiguration configuration = new UpdateChannelConfiguration(update.toByteArray());
    try {
      channel.updateChannelConfiguration(configuration, client.getUpdateChannelConfigurationSignature(configuration, signer));
      out.println("UPDATE SUCCESS");
    } catch (Exception e) {
      out.println("UPDATE FAILED " + oneLine(e));
    }
    Configtx.Config after = Configtx.Config.parseFrom(channel.getChannelConfigurationBytes());
    out.println("BATCH " + org.hyperledger.fabric.protos.orderer.Configuration.BatchSize.parseFrom(
        after.getChannelGroup().getGroupsOrThrow("Orderer").getValuesOrThrow("BatchSize").getValue()).getMaxMessageCount());
  }

  /**
   * An org joins or leaves the channel's Application group, through the SDK's public config update
   * API, with the update computed as {@code configtxlator compute_update} does for a group whose
   * members change: the read set holds the channel and the Application group with every current
   * member (groups, values, policies) at its version; the write set holds the Application group
   * one version up with the members that stay, at their versions and without content, and a new
   * org in full at version 0. Signed by each signer with
   * {@link HFClient#getUpdateChannelConfigurationSignature}. Prints {@code UPDATE SUCCESS} or
   * {@code UPDATE FAILED <why>}, then {@code ORGS <the Application group's org names, sorted>}.
   */
  private void updateApplicationOrgs(HFClient client, Channel channel, CryptoSuite crypto, boolean add) throws Exception {
    String name = arg("org");
    Configtx.Config config = Configtx.Config.parseFrom(channel.getChannelConfigurationBytes());
    Configtx.ConfigGroup root = config.getChannelGroup();
    Configtx.ConfigGroup application = root.getGroupsOrThrow("Application");
    Configtx.ConfigGroup.Builder read = Configtx.ConfigGroup.newBuilder().setVersion(application.getVersion());
    Configtx.ConfigGroup.Builder write = Configtx.ConfigGroup.newBuilder().setVersion(application.getVersion() + 1)
        .setModPolicy(application.getModPolicy());
    application.getGroupsMap().forEach((key, group) -> {
      Configtx.ConfigGroup atVersion = Configtx.ConfigGroup.newBuilder().setVersion(group.getVersion()).build();
      read.putGroups(key, atVersion);
      if (add || !key.equals(name)) {
        write.putGroups(key, atVersion);
      }
    });
    application.getValuesMap().forEach((key, value) -> {
      Configtx.ConfigValue atVersion = Configtx.ConfigValue.newBuilder().setVersion(value.getVersion()).build();
      read.putValues(key, atVersion);
      write.putValues(key, atVersion);
    });
    application.getPoliciesMap().forEach((key, policy) -> {
      Configtx.ConfigPolicy atVersion = Configtx.ConfigPolicy.newBuilder().setVersion(policy.getVersion()).build();
      read.putPolicies(key, atVersion);
      write.putPolicies(key, atVersion);
    });
    if (add) {
      write.putGroups(name, Configtx.ConfigGroup.parseFrom(Files.readAllBytes(Path.of(arg("orgGroup")))));
    }
    Configtx.ConfigUpdate update = Configtx.ConfigUpdate.newBuilder()
        .setChannelId(channel.getName())
        .setReadSet(Configtx.ConfigGroup.newBuilder().setVersion(root.getVersion()).putGroups("Application", read.build()))
        .setWriteSet(Configtx.ConfigGroup.newBuilder().setVersion(root.getVersion()).putGroups("Application", write.build()))
        .build();
    UpdateChannelConfiguration configuration = new UpdateChannelConfiguration(update.toByteArray());
    String[] mspIds = arg("signerMspId").split(",");
    String[] msps = arg("signerMsp").split(",");
    if (mspIds.length != msps.length) {
      throw new IllegalArgumentException("signerMspId and signerMsp must list as many entries");
    }
    byte[][] signatures = new byte[mspIds.length][];
    for (int i = 0; i < mspIds.length; i++) {
      SdkUser signer = SdkUser.load(mspIds[i], Path.of(msps[i]), (CryptoPrimitives) crypto);
      signatures[i] = client.getUpdateChannelConfigurationSignature(configuration, signer);
    }
    try {
      channel.updateChannelConfiguration(configuration, signatures);
      out.println("UPDATE SUCCESS");
    } catch (Exception e) {
      out.println("UPDATE FAILED " + oneLine(e));
    }
    Configtx.Config after = Configtx.Config.parseFrom(channel.getChannelConfigurationBytes());
    out.println("ORGS " + String.join(" ", new java.util.TreeSet<>(
        after.getChannelGroup().getGroupsOrThrow("Application").getGroupsMap().keySet())));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String oneLine(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null && sb.length() < 2000; c = c.getCause() == c ? null : c.getCause()) {
      sb.append(sb.length() == 0 ? "" : " <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
    }
    return sb.toString().replace('\n', ' ');
  }

  /** A user enrolled from a cryptogen MSP directory, as SDK applications implement {@link User}. */
  private record SdkUser(String name, String mspId, Enrollment enrollment) implements User {
    static SdkUser load(String mspId, Path msp, CryptoPrimitives crypto) throws Exception {
      Path cert;
      try (Stream<Path> certs = Files.list(msp.resolve("signcerts"))) {
        cert = certs.filter(p -> p.toString().endsWith(".pem")).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no certificate in " + msp.resolve("signcerts")));
      }
      PrivateKey key = crypto.bytesToPrivateKey(Files.readAllBytes(msp.resolve("keystore").resolve("priv_sk")));
      String pem = Files.readString(cert, StandardCharsets.UTF_8);
      return new SdkUser(cert.getFileName().toString(), mspId, new Enrollment() {
        @Override
        public PrivateKey getKey() {
          return key;
        }

        @Override
        public String getCert() {
          return pem;
        }
      });
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public Set<String> getRoles() {
      return Collections.emptySet();
    }

    @Override
    public String getAccount() {
      return null;
    }

    @Override
    public String getAffiliation() {
      return null;
    }

    @Override
    public Enrollment getEnrollment() {
      return enrollment;
    }

    @Override
    public String getMspId() {
      return mspId;
    }
  }
}
