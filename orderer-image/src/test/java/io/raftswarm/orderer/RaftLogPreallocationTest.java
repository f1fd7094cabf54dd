package io.raftswarm.orderer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.ratis.server.raftlog.segmented.SegmentedRaftLogFormat;
import org.apache.ratis.thirdparty.com.google.protobuf.CodedInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ratis extends an open log segment by writing zeros ahead of its entries, and the next fsync
 * writes those zeros to disk before the entries overwrite them. The orderer keeps that run-ahead
 * small, so each entry reaches the disk once, and a new segment (every term change starts one, on
 * every node, in the middle of a failover) is not 4 MB of zeros to flush.
 */
class RaftLogPreallocationTest {
  private static final String CH = "mychannel";
  private static final long MAX_AHEAD = 64 * 1024;

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void an_open_raft_log_segment_runs_at_most_64_KiB_ahead_of_the_entries_it_holds() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3, List.of(CH), TestCluster.testBatch(), 1024)) {
      cluster.startWithFollowerInSync(CH, 20);
      for (int id = 1; id <= 3; id++) {
        List<Path> open = openSegments(cluster.config(id).walDir());
        assertThat(open).as("orderer %d's open Raft log segments", id).isNotEmpty();
        for (Path segment : open) {
          long written = entriesEnd(segment);
          assertThat(written).as("%s holds entries", segment).isGreaterThan(SegmentedRaftLogFormat.getHeaderLength());
          assertThat(Files.size(segment) - written).as("bytes of %s past its last entry", segment)
              .isLessThanOrEqualTo(MAX_AHEAD);
        }
      }
    }
  }

  private static List<Path> openSegments(Path walDir) throws IOException {
    try (Stream<Path> files = Files.walk(walDir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("log_inprogress_")).toList();
    }
  }

  /** Where the entries of a segment end: after its header, each entry is a size, the entry and a 4-byte checksum; zeros follow. */
  private static long entriesEnd(Path segment) throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.skipRawBytes(SegmentedRaftLogFormat.getHeaderLength());
    while (!in.isAtEnd()) {
      int start = in.getTotalBytesRead();
      int size = in.readRawVarint32();
      if (size == 0) {
        return start;
      }
      in.skipRawBytes(size + 4);
    }
    return bytes.length;
  }
}
