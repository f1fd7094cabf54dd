package io.raftswarm.peer.channel;

import io.grpc.ManagedChannel;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.tls.GrpcChannels;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.peer.validation.BlockVerifier;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls a channel's blocks from its orderers (the endpoints in the channel config) with
 * Deliver over mutual TLS and commits them to the {@link ChannelLedger}. Fails over to the next
 * orderer when the current one ends the stream, errors, delivers an invalid block, or stalls
 * (no block for {@code stallTimeout} while another orderer already has the next block).
 *
 * <p>Threading: one daemon thread per channel; {@link #close} stops it and closes connections.
 */
public final class BlockPuller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("deliveryClient");
  private final ChannelLedger ledger;
  private final SigningIdentity signer;
  private final TlsMaterial tls;
  private final List<String> endpoints;
  private final Duration stallTimeout;
  private final Duration retryDelay;
  private final Map<String, ManagedChannel> connections = new LinkedHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile String current = "";

  public BlockPuller(ChannelLedger ledger, SigningIdentity signer, TlsMaterial peerTls, Duration stallTimeout,
      Duration retryDelay, int startIndex) {
    this.ledger = ledger;
    this.signer = signer;
    this.endpoints = List.copyOf(ledger.config().ordererEndpoints());
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("channel " + ledger.channelId() + " lists no orderer endpoints in its config");
    }
    List<X509Certificate> roots = new ArrayList<>(peerTls.trustedRoots());
    ledger.config().ordererOrgs().stream().map(OrgMsp::tlsRootCerts).forEach(roots::addAll);
    this.tls = peerTls.withTrustedRoots(roots);
    this.stallTimeout = stallTimeout;
    this.retryDelay = retryDelay;
    this.thread = new Thread(() -> runLogged(Math.floorMod(startIndex, endpoints.size())), "puller-" + ledger.channelId());
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** The orderer endpoint currently pulled from ("" when none). */
  public String currentOrderer() {
    return current;
  }

  private void runLogged(int index) {
    try {
      run(index);
    } catch (Throwable t) {
      // an Error here means this peer stops following the channel: say so loudly
      log.error("Block puller of channel {} stopped; this peer no longer commits blocks of the channel until restarted",
          ledger.channelId(), t);
      throw t;
    }
  }

  private void run(int index) {
    int failuresInRow = 0;
    while (running) {
      String endpoint = endpoints.get(index);
      current = endpoint;
      Optional<Integer> next;
      try {
        next = pull(endpoint);
        failuresInRow = next.isPresent() ? 0 : failuresInRow + 1;
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("Pulling blocks of channel {} from {} failed: {}", ledger.channelId(), endpoint, e.toString());
        next = Optional.empty();
        failuresInRow++;
      }
      index = next.orElse((index + 1) % endpoints.size());
      if (failuresInRow >= endpoints.size()) {
        failuresInRow = 0;
        sleep(retryDelay.multipliedBy(5));
      } else {
        sleep(retryDelay);
      }
    }
  }

  /**
   * Pulls from one orderer until something goes wrong.
   *
   * @return the index of an orderer known to be ahead (switch there), or empty to try the next one
   */
  private Optional<Integer> pull(String endpoint) throws InterruptedException {
    long start = ledger.height();
    log.info("Pulling blocks of channel {} from orderer {} starting at block [{}]", ledger.channelId(), endpoint, start);
    try (OrdererDeliverStream stream = OrdererDeliverStream.from(connection(endpoint), ledger.channelId(), start, signer)) {
      while (running) {
        Optional<OrdererDeliverStream.Event> event = stream.poll(stallTimeout);
        if (event.isEmpty()) {
          Optional<Integer> ahead = ordererAhead(endpoint);
          if (ahead.isPresent()) {
            log.warn("Orderer {} delivered nothing for {} ms while {} has block [{}]; switching orderer channel={}",
                endpoint, stallTimeout.toMillis(), endpoints.get(ahead.get()), ledger.height(), ledger.channelId());
            return ahead;
          }
          continue;
        }
        OrdererDeliverStream.Event e = event.get();
        if (e.end()) {
          if (running) {
            log.warn("Orderer {} ended the block stream ({}); switching orderer channel={}", endpoint,
                e.error() == null ? "completed" : e.error().getMessage(), ledger.channelId());
          }
          return Optional.empty();
        }
        if (e.response().hasBlock()) {
          try {
            ledger.commit(e.response().getBlock());
          } catch (BlockVerifier.InvalidBlockException invalid) {
            log.error("Orderer {} delivered an invalid block: {}; switching orderer", endpoint, invalid.getMessage());
            return Optional.empty();
          }
        } else if (e.response().getStatus() != Status.SUCCESS) {
          log.warn("Orderer {} answered {} to the block request; switching orderer channel={}", endpoint,
              e.response().getStatus(), ledger.channelId());
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** The index of another orderer that already has our next block, if any answers quickly. */
  private Optional<Integer> ordererAhead(String stalled) throws InterruptedException {
    long wanted = ledger.height();
    for (int i = 0; i < endpoints.size(); i++) {
      String other = endpoints.get(i);
      if (other.equals(stalled)) {
        continue;
      }
      try {
        Optional<Long> newest = OrdererDeliverStream.newestBlock(connection(other), ledger.channelId(), signer, Duration.ofSeconds(2));
        if (newest.isPresent() && newest.get() >= wanted) {
          return Optional.of(i);
        }
      } catch (RuntimeException e) {
        // that one is not reachable either
      }
    }
    return Optional.empty();
  }

  private synchronized ManagedChannel connection(String endpoint) {
    return connections.computeIfAbsent(endpoint, e -> GrpcChannels.open(e, tls));
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      connections.values().forEach(ManagedChannel::shutdownNow);
      for (ManagedChannel c : connections.values()) {
        try {
          c.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      connections.clear();
    }
  }
}
