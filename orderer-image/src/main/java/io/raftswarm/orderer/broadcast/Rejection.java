package io.raftswarm.orderer.broadcast;

import org.hyperledger.fabric.protos.common.Status;

/** An envelope refused with a Fabric status and a reason for the client. */
public final class Rejection extends Exception {
  private final Status status;

  public Rejection(Status status, String info) {
    super(info, null, false, false);
    this.status = status;
  }

  public Status status() {
    return status;
  }
}
