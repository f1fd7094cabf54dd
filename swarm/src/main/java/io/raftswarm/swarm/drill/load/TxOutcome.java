package io.raftswarm.swarm.drill.load;

/** What the client saw for one transaction it sent. */
public enum TxOutcome {
  /** Broadcast SUCCESS: the tx's block was committed by a Raft majority. */
  SUCCESS,
  /** A non-SUCCESS Broadcast status (SERVICE_UNAVAILABLE, BAD_REQUEST, ...). */
  REJECTED,
  /** The stream failed (connection refused, reset, deadline) before an answer. */
  ERROR,
  /** Still unanswered when the load stopped waiting. */
  NO_ANSWER;

  /** Everything but SUCCESS is a client-visible failure. */
  public boolean failed() {
    return this != SUCCESS;
  }
}
