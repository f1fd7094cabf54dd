package io.raftswarm.orderer;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.identity.SigningIdentity;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * What Fabric v2.5's sample clients put on the wire, rebuilt from raw fabric-protos messages
 * (orderer/sample_clients/broadcast_msg and deliver_stdout, both through
 * protoutil.CreateSignedEnvelope: channel header with type, channel id and timestamp but no
 * transaction id, epoch 0; signature header with creator and nonce; signature over the payload).
 */
final class FabricSampleClients {
  /** deliver_stdout's maxStop: SeekSpecified{Number: math.MaxUint64}; Java sees all 64 bits set. */
  static final long MAX_UINT64 = -1L;

  private FabricSampleClients() {}

  /** protoutil.CreateSignedEnvelope(type, channel, signer, data, 0, 0): no transaction id. */
  static Envelope signedEnvelope(HeaderType type, String channel, SigningIdentity signer, Message data) {
    Instant now = Instant.now();
    ChannelHeader channelHeader = ChannelHeader.newBuilder()
        .setType(type.getNumber())
        .setChannelId(channel)
        .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build();
    SignatureHeader signatureHeader = SignatureHeader.newBuilder()
        .setCreator(signer.serialize())
        .setNonce(ByteString.copyFrom(Envelopes.nonce()))
        .build();
    ByteString payload = Payload.newBuilder()
        .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString()).setSignatureHeader(signatureHeader.toByteString()))
        .setData(data.toByteString())
        .build().toByteString();
    return Envelope.newBuilder().setPayload(payload).setSignature(ByteString.copyFrom(signer.sign(payload.toByteArray()))).build();
  }

  /** broadcast_msg: a MESSAGE envelope carrying {@code ConfigValue{Value: size bytes}}. */
  static Envelope broadcastMsg(String channel, SigningIdentity signer, int size) {
    return signedEnvelope(HeaderType.MESSAGE, channel, signer, ConfigValue.newBuilder().setValue(ByteString.copyFrom(new byte[size])).build());
  }

  /** deliver_stdout {@code -seek}: -2 oldest..MaxUint64, -1 newest..MaxUint64, n ≥ 0 block n only; BLOCK_UNTIL_READY. */
  static Envelope deliverStdoutSeek(String channel, SigningIdentity signer, int seek) {
    SeekPosition maxStop = specified(MAX_UINT64);
    SeekInfo.Builder info = SeekInfo.newBuilder().setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
    switch (seek) {
      case -2 -> info.setStart(SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance())).setStop(maxStop);
      case -1 -> info.setStart(SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance())).setStop(maxStop);
      default -> info.setStart(specified(seek)).setStop(specified(seek));
    }
    return seekEnvelope(channel, signer, info.build());
  }

  static Envelope seekEnvelope(String channel, SigningIdentity signer, SeekInfo info) {
    return signedEnvelope(HeaderType.DELIVER_SEEK_INFO, channel, signer, info);
  }

  static SeekPosition specified(long n) {
    return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(n)).build();
  }

  /** A TLS channel that trusts {@code roots} and presents no client certificate. */
  static ManagedChannel tlsWithoutClientCertificate(String endpoint, List<X509Certificate> roots) {
    try {
      return NettyChannelBuilder.forTarget(endpoint)
          .negotiationType(NegotiationType.TLS)
          .sslContext(GrpcSslContexts.forClient().trustManager(roots.toArray(X509Certificate[]::new)).build())
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One Broadcast stream: send an envelope, read its answer. */
  static final class Broadcast implements AutoCloseable {
    private final LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    private final StreamObserver<Envelope> requests;

    Broadcast(ManagedChannel channel) {
      requests = AtomicBroadcastGrpc.newStub(channel).broadcast(new Collector<>(answers));
    }

    BroadcastResponse send(Envelope envelope, Duration timeout) throws Exception {
      requests.onNext(envelope);
      Object answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (answer instanceof BroadcastResponse r) {
        return r;
      }
      throw new AssertionError("no Broadcast answer but " + answer);
    }

    @Override
    public void close() {
      requests.onCompleted();
    }
  }

  /** One Deliver stream; {@link #next} returns a DeliverResponse, {@link #COMPLETED}, a Throwable or null (timeout). */
  static final class Deliver implements AutoCloseable {
    static final Object COMPLETED = "stream completed";
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final StreamObserver<Envelope> requests;

    Deliver(ManagedChannel channel) {
      requests = AtomicBroadcastGrpc.newStub(channel).deliver(new Collector<>(events));
    }

    Deliver send(Envelope seek) {
      requests.onNext(seek);
      return this;
    }

    Object next(Duration timeout) throws InterruptedException {
      return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next response, failing on anything else. */
    DeliverResponse response(Duration timeout) throws InterruptedException {
      Object event = next(timeout);
      if (event instanceof DeliverResponse r) {
        return r;
      }
      throw new AssertionError("expected a Deliver response within " + timeout + " but got " + event);
    }

    @Override
    public void close() {
      try {
        requests.onCompleted();
      } catch (RuntimeException ignored) {
        // already closed by the server
      }
    }
  }

  private record Collector<T>(LinkedBlockingQueue<Object> queue) implements StreamObserver<T> {
    @Override
    public void onNext(T value) {
      queue.add(value);
    }

    @Override
    public void onError(Throwable t) {
      queue.add(t);
    }

    @Override
    public void onCompleted() {
      queue.add(Deliver.COMPLETED);
    }
  }
}
