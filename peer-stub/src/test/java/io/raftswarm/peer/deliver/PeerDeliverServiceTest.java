package io.raftswarm.peer.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.testing.LocalNetworkFixture;
import io.raftswarm.peer.chaincode.Chaincodes;
import io.raftswarm.peer.channel.ChannelLedger;
import io.raftswarm.peer.channel.Channels;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer's Deliver with the SeekInfo the SDKs' event services send (stop = 2^64−1), on a ledger
 * holding only the genesis block, over a plaintext loopback server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerDeliverServiceTest {
  private static final String CHANNEL = "mychannel";
  private static final long MAX_UINT64 = -1L;
  @TempDir Path dir;
  @TempDir static Path crypto;
  private ChannelLedger ledger;
  private ExecutorService executor;
  private Server server;
  private ManagedChannel channel;
  private SigningIdentity user;

  @BeforeEach
  void setUp() throws Exception {
    LocalNetworkFixture net = LocalNetworkFixture.create(crypto, 1, 1, List.of(CHANNEL));
    Block genesis = Block.parseFrom(Files.readAllBytes(net.genesisBlock(CHANNEL)));
    ledger = ChannelLedger.create(dir.resolve("ledger"), genesis, Chaincodes.builtIn());
    user = net.user("Org1", "User1");
    Channels channels = new Channels() {
      @Override
      public Optional<ChannelLedger> ledger(String channelId) {
        return CHANNEL.equals(channelId) ? Optional.of(ledger) : Optional.empty();
      }

      @Override
      public List<String> channelIds() {
        return List.of(CHANNEL);
      }

      @Override
      public boolean join(Block genesisBlock) {
        return false;
      }
    };
    executor = Executors.newCachedThreadPool();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new PeerDeliverService(channels, executor)).build().start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void tearDown() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    executor.shutdownNow();
    ledger.close();
  }

  @Test
  void a_stop_of_max_uint64_streams_and_waits_instead_of_bad_request() throws Exception {
    LinkedBlockingQueue<Object> events = deliver(seek(oldest(), specified(MAX_UINT64), SeekInfo.SeekBehavior.BLOCK_UNTIL_READY));
    assertThat(((DeliverResponse) events.poll(20, TimeUnit.SECONDS)).getBlock().getHeader().getNumber()).isZero();
    assertThat(events.poll(700, TimeUnit.MILLISECONDS)).as("no status: waiting for block 1").isNull();
  }

  @Test
  void fail_if_not_ready_with_max_uint64_sends_what_exists_then_not_found() throws Exception {
    LinkedBlockingQueue<Object> events = deliver(seek(oldest(), specified(MAX_UINT64), SeekInfo.SeekBehavior.FAIL_IF_NOT_READY));
    assertThat(((DeliverResponse) events.poll(20, TimeUnit.SECONDS)).getBlock().getHeader().getNumber()).isZero();
    assertThat(((DeliverResponse) events.poll(20, TimeUnit.SECONDS)).getStatus()).isEqualTo(Status.NOT_FOUND);
  }

  @Test
  void header_with_sig_keeps_the_data_of_the_config_block_and_a_start_beyond_the_height_is_not_found() throws Exception {
    SeekInfo headers = seek(oldest(), SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build(),
        SeekInfo.SeekBehavior.BLOCK_UNTIL_READY).toBuilder().setContentType(SeekInfo.SeekContentType.HEADER_WITH_SIG).build();
    LinkedBlockingQueue<Object> events = deliver(headers);
    assertThat(((DeliverResponse) events.poll(20, TimeUnit.SECONDS)).getBlock().hasData()).isTrue();
    assertThat(((DeliverResponse) events.poll(20, TimeUnit.SECONDS)).getStatus()).isEqualTo(Status.SUCCESS);

    LinkedBlockingQueue<Object> beyond = deliver(seek(specified(5), specified(MAX_UINT64), SeekInfo.SeekBehavior.BLOCK_UNTIL_READY));
    assertThat(((DeliverResponse) beyond.poll(20, TimeUnit.SECONDS)).getStatus()).isEqualTo(Status.NOT_FOUND);
  }

  private LinkedBlockingQueue<Object> deliver(SeekInfo seek) {
    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    StreamObserver<Envelope> requests = DeliverGrpc.newStub(channel).deliver(new StreamObserver<>() {
      @Override
      public void onNext(DeliverResponse value) {
        events.add(value);
      }

      @Override
      public void onError(Throwable t) {
        events.add(t);
      }

      @Override
      public void onCompleted() {
        // the status before it is what the tests read
      }
    });
    requests.onNext(Envelopes.signed(HeaderType.DELIVER_SEEK_INFO, CHANNEL, seek.toByteString(), user));
    return events;
  }

  private static SeekInfo seek(SeekPosition start, SeekPosition stop, SeekInfo.SeekBehavior behavior) {
    return SeekInfo.newBuilder().setStart(start).setStop(stop).setBehavior(behavior).build();
  }

  private static SeekPosition oldest() {
    return SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()).build();
  }

  private static SeekPosition specified(long n) {
    return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(n)).build();
  }
}
