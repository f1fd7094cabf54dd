package io.raftswarm.orderer.raft;

import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.RaftOptions;
import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.orderer.config.OrdererConfig;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis configuration of an orderer: one server for all channels, so the values are the
 * strictest over the channels. Must be the same on every orderer where Ratis compares it
 * (install-snapshot on/off), which holds because it derives from the shared genesis blocks.
 */
public final class RaftSettings {
  /** The largest Raft entry: Ratis' log write buffer and appender batches are sized for it. */
  public static final int ENTRY_BYTES = 4 * 1024 * 1024;
  /** The largest batch carried whole in one entry; larger ones are split into fragments of this size. */
  public static final int FRAGMENT_BYTES = ENTRY_BYTES - 256 * 1024;

  /**
   * etcd's randomized election timeout for 100 ms x 10 ticks is 1-2 s; ours is 0.6 of that. A
   * dead leader's followers do not wait for it (LeaderWatch notices the broken connection), so the
   * timeout only covers a silent leader and must outlast the JVM stalls of a starved host: 0.3
   * (300-600 ms) saw 7 leader changes in a 10-minute lab soak, 0.6 none (docs/BENCHMARKS.md).
   */
  static final double ELECTION_SCALE = 0.6;
  /**
   * How long after its start an orderer that is not a preferred leader waits before it campaigns
   * for the first time, when it has heard of no leader: the hosts' orderers start seconds apart
   * (compose runs on each host at once, and the JVMs of a loaded host come up later: 4-10 s on the
   * lab), and with only the election timeout the first host up would elect one of its own. 10 s
   * was too short once: host2's orderers started 6-10 s before host1's, the preferred ones were
   * still starting up, and a host2 orderer campaigned 12 s after its own start and won
   * (2026-12-07 15:23). The cost of more: a first leader that long after a start when no
   * preferred orderer is up.
   */
  static final Duration FIRST_CAMPAIGN_DELAY = Duration.ofSeconds(20);
  /**
   * How much later than the one before it each preferred leader campaigns for the first time, in
   * the order of their consenter ids: preferred orderers started together otherwise time out
   * within a few hundred milliseconds of each other, and on cold JVMs a pre-vote and vote round
   * takes longer than that, so two candidates split the first vote and the cluster starts at
   * term 2 (seen on the lab: two host1 orderers 195 ms apart). Ranks past
   * {@link #STAGGERED_RANKS} share the last slot, which stays below {@link #FIRST_CAMPAIGN_DELAY}.
   */
  static final Duration FIRST_CAMPAIGN_STAGGER = Duration.ofSeconds(1);
  static final int STAGGERED_RANKS = 8;
  /** One Raft entry is one block; assume ~16 KiB per block when deriving entries from SnapshotIntervalSize. */
  static final long BYTES_PER_ENTRY = 16 * 1024;
  /** How far ahead of its writes Ratis extends a log segment file (its default: 4 MB). */
  static final int PREALLOCATED_BYTES = 64 * 1024;
  /** Append requests in flight to one follower (Ratis' leader.outstanding.appends.max). */
  static final int OUTSTANDING_APPENDS = 2;

  /**
   * An orderer that is not a preferred leader draws its election timeout from twice to three
   * times the minimum instead of from the minimum to twice it, so that a preferred one is the
   * first candidate after a leader falls silent (a leader that dies outright is replaced by
   * succession instead, Chain#successionRank). The longer minimum has a price and a use, both
   * measured on the lab (docs/BENCHMARKS.md "The drill matrix again"): Ratis' followers refuse
   * pre-votes until their own minimum has passed since they last heard the leader, so the preferred
   * candidates' first pre-vote after a leader froze or was cut off lacks the other host's votes
   * (next block p50 1.9 s instead of 1.2 s with the same minimum everywhere); and for the same
   * reason an election needs the leader silent for twice as long on that host, a guard against a
   * leader's pauses on a saturated box (not a complete one: one of five 60 s runs with the peers
   * running lost its leader in its first minute; one of two with one minimum everywhere).
   */
  static final int NON_PREFERRED_MIN_FACTOR = 2;
  static final int NON_PREFERRED_MAX_FACTOR = 3;
  /**
   * A preferred leader draws from the minimum to three times it (not twice): Ratis' leader steps
   * down on its own when no majority answered within its maximum election timeout and its event
   * queue was idle that long, whatever our check-quorum's window says ({@link CheckQuorum#window}).
   * Every first-minute election of the lab's saturating bench caught with logs was that step-down
   * at 1.2 s: after a 0.98 s full GC on the leader, or 1.5 s in which the box starved every
   * follower (docs/BENCHMARKS.md "Ratis' own step-down in the first minute").
   * The wider range overlaps the others' only at its top, so a preferred orderer still campaigns
   * first on a silent leader in almost every case.
   */
  static final int PREFERRED_MAX_FACTOR = 3;

  private RaftSettings() {}

