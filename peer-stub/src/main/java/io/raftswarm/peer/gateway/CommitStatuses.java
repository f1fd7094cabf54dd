package io.raftswarm.peer.gateway;

import io.raftswarm.common.fabric.Envelopes;
import io.raftswarm.common.fabric.TransactionsFilter;
import io.raftswarm.peer.channel.ChannelLedger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The validation code and block of every transaction this peer committed, by channel and tx id,
 * for the gateway's CommitStatus: answered at once for a committed transaction, else when its
 * block commits.
 */
final class CommitStatuses implements ChannelLedger.CommitListener {
  record Committed(TxValidationCode code, long block) {}

  private final Map<String, Map<String, CompletableFuture<Committed>>> byChannel = new ConcurrentHashMap<>();

  /** Follows a joined channel: its blocks so far, and every commit from now on. */
  void track(ChannelLedger ledger) {
    ledger.addListener(this);
    for (long n = 0; n < ledger.height(); n++) {
      Block block = ledger.block(n);
      record(ledger.channelId(), block, TransactionsFilter.codes(block));
    }
  }

  @Override
  public void committed(String channelId, Block block, List<TxValidationCode> codes) {
    record(channelId, block, codes);
  }

  /** Completes when the transaction is committed (at once if it is); never fails by itself. */
  CompletableFuture<Committed> await(String channelId, String txId) {
    return entry(channelId, txId);
  }

  private void record(String channelId, Block block, List<TxValidationCode> codes) {
    for (int i = 0; i < block.getData().getDataCount() && i < codes.size(); i++) {
      String txId;
      try {
        txId = Envelopes.parse(Envelope.parseFrom(block.getData().getData(i))).txId();
      } catch (Exception e) {
        continue;
      }
      if (!txId.isEmpty()) {
        // The first commit of a tx id wins; a later duplicate is marked DUPLICATE_TXID and does not change it.
        entry(channelId, txId).complete(new Committed(codes.get(i), block.getHeader().getNumber()));
      }
    }
  }

  private CompletableFuture<Committed> entry(String channelId, String txId) {
    return byChannel.computeIfAbsent(channelId, c -> new ConcurrentHashMap<>())
        .computeIfAbsent(txId, t -> new CompletableFuture<>());
  }
}
