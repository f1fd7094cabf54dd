package io.raftswarm.common.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
  // The documents as docs/CONTRACTS.md shows them; scripts and lab tests read these field names.
  private static final String ORDERER = "{\"node\":\"orderer7.example.com\",\"channels\":[{\"channel\":\"mychannel\","
      + "\"consenterId\":3,\"role\":\"LEADER\",\"leaderId\":3,\"term\":2,\"height\":5,\"lastBlockHash\":\"ab01\","
      + "\"raftIndex\":13,\"raftLogStart\":4,\"lastBlockTerm\":2}]}";
  private static final String PEER = "{\"node\":\"peer0.org1.example.com\",\"channels\":[{\"channel\":\"mychannel\","
      + "\"height\":7,\"lastBlockHash\":\"cd\",\"stateHash\":\"ef\",\"orderer\":\"host:7050\"}]}";

  @Test
  void ordererStatusIsWrittenAsTheContractShowsIt() {
    OrdererStatus status = new OrdererStatus("orderer7.example.com",
        List.of(new OrdererChannelStatus("mychannel", 3, "LEADER", 3, 2, 5, "ab01", 13, 4, 2)));
    assertThat(StatusJson.write(status)).isEqualTo(ORDERER);
  }

  @Test
  void peerStatusIsWrittenAsTheContractShowsIt() {
    PeerStatus status = new PeerStatus("peer0.org1.example.com",
        List.of(new PeerChannelStatus("mychannel", 7, "cd", "ef", "host:7050")));
    assertThat(StatusJson.write(status)).isEqualTo(PEER);
  }

  @Test
  void readsWhatItWritesAndIgnoresUnknownFields() throws Exception {
    OrdererStatus orderer = StatusJson.readOrderer(ORDERER.replace("\"term\"", "\"extra\":true,\"term\""));
    assertThat(orderer.channel("mychannel")).get()
        .satisfies(c -> {
          assertThat(c.isLeader()).isTrue();
          assertThat(c.leaderId()).isEqualTo(3);
          assertThat(c.raftIndex()).isEqualTo(13);
          assertThat(c.raftLogStart()).isEqualTo(4);
          assertThat(c.lastBlockTerm()).isEqualTo(2);
        });
    assertThat(StatusJson.readPeer(PEER.getBytes(java.nio.charset.StandardCharsets.UTF_8)).channel("mychannel"))
        .get().extracting(PeerChannelStatus::stateHash).isEqualTo("ef");
  }

  @Test
  void aDocumentFromAnOrdererThatDoesNotReportItsLogStartReadsAsZero() throws Exception {
    OrdererStatus older = StatusJson.readOrderer(ORDERER.replace(",\"raftLogStart\":4,\"lastBlockTerm\":2", ""));
    assertThat(older.channel("mychannel")).get().extracting(OrdererChannelStatus::raftLogStart).isEqualTo(0L);
    assertThat(older.channel("mychannel")).get().extracting(OrdererChannelStatus::lastBlockTerm).isEqualTo(0L);
  }

  @Test
  void missingChannelsReadAsEmpty() throws Exception {
    assertThat(StatusJson.readOrderer("{\"node\":\"o\"}").channels()).isEmpty();
    assertThat(StatusJson.readPeer("{\"node\":\"p\"}").channels()).isEmpty();
  }
}