  /**
   * The election timeout range {min, max}: what the orderer's own timers derive from (forwarding,
   * check-quorum), and the range Ratis draws from on a preferred leader ({@link #properties}
   * widens it on the others).
   */
  public static Duration[] electionTimeouts(OrdererConfig config, List<ChannelConfig> channels) {
    if (config.electionTimeoutMin().isPresent()) {
      return new Duration[] {config.electionTimeoutMin().get(), config.electionTimeoutMax().get()};
    }
    // Fabric's ticks count the time without a heartbeat before an election; Ratis adds a pre-vote
    // round and its heartbeat is min/2, so 0.6 x ticks x electionTick re-elects after a silent
    // leader in about one to two seconds with the default options (100 ms x 10 -> 600..1,200 ms).
    // An orderer started with no channel (waiting for osnadmin channel join) uses Fabric's defaults.
    RaftOptions fastest = channels.stream().map(ChannelConfig::raftOptions)
        .min((a, b) -> a.electionTimeoutMin().compareTo(b.electionTimeoutMin())).orElse(RaftOptions.defaults());
    long min = Math.max(150, (long) (fastest.electionTimeoutMin().toMillis() * ELECTION_SCALE));
    return new Duration[] {Duration.ofMillis(min), Duration.ofMillis(2 * min)};
  }

  /** The range Ratis draws an election timeout from: later for an orderer that is not a preferred leader. */
  static Duration[] campaignTimeouts(OrdererConfig config, List<ChannelConfig> channels, boolean preferredLeader) {
    Duration[] election = electionTimeouts(config, channels);
    if (config.electionTimeoutMin().isPresent()) {
      return election;
    }
    if (preferredLeader) {
      return new Duration[] {election[0], election[0].multipliedBy(PREFERRED_MAX_FACTOR)};
    }
    return new Duration[] {election[0].multipliedBy(NON_PREFERRED_MIN_FACTOR), election[0].multipliedBy(NON_PREFERRED_MAX_FACTOR)};
  }

  /**
   * When a follower takes its leader for cut off (LeaderWatch, OrdererChannels): its host left
   * what the follower sent unacknowledged for half a preferred leader's minimum election timeout
   * (300 ms with the default options: far above a loaded lab's round trips, far below a timeout),
   * and it sent nothing in Raft (no entries, no heartbeat) for one and a half of its heartbeat
   * intervals (Ratis sends one every half of the leader's minimum election timeout), so that a
   * heartbeat delayed by a slow network is not taken for silence. The leader's minimum is this
   * node's for a leader of the same kind (all orderers derive it alike).
   */
  public static LeaderSilence leaderSilence(OrdererConfig config, List<ChannelConfig> channels) {
    Duration preferred = campaignTimeouts(config, channels, true)[0];
    Duration other = campaignTimeouts(config, channels, false)[0];
    return new LeaderSilence(preferred.dividedBy(2), preferred.multipliedBy(3).dividedBy(4), other.multipliedBy(3).dividedBy(4));
  }

  /** Raft entries between snapshots. */
  public static long snapshotEntries(OrdererConfig config, List<ChannelConfig> channels) {
    if (config.snapshotIntervalEntries() > 0) {
      return config.snapshotIntervalEntries();
    }
    long bytes = channels.stream().mapToLong(c -> c.raftOptions().snapshotIntervalSize()).min()
        .orElse(RaftOptions.defaults().snapshotIntervalSize());
    return Math.max(64, bytes / BYTES_PER_ENTRY);
  }

  /**
   * How long after its start, beyond the election timeout, an orderer waits before its first
   * campaign when it has heard of no leader: {@link #FIRST_CAMPAIGN_STAGGER} per rank among the
   * preferred leaders, {@link #FIRST_CAMPAIGN_DELAY} for the others.
   *
   * @param preferredRank the orderer's rank among the preferred leaders (0 first), empty when it
   *     is not one of them
   */
  static Duration firstCampaignDelay(OptionalInt preferredRank) {
    return preferredRank.isEmpty() ? FIRST_CAMPAIGN_DELAY
        : FIRST_CAMPAIGN_STAGGER.multipliedBy(Math.min(preferredRank.getAsInt(), STAGGERED_RANKS));
  }

