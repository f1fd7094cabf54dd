package io.raftswarm.peer.channel;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.fabric.BlockHashing;
import io.raftswarm.common.fabric.Blocks;
import io.raftswarm.common.fabric.ChannelConfig;
import io.raftswarm.common.fabric.ChannelConfigs;
import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.TransactionsFilter;
import io.raftswarm.common.identity.OrgMsp;
import io.raftswarm.peer.chaincode.Chaincodes;
import io.raftswarm.peer.ledger.BlockFile;
import io.raftswarm.peer.ledger.StateSnapshots;
import io.raftswarm.peer.ledger.UpdateBatch;
import io.raftswarm.peer.ledger.Version;
import io.raftswarm.peer.ledger.WorldState;
import io.raftswarm.peer.tx.EndorsedTransaction;
import io.raftswarm.peer.validation.BlockVerifier;
import io.raftswarm.peer.validation.TxValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One joined channel on this peer: its block file (the truth) and the world state derived
 * from it. {@link #commit} verifies, validates and commits one block in Fabric's order: block
 * file append + fsync first, then the state. A crash between the two is repaired at the next
 * {@link #open}: the state is rebuilt from its last checkpoint by replaying later blocks.
 *
 * <p>Threading: {@link #commit} is called by one thread (the channel's block puller);
 * reads ({@link #height}, {@link #block}, {@link #state}) may come from any thread. A block
 * counts in {@link #height} (and wakes {@link #awaitBlock}) only once its state updates and
 * hash are applied, so whoever sees height N+1 (a commit event, a status, an endorsement after
 * checking heights) also sees block N's writes.
 */
public final class ChannelLedger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("committer");
  /** Invalid transactions of one block logged one by one; the rest are counted (see {@link #logInvalid}). */
  static final int INVALID_LOGGED_PER_BLOCK = 3;
  private static final String BLOCKS = "blocks.bin";
  private static final String STATE = "state.snapshot";
  private static final int SNAPSHOT_EVERY_BLOCKS = 10;

  /** Called after each commit, on the committing thread; must not block. */
  public interface CommitListener {
    void committed(String channelId, Block block, List<TxValidationCode> codes);
  }

  private final Path dir;
  /** The config in force: the genesis block's, then each committed config block's. */
  private volatile ChannelConfig config;
  private final BlockFile blocks;
  private final WorldState state;
  private final Chaincodes chaincodes;
  private volatile BlockVerifier verifier;
  private volatile TxValidator validator;
  private final Set<String> txIds = ConcurrentHashMap.newKeySet();
  private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
  private final Object heightMonitor = new Object();
  private volatile byte[] lastHeaderHash;
  /** Blocks whose state is applied; published last by {@link #commit}. */
  private volatile long committedHeight;

  private ChannelLedger(Path dir, ChannelConfig config, BlockFile blocks, WorldState state, Chaincodes chaincodes) {
    this.dir = dir;
    this.config = config;
    this.blocks = blocks;
    this.state = state;
    this.chaincodes = chaincodes;
    this.verifier = new BlockVerifier(config);
    this.validator = new TxValidator(config, chaincodes);
  }

  /** Creates the channel's directory with the genesis block as block 0 (the cscc JoinChain step). */
  public static ChannelLedger create(Path dir, Block genesis, Chaincodes chaincodes) throws IOException {
    if (genesis.getHeader().getNumber() != 0) {
      throw new IllegalArgumentException("a channel is joined with its genesis block (number 0), not block "
          + genesis.getHeader().getNumber());
    }
    ChannelConfigs.fromGenesis(genesis); // throws when it is no channel config block
    Files.createDirectories(dir);
    try (BlockFile file = BlockFile.open(dir.resolve(BLOCKS))) {
      if (file.height() == 0) {
        file.append(genesis);
      }
    }
    return open(dir, chaincodes);
  }

  /** Opens a joined channel: reads the block file, then brings the state up to the ledger's height. */
  public static ChannelLedger open(Path dir, Chaincodes chaincodes) throws IOException {
    BlockFile file = BlockFile.open(dir.resolve(BLOCKS));
    if (file.height() == 0) {
      file.close();
      throw new IOException("block file in " + dir + " holds no genesis block; remove the directory and join the channel again");
    }
    // The config in force is in the block that the last block names as its last config.
    Block last = file.read(file.height() - 1);
    long lastConfig = file.height() == 1 ? 0 : Blocks.lastConfig(last).orElse(0);
    ChannelConfig config = ChannelConfigs.fromGenesis(file.read(lastConfig));
    WorldState state = StateSnapshots.read(dir.resolve(STATE))
        .filter(s -> s.height() <= file.height())
        .orElseGet(WorldState::new);
    ChannelLedger ledger = new ChannelLedger(dir, config, file, state, chaincodes);
    ledger.recover();
    return ledger;
  }

  private void recover() {
    long height = blocks.height();
    long fromState = state.height();
    for (long n = 0; n < height; n++) {
      Block block = blocks.read(n);
      List<TxValidationCode> codes = TransactionsFilter.codes(block);
      UpdateBatch replay = n >= fromState ? new UpdateBatch() : null;
      for (int i = 0; i < block.getData().getDataCount(); i++) {
        try {
          Envelope env = Envelope.parseFrom(block.getData().getData(i));
          String txId = Envelopes.parse(env).txId();
          if (!txId.isEmpty()) {
            txIds.add(txId);
          }
          if (replay != null && n > 0 && codes.get(i) == TxValidationCode.VALID) {
            applyWrites(EndorsedTransaction.parse(env), replay, new Version(n, i));
          }
        } catch (InvalidProtocolBufferException e) {
          // invalid transactions were marked so at commit; nothing to replay
        }
      }
      if (replay != null) {
        state.apply(n, replay);
      }
      lastHeaderHash = BlockHashing.headerHash(block.getHeader());
    }
    committedHeight = height;
    if (fromState < height) {
      log.info("Rebuilt world state of channel {} from the ledger: blocks [{}..{}] replayed", config.channelId(), fromState, height - 1);
    }
  }

  private static void applyWrites(EndorsedTransaction tx, UpdateBatch batch, Version version) {
    for (var ns : tx.rwSet().writes().entrySet()) {
      for (var w : ns.getValue().entrySet()) {
        if (w.getValue().isPresent()) {
          batch.put(ns.getKey(), w.getKey(), w.getValue().get(), version);
        } else {
          batch.delete(ns.getKey(), w.getKey());
        }
      }
    }
  }

  /**
   * Verifies, validates and commits the next block. Returns the codes assigned; a block that is
   * already committed is ignored (empty list).
   *
   * @throws BlockVerifier.InvalidBlockException when the block is not the valid next block
   * @throws UncheckedIOException when the block file cannot be written (the peer should stop)
   */
  public synchronized List<TxValidationCode> commit(Block block) {
    long height = blocks.height();
    if (block.getHeader().getNumber() < height) {
      return List.of();
    }
    verifier.verify(block, height, lastHeaderHash);
    TxValidator.Result result = validator.validate(block, state, txIds::contains);
    Block annotated = TransactionsFilter.withCodes(block, result.codes());
    try {
      blocks.append(annotated);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append block " + height + " to " + dir, e);
    }
    result.txIds().stream().filter(id -> !id.isEmpty()).forEach(txIds::add);
    state.apply(height, result.updates());
    if (Blocks.isConfigBlock(block) && result.codes().get(0) == TxValidationCode.VALID) {
      applyConfig(block, height);
    }
    lastHeaderHash = BlockHashing.headerHash(block.getHeader());
    synchronized (heightMonitor) {
      committedHeight = height + 1;
      heightMonitor.notifyAll();
    }
    if ((height + 1) % SNAPSHOT_EVERY_BLOCKS == 0) {
      checkpoint();
    }
    long valid = result.codes().stream().filter(c -> c == TxValidationCode.VALID).count();
    log.info("Committed block [{}] with {} transaction(s) ({} valid) channel={}",
        height, result.codes().size(), valid, config.channelId());
    logInvalid(height, result);
    for (CommitListener listener : listeners) {
      listener.committed(config.channelId(), annotated, result.codes());
    }
    return result.codes();
  }

  /**
   * A config block the orderers signed: its MSPs and anchor peers are in force from the next
   * block on (a new org's members can transact, a removed org's cannot).
   */
  private void applyConfig(Block block, long number) {
    ChannelConfig next;
    try {
      next = ChannelConfigs.fromGenesis(block);
    } catch (IllegalArgumentException e) {
      log.error("Config block [{}] of channel {} cannot be read, keeping the previous config: {}", number,
          config.channelId(), e.getMessage());
      return;
    }
    verifier = new BlockVerifier(next);
    validator = new TxValidator(next, chaincodes);
    config = next;
    log.info("Applied config block [{}] of channel {}: application orgs {}", number, next.channelId(),
        next.applicationOrgs().stream().map(OrgMsp::mspId).toList());
  }

  /**
   * One WARN line per invalid transaction, up to {@value #INVALID_LOGGED_PER_BLOCK} per block, then one
   * line counting the rest by code: a block of 500 rejected transactions (a load test, a client
   * with the wrong identity) would otherwise write 500 log lines, at thousands per second.
   */
  private void logInvalid(long height, TxValidator.Result result) {
    Map<TxValidationCode, Integer> unlogged = new EnumMap<>(TxValidationCode.class);
    int logged = 0;
    for (int i = 0; i < result.codes().size(); i++) {
      TxValidationCode code = result.codes().get(i);
      if (code == TxValidationCode.VALID) {
        continue;
      }
      if (logged < INVALID_LOGGED_PER_BLOCK) {
        log.warn("Transaction {} in block [{}] is invalid: {} channel={}", result.txIds().get(i), height, code,
            config.channelId());
        logged++;
      } else {
        unlogged.merge(code, 1, Integer::sum);
      }
    }
    if (!unlogged.isEmpty()) {
      log.warn("{} more invalid transaction(s) in block [{}]: {} channel={}",
          unlogged.values().stream().mapToInt(Integer::intValue).sum(), height, unlogged, config.channelId());
    }
  }

  /** Writes a state checkpoint now (also done every few blocks and at close). */
  public void checkpoint() {
    try {
      StateSnapshots.write(dir.resolve(STATE), state);
    } catch (IOException e) {
      log.warn("Cannot write state checkpoint in {} ({}); the state will be rebuilt from the ledger at restart", dir, e.toString());
    }
  }

  /**
   * Waits until the ledger holds block {@code number} or the timeout passes.
   *
   * @return true when the block is there
   */
  public boolean awaitBlock(long number, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (heightMonitor) {
      while (committedHeight <= number) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        heightMonitor.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  public void addListener(CommitListener listener) {
    listeners.add(listener);
  }

  public String channelId() {
    return config.channelId();
  }

  public ChannelConfig config() {
    return config;
  }

  /** The number of committed blocks (state applied). */
  public long height() {
    return committedHeight;
  }

  /** A committed block, with its transactions filter set. */
  public Block block(long number) {
    return blocks.read(number);
  }

  public byte[] lastBlockHash() {
    return lastHeaderHash.clone();
  }

  public WorldState state() {
    return state;
  }

  @Override
  public synchronized void close() throws IOException {
    checkpoint();
    synchronized (heightMonitor) {
      heightMonitor.notifyAll();
    }
    blocks.close();
  }
}
