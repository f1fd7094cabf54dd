package io.raftswarm.swarm.bench;

import io.raftswarm.common.crypto.Pem;
import io.raftswarm.common.status.OrdererChannelStatus;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.swarm.client.BroadcastConnector;
import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.client.GrpcBroadcastConnector;
import io.raftswarm.swarm.client.StatusSample;
import io.raftswarm.swarm.client.StatusSampler;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Ordering throughput against a provisioned network: pre-signs a pool of envelopes, sends
 * them pipelined to one orderer (a follower unless told otherwise), and measures acknowledged
 * tx/s, submit→ack latency and block fill over a window after a warmup. Traffic goes only to
 * the network's orderers (Broadcast and {@code /status}). Progress goes to {@code progress}.
 */
public final class OrderingBench {
  private static final Duration POLL = Duration.ofMillis(100);

  private final NetworkProfile profile;
  private final ClientIdentity identity;
  private final BenchSettings settings;
  private final PrintWriter progress;

  public OrderingBench(NetworkProfile profile, ClientIdentity identity, BenchSettings settings,
      PrintWriter progress) {
    this.profile = profile;
    this.identity = identity;
    this.settings = settings;
    this.progress = progress;
  }

  public OrderingBenchResult run() throws InterruptedException {
    if (!profile.channels().contains(settings.channel())) {
      throw new IllegalArgumentException("no channel " + settings.channel() + " in network "
          + profile.name() + " (channels: " + profile.channels() + ")");
    }
    Map<String, String> ops = new LinkedHashMap<>();
    profile.orderers().forEach(o -> ops.put(o.name(), o.operationsEndpoint()));
    try (StatusSampler status = new StatusSampler(ops, POLL, Duration.ofSeconds(5),
            Duration.ofMinutes(30), Clock.systemUTC());
        BroadcastConnector connector = new GrpcBroadcastConnector(
            name -> profile.node(name).orElseThrow().externalEndpoint(), ordererTls())) {
      Map<String, StatusSample> first = status.pollOnce();
      TargetPicker.Target target = TargetPicker.pick(profile, first, settings.channel(), settings.orderer());
      say("target %s (%s; leader %s)", target.orderer(), target.role(), target.leader());

      long t = System.nanoTime();
      EnvelopePool pool = EnvelopePool.sign(identity.signer(), settings.channel(),
          settings.payloadBytes(), settings.poolSize(), settings.reusePool());
      say("signed %d envelopes of %d bytes as %s in %.1f s", pool.size(), pool.envelopeBytes(),
          identity.name(), (System.nanoTime() - t) / 1e9);

      long start = System.nanoTime();
      long windowStart = start + settings.warmup().toNanos();
      long windowEnd = windowStart + settings.measure().toNanos();
      AckStats stats = new AckStats(windowStart, windowEnd);
      PipelinedSender sender = new PipelinedSender(connector, target.orderer(), settings.streams(),
          settings.window(), pool, stats, System::nanoTime);
      sender.start();
      say("warming up for %d s", settings.warmup().toSeconds());
      Progress progressLines = new Progress(status, target.orderer(), stats, start);
      progressLines.until(windowStart);
      Optional<OrdererChannelStatus> before = channelStatus(status, target.orderer());
      say("measuring for %d s", settings.measure().toSeconds());
      progressLines.until(windowEnd);
      Optional<OrdererChannelStatus> after = channelStatus(status, target.orderer());
      sender.stopSending();
      long drainUntil = System.nanoTime() + settings.answerGrace().toNanos();
      while (sender.inFlight() > 0 && System.nanoTime() < drainUntil) {
        Thread.sleep(POLL.toMillis());
      }
      long unanswered = sender.inFlight();
      sender.abandon("no answer within " + settings.answerGrace().toSeconds() + " s after sending stopped");

      AckStats.Snapshot s = stats.snapshot();
      long blocks = before.isPresent() && after.isPresent() ? after.get().height() - before.get().height() : -1;
      long exhausted = sender.poolExhaustedAtNanos();
      return new OrderingBenchResult(target.orderer(), target.role(), target.leader(), settings.channel(),
          settings.streams(), settings.window(), pool.envelopeBytes(), pool.size(), pool.taken(), s,
          blocks, blocks > 0 ? (double) s.acks() / blocks : 0,
          before.map(OrdererChannelStatus::term).orElse(-1L), after.map(OrdererChannelStatus::term).orElse(-1L),
          exhausted >= 0 && exhausted < windowEnd, unanswered);
    }
  }

  /**
   * A line every {@code reportEvery} while the load runs: answers per second, answers that were
   * not SUCCESS, and the Raft term and leader at the interval's end (a term change is an election).
   */
  private final class Progress {
    private final StatusSampler status;
    private final String orderer;
    private final AckStats stats;
    private final long start;
    private long nextReport;
    private long lastReport;
    private long lastTerm = -1;

    Progress(StatusSampler status, String orderer, AckStats stats, long start) {
      this.status = status;
      this.orderer = orderer;
      this.stats = stats;
      this.start = start;
      this.lastReport = start;
      this.nextReport = start + settings.reportEvery().toNanos();
      this.lastTerm = channelStatus(status, orderer).map(OrdererChannelStatus::term).orElse(-1L);
    }

    void until(long nanos) throws InterruptedException {
      while (nextReport <= nanos) {
        sleepUntil(nextReport);
        report();
        nextReport += settings.reportEvery().toNanos();
      }
      sleepUntil(nanos);
    }

    private void report() {
      long now = System.nanoTime();
      long[] counts = stats.takeInterval();
      Optional<OrdererChannelStatus> s = channelStatus(status, orderer);
      long term = s.map(OrdererChannelStatus::term).orElse(-1L);
      say("+%3d s: %,.0f tx/s acked, %d not SUCCESS, term %d%s, leader %s", (now - start) / 1_000_000_000L,
          counts[0] / ((now - lastReport) / 1e9), counts[1], term,
          lastTerm >= 0 && term > lastTerm ? " (" + (term - lastTerm) + " election(s) in the interval)" : "",
          s.map(c -> String.valueOf(c.leaderId())).orElse("?"));
      lastTerm = term;
      lastReport = now;
    }
  }

  private Optional<OrdererChannelStatus> channelStatus(StatusSampler status, String orderer) {
    StatusSample sample = status.pollOnce().get(orderer);
    return sample == null || sample.status() == null
        ? Optional.empty() : sample.status().channel(settings.channel());
  }

  private TlsMaterial ordererTls() {
    List<X509Certificate> roots = new ArrayList<>(identity.tls().trustedRoots());
    new LinkedHashSet<>(profile.orderers().stream().map(NetworkProfile.NodeEntry::tlsCaCert).toList())
        .forEach(ca -> roots.addAll(Pem.readCertificates(Path.of(ca))));
    return identity.tls().withTrustedRoots(roots);
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private void say(String format, Object... args) {
    progress.println("bench: " + String.format(java.util.Locale.ROOT, format, args));
    progress.flush();
  }
}