  /** @param preferredRank see {@link #firstCampaignDelay} */
  public static RaftProperties properties(OrdererConfig config, List<ChannelConfig> channels, OptionalInt preferredRank) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(config.walDir().toFile()));
    // Ratis' gRPC transport whose leader tells followers of a new commit index at once.
    RaftConfigKeys.Rpc.setType(p, new PromptCommitAppender.Rpc());
    GrpcConfigKeys.Server.setHost(p, config.clusterListenAddress());
    GrpcConfigKeys.Server.setPort(p, config.clusterListenPort());

    Duration[] election = electionTimeouts(config, channels);
    Duration[] campaign = campaignTimeouts(config, channels, preferredRank.isPresent());
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(campaign[0].toMillis(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(campaign[1].toMillis(), TimeUnit.MILLISECONDS));
    Duration firstDelay = firstCampaignDelay(preferredRank);
    if (config.electionTimeoutMin().isEmpty()) {
      // Ratis uses this range until the server first follows or leads (else the one above); the
      // first in rank starts from the minimum to twice it, a second before the second in rank.
      RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p,
          TimeDuration.valueOf(firstDelay.plus(election[0]).toMillis(), TimeUnit.MILLISECONDS));
      RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p,
          TimeDuration.valueOf(firstDelay.plus(election[1]).toMillis(), TimeUnit.MILLISECONDS));
    }
    // A follower silent for a minimum election timeout is "slow": the leader's appender then waits
    // a heartbeat interval between sends and probes it with one request at a time
    // (PromptCommitAppender). Ratis' default is 60 s; it only paces the appender and calls the
    // state machine's notifyFollowerSlowness, which ours does not implement.
    RaftServerConfigKeys.Rpc.setSlownessTimeout(p, TimeDuration.valueOf(election[0].toMillis(), TimeUnit.MILLISECONDS));
    // Pre-vote: a partitioned follower does not inflate terms. Check-quorum is built into Ratis:
    // a leader that hears from no majority within the max timeout steps down.
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
    // Metadata entries (commit index markers) would interleave with blocks; we do not need them.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    RaftServerConfigKeys.Log.setCorruptionPolicy(p, RaftServerConfigKeys.Log.CorruptionPolicy.WARN_AND_RETURN);

    // Catch-up after purge: Ratis notifies the state machine, which pulls blocks over Deliver.
    long entries = snapshotEntries(config, channels);
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, false);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, entries);
    RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, entries));
    // No snapshot on a graceful stop: a stopped leader would then hold a snapshot exactly one
    // entry before the next term's first entry, and once the new leader purges its older
    // segments Ratis 3.3.0 answers ALREADY_INSTALLED forever (its check is snapshot + 1 >=
    // firstAvailable) instead of letting us pull blocks. A killed process never snapshots anyway.
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
    // Purging removes whole closed segments; size them to a few snapshot intervals of blocks.
    long segment = Math.max(64 * 1024, Math.min(32L * 1024 * 1024, entries * BYTES_PER_ENTRY / 4));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(segment));
    // Ratis preallocates by writing zeros, and the next fsync writes those zeros to disk before the
    // entries overwrite them: with its 4 MB default every segment went to disk twice, and a term
    // change (each node rolls its segment at the new leader's first entry) made every node flush
    // 4 MB in the failover's path. A small preallocation writes each entry once.
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(PREALLOCATED_BYTES));
    // The entries of closed segments Ratis keeps on the heap (default: 6 segments, up to 200 MB):
    // two are enough for followers a little behind; older entries are read back from disk. It
    // keeps the orderer within its initial 128 MB heap (docs/BENCHMARKS.md "Memory").
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
    RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf(Math.max(16L * 1024 * 1024, 3 * segment)));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, entries));
    // Keep half an interval of entries behind the snapshot, so a follower that is only a little
    // behind catches up from the log instead of pulling blocks.
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, entries / 2);
    // How long the appender sleeps after each error (a timed-out or failed send, an INCONSISTENCY
    // reply) before its next send. Ratis' default backs off to 5 s, and our earlier 1 s step after
    // 30 errors was reached by every 5-8 s partition (each timed-out heartbeat is an error): the
    // appender then slept up to a second after the heal before its first send (docs/BENCHMARKS.md
    // "Drills"). Its sends to an unreachable follower are paced by the heartbeat interval anyway.
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, "1ms,10, 100ms,1000000");

    // Ratis allocates the log write buffer up front, zeroed, sized for the largest entry; blocks
    // larger than an entry travel as fragments (EntryFragments), so it stays small whatever
    // AbsoluteMaxBytes says (Fabric's default, 99 MB, kept ~100 MB per channel resident before).
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(ENTRY_BYTES));
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(ENTRY_BYTES + 64 * 1024));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("64MB"));
    // At most two append requests (each up to ENTRY_BYTES) outstanding per follower (Ratis: 8).
    // With eight, a slower follower's answers came after the 3 s request timeout, a timed-out
    // request no longer counted as outstanding (so more were sent), and the next heartbeat named
    // entries it had not reached: INCONSISTENCY, and the leader sent them all again, read back
    // from disk (docs/BENCHMARKS.md "Slower followers sent everything twice").
    GrpcConfigKeys.Server.setLeaderOutstandingAppendsMax(p, OUTSTANDING_APPENDS);
    return p;
  }

  /** Mutual TLS between consenters with the orderer's TLS key pair, trusting every orderer org's TLS CA. */
  public static Parameters tls(PrivateKey key, X509Certificate certificate, List<X509Certificate> trustedRoots) {
    Parameters parameters = new Parameters();
    // Key and trust managers rather than the key itself: Ratis' Netty would put the key into a
    // PKCS#12 store (10,000 PBKDF2 iterations each way) for each of its TLS contexts.
    TlsMaterial tls = new TlsMaterial(certificate, key, trustedRoots);
    GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(TlsContexts.keyManager(tls),
        TlsContexts.trustManagerFactory(trustedRoots).getTrustManagers()[0], true));
    return parameters;
  }
}
