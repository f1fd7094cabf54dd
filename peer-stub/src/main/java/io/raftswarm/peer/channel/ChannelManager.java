package io.raftswarm.peer.channel;

import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.identity.SigningIdentity;
import io.raftswarm.common.tls.TlsMaterial;
import io.raftswarm.peer.chaincode.Chaincodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joined channels of a peer: one directory per channel under {@code <root>} (block file +
 * state checkpoint), reopened at start (the peer rejoins what it had joined), each with a
 * {@link BlockPuller}. Thread-safe.
 */
public final class ChannelManager implements Channels, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("peer");
  private final Path root;
  private final Chaincodes chaincodes;
  private final SigningIdentity signer;
  private final TlsMaterial tls;
  private final Duration stallTimeout;
  private final Duration retryDelay;
  private final int pullerStartIndex;
  private final List<ChannelLedger.CommitListener> listeners;
  private final Map<String, Joined> joined = new ConcurrentSkipListMap<>();
  private final List<java.util.function.Consumer<ChannelLedger>> joinListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private record Joined(ChannelLedger ledger, BlockPuller puller) {}

  public ChannelManager(Path root, Chaincodes chaincodes, SigningIdentity signer, TlsMaterial tls, Duration stallTimeout,
      Duration retryDelay, int pullerStartIndex, List<ChannelLedger.CommitListener> listeners) {
    this.root = root;
    this.chaincodes = chaincodes;
    this.signer = signer;
    this.tls = tls;
    this.stallTimeout = stallTimeout;
    this.retryDelay = retryDelay;
    this.pullerStartIndex = pullerStartIndex;
    this.listeners = List.copyOf(listeners);
  }

  /** Reopens every channel found under the root directory and starts pulling their blocks. */
  public synchronized void rejoinAll() throws IOException {
    Files.createDirectories(root);
    List<Path> dirs;
    try (Stream<Path> list = Files.list(root)) {
      dirs = list.filter(Files::isDirectory).sorted().toList();
    }
    for (Path dir : dirs) {
      ChannelLedger ledger = ChannelLedger.open(dir, chaincodes);
      log.info("Rejoined channel {} at height {}", ledger.channelId(), ledger.height());
      start(ledger);
    }
  }

  @Override
  public synchronized boolean join(Block genesis) {
    ChannelConfig config = ChannelConfigs.fromGenesis(genesis);
    Joined existing = joined.get(config.channelId());
    if (existing != null) {
      byte[] have = BlockHashing.headerHash(existing.ledger().block(0).getHeader());
      if (!Arrays.equals(have, BlockHashing.headerHash(genesis.getHeader()))) {
        throw new IllegalArgumentException("channel " + config.channelId() + " is already joined with a different genesis block");
      }
      return false;
    }
    try {
      ChannelLedger ledger = ChannelLedger.create(root.resolve(config.channelId()), genesis, chaincodes);
      log.info("Joined channel {} (orderers {})", config.channelId(), config.ordererEndpoints());
      start(ledger);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the ledger of channel " + config.channelId() + " under " + root, e);
    }
  }

  /** Called (on the joining thread) whenever a channel is joined or rejoined, before its puller starts. */
  public void onJoin(java.util.function.Consumer<ChannelLedger> listener) {
    joinListeners.add(listener);
  }

  private void start(ChannelLedger ledger) {
    listeners.forEach(ledger::addListener);
    BlockPuller puller = new BlockPuller(ledger, signer, tls, stallTimeout, retryDelay, pullerStartIndex);
    joined.put(ledger.channelId(), new Joined(ledger, puller));
    joinListeners.forEach(l -> l.accept(ledger));
    puller.start();
  }

  @Override
  public Optional<ChannelLedger> ledger(String channelId) {
    return Optional.ofNullable(joined.get(channelId)).map(Joined::ledger);
  }

  @Override
  public List<String> channelIds() {
    return new ArrayList<>(joined.keySet());
  }

  /** The orderer a channel currently pulls from. */
  public Optional<String> currentOrderer(String channelId) {
    return Optional.ofNullable(joined.get(channelId)).map(j -> j.puller().currentOrderer());
  }

  @Override
  public synchronized void close() {
    for (Joined j : joined.values()) {
      j.puller().close();
      try {
        j.ledger().close();
      } catch (IOException e) {
        log.warn("Closing the ledger of {} failed: {}", j.ledger().channelId(), e.toString());
      }
    }
    joined.clear();
  }
}
