package io.raftswarm.common.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.identity.IdentityException;
import io.raftswarm.common.identity.MspRegistry;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.identity.VerifiedCreator;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.junit.jupiter.api.Test;

class EnvelopesTest {
  private static final TestOrgs ORG1 = new TestOrgs("Org1MSP", "org1.example.com");
  private static final SigningIdentity USER = ORG1.identity("User1", "client");
  private static final MspRegistry MSPS = new MspRegistry(List.of(ORG1.msp()));

  @Test
  void signed_envelope_parses_into_its_headers_and_data() throws Exception {
    Instant now = Instant.parse("2024-05-01T10:00:00.5Z");
    Envelope envelope = Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, "mychannel", ByteString.copyFromUtf8("data"),
        USER, Clock.fixed(now, ZoneOffset.UTC));

    ParsedEnvelope parsed = Envelopes.parse(envelope);

    assertThat(parsed.type()).isEqualTo(HeaderType.ENDORSER_TRANSACTION);
    assertThat(parsed.channelId()).isEqualTo("mychannel");
    assertThat(parsed.payload().getData().toStringUtf8()).isEqualTo("data");
    assertThat(parsed.channelHeader().getTimestamp().getSeconds()).isEqualTo(now.getEpochSecond());
    assertThat(parsed.channelHeader().getTimestamp().getNanos()).isEqualTo(500_000_000);
    assertThat(parsed.signatureHeader().getCreator()).isEqualTo(USER.serialize());
    assertThat(parsed.signatureHeader().getNonce().size()).isEqualTo(24);
    assertThat(parsed.txId()).isEqualTo(Envelopes.txId(parsed.signatureHeader().getNonce().toByteArray(), USER.serialize()));
  }

  @Test
  void tx_id_is_the_hex_sha256_of_nonce_then_creator() throws Exception {
    byte[] nonce = {1, 2, 3};
    ByteString creator = ByteString.copyFromUtf8("creator");
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3, 'c', 'r', 'e', 'a', 't', 'o', 'r'});

    assertThat(Envelopes.txId(nonce, creator)).isEqualTo(HexFormat.of().formatHex(expected));
  }

  @Test
  void every_envelope_gets_a_fresh_nonce_and_tx_id() throws Exception {
    Envelope a = Envelopes.signed(HeaderType.MESSAGE, "mychannel", ByteString.EMPTY, USER);
    Envelope b = Envelopes.signed(HeaderType.MESSAGE, "mychannel", ByteString.EMPTY, USER);

    assertThat(Envelopes.parse(a).txId()).isNotEqualTo(Envelopes.parse(b).txId());
  }

  @Test
  void signed_envelope_verifies_against_the_channel_msps() {
    Envelope envelope = Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, "mychannel", ByteString.copyFromUtf8("data"), USER);

    VerifiedCreator creator = Envelopes.verify(envelope, MSPS);

    assertThat(creator.mspId()).isEqualTo("Org1MSP");
    assertThat(creator.role()).contains("client");
  }

  @Test
  void envelope_with_a_tampered_payload_fails_verification() throws Exception {
    Envelope envelope = Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, "mychannel", ByteString.copyFromUtf8("data"), USER);
    var payload = Envelopes.parse(envelope).payload().toBuilder().setData(ByteString.copyFromUtf8("other")).build();
    Envelope tampered = envelope.toBuilder().setPayload(payload.toByteString()).build();

    assertThatThrownBy(() -> Envelopes.verify(tampered, MSPS))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void envelope_from_an_unknown_msp_fails_verification() {
    SigningIdentity stranger = new TestOrgs("Org9MSP", "org9.example.com").identity("User1", "client");
    Envelope envelope = Envelopes.signed(HeaderType.ENDORSER_TRANSACTION, "mychannel", ByteString.EMPTY, stranger);

    assertThatThrownBy(() -> Envelopes.verify(envelope, MSPS)).isInstanceOf(IdentityException.class).hasMessageContaining("Org9MSP");
  }

  @Test
  void garbage_payload_does_not_parse() {
    Envelope envelope = Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01})).build();

    assertThatThrownBy(() -> Envelopes.parse(envelope)).isInstanceOf(InvalidProtocolBufferException.class);
  }
}
