package io.raftswarm.swarm.client;

/** Makes the next transaction to send. Called from the load's single sending thread. */
public interface TxSource {
  SignedTx next(String channel);
}
