package io.raftswarm.common.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.junit.jupiter.api.Test;

/** Aliased parsing must give what a plain parse gives and refuse what it refuses: orderers of two versions must agree. */
class AliasedProtosTest {
  private static final ByteString PAYLOAD = Payload.newBuilder()
      .setHeader(Header.newBuilder()
          .setChannelHeader(ChannelHeader.newBuilder().setChannelId("mychannel").setTxId("tx1").build().toByteString())
          .setSignatureHeader(ByteString.copyFromUtf8("creator and nonce")))
      .setData(ByteString.copyFromUtf8("data"))
      .build().toByteString();

  @Test
  void gives_the_message_a_plain_parse_gives() throws Exception {
    assertThat(AliasedProtos.parse(Payload.parser(), PAYLOAD)).isEqualTo(Payload.parseFrom(PAYLOAD));
  }

  @Test
  void refuses_what_a_plain_parse_refuses() {
    ByteString strayEndGroup = PAYLOAD.concat(ByteString.copyFrom(new byte[] {0x0C}));
    assertThatThrownBy(() -> Payload.parseFrom(strayEndGroup)).isInstanceOf(InvalidProtocolBufferException.class);
    assertThatThrownBy(() -> AliasedProtos.parse(Payload.parser(), strayEndGroup)).isInstanceOf(InvalidProtocolBufferException.class);
    ByteString truncated = PAYLOAD.substring(0, PAYLOAD.size() - 2);
    assertThatThrownBy(() -> AliasedProtos.parse(Payload.parser(), truncated)).isInstanceOf(InvalidProtocolBufferException.class);
  }
}
