package io.raftswarm.common.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekBehavior;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekContentType;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekErrorResponse;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekNextCommit;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.junit.jupiter.api.Test;

/** Each SeekInfo combination against Fabric's deliver semantics (common/deliver/deliver.go). */
class SeekPlanTest {
  /** Fabric's math.MaxUint64 as Java reads the uint64 field: all bits set. */
  private static final long MAX_UINT64 = -1L;
  private static final long HEIGHT = 10;

  private static final SeekPosition OLDEST = SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()).build();
  private static final SeekPosition NEWEST = SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build();
  private static final SeekPosition NEXT_COMMIT = SeekPosition.newBuilder().setNextCommit(SeekNextCommit.getDefaultInstance()).build();

  private static SeekPosition specified(long n) {
    return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(n)).build();
  }

  private static SeekInfo seek(SeekPosition start, SeekPosition stop) {
    return SeekInfo.newBuilder().setStart(start).setStop(stop).setBehavior(SeekBehavior.BLOCK_UNTIL_READY).build();
  }

  private static SeekPlan plan(SeekInfo seek) throws SeekPlan.Refused {
    return SeekPlan.resolve(seek, HEIGHT);
  }

  private static Status refusal(SeekInfo seek) {
    try {
      SeekPlan.resolve(seek, HEIGHT);
    } catch (SeekPlan.Refused r) {
      assertThat(r.getMessage()).isNotBlank();
      return r.status();
    }
    throw new AssertionError("expected a refusal for " + seek);
  }

  @Test
  void deliver_stdout_seek_minus_2_is_oldest_to_max_uint64_and_never_ends() throws Exception {
    SeekPlan p = plan(seek(OLDEST, specified(MAX_UINT64)));
    assertThat(p.start()).isZero();
    assertThat(p.stop()).isEqualTo(MAX_UINT64);
    assertThat(Long.toUnsignedString(p.stop())).isEqualTo("18446744073709551615");
    assertThat(p.isLast(HEIGHT)).isFalse();
    assertThat(p.isLast(Long.MAX_VALUE)).isFalse();
    assertThat(p.notReady(HEIGHT, HEIGHT)).as("BLOCK_UNTIL_READY waits").isFalse();
  }

  @Test
  void deliver_stdout_seek_minus_1_is_newest_to_max_uint64() throws Exception {
    SeekPlan p = plan(seek(NEWEST, specified(MAX_UINT64)));
    assertThat(p.start()).isEqualTo(HEIGHT - 1);
    assertThat(p.stop()).isEqualTo(MAX_UINT64);
  }

  @Test
  void deliver_stdout_seek_n_is_exactly_block_n() throws Exception {
    SeekPlan p = plan(seek(specified(3), specified(3)));
    assertThat(p.start()).isEqualTo(3);
    assertThat(p.isLast(3)).isTrue();
  }

  @Test
  void our_clients_long_max_value_stop_is_also_unbounded() throws Exception {
    assertThat(plan(seek(specified(4), specified(Long.MAX_VALUE))).stop()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void oldest_to_newest_is_the_whole_ledger_at_request_time() throws Exception {
    SeekPlan p = plan(seek(OLDEST, NEWEST));
    assertThat(p.start()).isZero();
    assertThat(p.stop()).isEqualTo(HEIGHT - 1);
  }

  @Test
  void newest_to_newest_is_the_newest_block_only() throws Exception {
    SeekPlan p = plan(seek(NEWEST, NEWEST));
    assertThat(p.start()).isEqualTo(HEIGHT - 1);
    assertThat(p.stop()).isEqualTo(HEIGHT - 1);
  }

  @Test
  void a_stop_at_oldest_means_the_start_block_only_as_in_fabric() throws Exception {
    SeekPlan p = plan(seek(specified(6), OLDEST));
    assertThat(p.start()).isEqualTo(6);
    assertThat(p.stop()).isEqualTo(6);
  }

  @Test
  void next_commit_start_waits_for_the_next_block() throws Exception {
    SeekPlan p = plan(seek(NEXT_COMMIT, specified(MAX_UINT64)));
    assertThat(p.start()).isEqualTo(HEIGHT);
    assertThat(p.notReady(HEIGHT, HEIGHT)).isFalse();
  }

  @Test
  void next_commit_stop_is_the_block_written_next() throws Exception {
    SeekPlan p = plan(seek(OLDEST, NEXT_COMMIT));
    assertThat(p.stop()).isEqualTo(HEIGHT);
    SeekPlan only = plan(seek(NEXT_COMMIT, NEXT_COMMIT));
    assertThat(only.start()).isEqualTo(HEIGHT);
    assertThat(only.isLast(HEIGHT)).isTrue();
  }

  @Test
  void a_specified_start_at_the_height_is_allowed_and_beyond_it_is_not_found() throws Exception {
    assertThat(plan(seek(specified(HEIGHT), specified(MAX_UINT64))).start()).isEqualTo(HEIGHT);
    assertThat(refusal(seek(specified(HEIGHT + 1), specified(MAX_UINT64)))).isEqualTo(Status.NOT_FOUND);
    assertThat(refusal(seek(specified(MAX_UINT64), specified(MAX_UINT64)))).as("unsigned: 2^64-1 is far beyond")
        .isEqualTo(Status.NOT_FOUND);
  }

  @Test
  void start_after_stop_is_bad_request() {
    assertThat(refusal(seek(specified(5), specified(4)))).isEqualTo(Status.BAD_REQUEST);
    assertThat(refusal(seek(NEXT_COMMIT, NEWEST))).isEqualTo(Status.BAD_REQUEST);
    assertThat(refusal(seek(specified(HEIGHT), NEWEST))).isEqualTo(Status.BAD_REQUEST);
  }

  @Test
  void a_huge_unsigned_stop_is_after_any_start() throws Exception {
    // Signed, 2^63 and above would be negative and "before" every start.
    assertThat(plan(seek(specified(5), specified(Long.MIN_VALUE))).stop()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void missing_positions_are_bad_request_and_a_start_without_type_is_not_found() {
    assertThat(refusal(SeekInfo.newBuilder().setStop(NEWEST).build())).isEqualTo(Status.BAD_REQUEST);
    assertThat(refusal(SeekInfo.newBuilder().setStart(OLDEST).build())).isEqualTo(Status.BAD_REQUEST);
    assertThat(refusal(seek(SeekPosition.getDefaultInstance(), NEWEST))).isEqualTo(Status.NOT_FOUND);
    assertThat(refusal(seek(OLDEST, SeekPosition.getDefaultInstance()))).isEqualTo(Status.BAD_REQUEST);
  }

  @Test
  void fail_if_not_ready_refuses_blocks_not_written_yet() throws Exception {
    SeekPlan p = plan(seek(specified(8), specified(MAX_UINT64)).toBuilder().setBehavior(SeekBehavior.FAIL_IF_NOT_READY).build());
    assertThat(p.notReady(9, HEIGHT)).isFalse();
    assertThat(p.notReady(HEIGHT, HEIGHT)).isTrue();
    assertThat(p.notReady(MAX_UINT64, HEIGHT)).isTrue();
    SeekPlan nextCommit = plan(seek(NEXT_COMMIT, NEXT_COMMIT).toBuilder().setBehavior(SeekBehavior.FAIL_IF_NOT_READY).build());
    assertThat(nextCommit.notReady(nextCommit.start(), HEIGHT)).isTrue();
  }

  @Test
  void strict_is_the_default_and_best_effort_is_read() throws Exception {
    assertThat(plan(seek(OLDEST, NEWEST)).bestEffort()).isFalse();
    assertThat(plan(seek(OLDEST, NEWEST).toBuilder().setErrorResponse(SeekErrorResponse.BEST_EFFORT).build()).bestEffort())
        .isTrue();
  }

  @Test
  void header_with_sig_strips_the_data_of_normal_blocks_but_not_of_config_blocks() throws Exception {
    Block normal = Blocks.build(4, new byte[32], List.of(envelope(HeaderType.ENDORSER_TRANSACTION), envelope(HeaderType.MESSAGE)));
    Block config = Blocks.build(0, new byte[0], List.of(envelope(HeaderType.CONFIG)));
    SeekPlan headers = plan(seek(OLDEST, NEWEST).toBuilder().setContentType(SeekContentType.HEADER_WITH_SIG).build());
    SeekPlan full = plan(seek(OLDEST, NEWEST));

    Block stripped = headers.shape(normal);
    assertThat(stripped.hasData()).isFalse();
    assertThat(stripped.getHeader()).isEqualTo(normal.getHeader());
    assertThat(stripped.getMetadata()).isEqualTo(normal.getMetadata());
    assertThat(headers.shape(config)).isEqualTo(config);
    assertThat(full.shape(normal)).isEqualTo(normal);
  }

  private static ByteString envelope(HeaderType type) {
    ChannelHeader header = ChannelHeader.newBuilder().setType(type.getNumber()).setChannelId("mychannel").build();
    Payload payload = Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
        .setData(ByteString.copyFromUtf8("data")).build();
    return Envelope.newBuilder().setPayload(payload.toByteString()).build().toByteString();
  }
}
