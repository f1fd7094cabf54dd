package io.raftswarm.peer.gateway;

import io.raftswarm.common.fabric.TransactionsFilter;
import io.raftswarm.peer.tx.EndorsedTransaction;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** The chaincode events of a committed block: those set by VALID transactions of one chaincode, in block order. */
final class ChaincodeEventReader {
  private ChaincodeEventReader() {}

  /**
   * @param afterTxId when this transaction is in the block, only events of later transactions are
   *     returned (how a client resumes after the last event it saw); empty or not in the block: all
   */
  static List<ChaincodeEvent> events(Block block, String chaincode, String afterTxId) {
    List<TxValidationCode> codes = TransactionsFilter.codes(block);
    List<ChaincodeEvent> events = new ArrayList<>();
    for (int i = 0; i < block.getData().getDataCount(); i++) {
      EndorsedTransaction tx;
      try {
        tx = EndorsedTransaction.parse(Envelope.parseFrom(block.getData().getData(i)));
      } catch (Exception e) {
        continue; // config and other non-endorser transactions carry no chaincode event
      }
      if (!afterTxId.isEmpty() && tx.txId().equals(afterTxId)) {
        events.clear();
        continue;
      }
      if (i >= codes.size() || codes.get(i) != TxValidationCode.VALID || tx.action().getEvents().isEmpty()) {
        continue;
      }
      try {
        ChaincodeEvent event = ChaincodeEvent.parseFrom(tx.action().getEvents());
        if (event.getChaincodeId().equals(chaincode)) {
          events.add(event);
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        // an endorser put bytes there that are no ChaincodeEvent: nothing a client could use
      }
    }
    return events;
  }
}
