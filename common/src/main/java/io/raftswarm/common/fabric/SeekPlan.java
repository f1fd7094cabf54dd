package io.raftswarm.common.fabric;

import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * A Deliver request's {@link SeekInfo} resolved against the ledger height at the time of the
 * request, with the semantics of Fabric's deliver service (common/deliver/deliver.go and the file
 * ledger's iterator, v2.5; HEADER_WITH_SIG as in v3.0). Orderer and peer serve Deliver with it.
 *
 * <p>Block numbers are uint64 on the wire. Java reads them into a signed {@code long}, so every
 * comparison here is unsigned: a stop of 2^64−1 (Fabric's {@code math.MaxUint64}, which
 * {@code deliver_stdout} and the SDKs send for "forever") is the largest block number, not −1.
 *
 * <p>Start: OLDEST = 0, NEWEST = height − 1, NEXT_COMMIT = height (the next block to be written),
 * SPECIFIED n with n ≤ height (n > height is NOT_FOUND: the ledger cannot know such a block will
 * ever exist). Stop: SPECIFIED m (m < start is BAD_REQUEST), NEWEST = height − 1 at request time
 * (the start block when start is NEWEST too, so a racing commit does not add a second block),
 * OLDEST = the start block (Fabric's reading: only the start block), NEXT_COMMIT = height at
 * request time. Where Fabric 2.5 has no bound at all (a NEWEST stop behind the start, a
 * NEXT_COMMIT stop) its loop would never end; we answer BAD_REQUEST for a stop behind the start
 * and treat NEXT_COMMIT as the block written next. A missing start or stop is BAD_REQUEST; a
 * start of no known type NOT_FOUND (Fabric's not-found iterator).
 *
 * @param failIfNotReady FAIL_IF_NOT_READY: a block not written yet ends the request with
 *     NOT_FOUND instead of being waited for
 * @param headersOnly HEADER_WITH_SIG: blocks go out without their data, except config blocks
 * @param bestEffort BEST_EFFORT: keep serving while consensus is in trouble (no Raft leader);
 *     STRICT (the default) answers SERVICE_UNAVAILABLE then
 */
public record SeekPlan(long start, long stop, boolean failIfNotReady, boolean headersOnly, boolean bestEffort) {

  /** A request Fabric would answer with {@link #status()} and no block. */
  public static final class Refused extends Exception {
    private final Status status;

    public Refused(Status status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }

    public Status status() {
      return status;
    }
  }

  public SeekPlan {
    if (Long.compareUnsigned(start, stop) > 0) {
      throw new IllegalArgumentException("start " + Long.toUnsignedString(start) + " is after stop " + Long.toUnsignedString(stop));
    }
  }

  /**
   * Resolves {@code seek} against a ledger of {@code height} blocks.
   *
   * @throws Refused BAD_REQUEST for a missing start or stop, an unknown stop type or a stop before
   *     the start; NOT_FOUND for a start beyond the height or of no known type
   */
  public static SeekPlan resolve(SeekInfo seek, long height) throws Refused {
    if (!seek.hasStart() || !seek.hasStop()) {
      throw new Refused(Status.BAD_REQUEST, "seek info has no " + (seek.hasStart() ? "stop" : "start") + " position");
    }
    long newest = height - 1;
    long start = switch (seek.getStart().getTypeCase()) {
      case OLDEST -> 0;
      case NEWEST -> newest;
      case NEXT_COMMIT -> height;
      case SPECIFIED -> {
        long n = seek.getStart().getSpecified().getNumber();
        if (Long.compareUnsigned(n, height) > 0) {
          throw new Refused(Status.NOT_FOUND, "start block " + Long.toUnsignedString(n) + " is beyond the ledger height "
              + height);
        }
        yield n;
      }
      case TYPE_NOT_SET -> throw new Refused(Status.NOT_FOUND, "seek start position has no type");
    };
    SeekPosition stopPosition = seek.getStop();
    long stop = switch (stopPosition.getTypeCase()) {
      case OLDEST -> start;
      case NEWEST -> seek.getStart().equals(stopPosition) ? start : newest;
      case NEXT_COMMIT -> height;
      case SPECIFIED -> stopPosition.getSpecified().getNumber();
      case TYPE_NOT_SET -> throw new Refused(Status.BAD_REQUEST, "seek stop position has no type");
    };
    if (Long.compareUnsigned(start, stop) > 0) {
      throw new Refused(Status.BAD_REQUEST, "seek start " + Long.toUnsignedString(start) + " is after stop "
          + Long.toUnsignedString(stop));
    }
    return new SeekPlan(start, stop,
        seek.getBehavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY,
        seek.getContentType() == SeekInfo.SeekContentType.HEADER_WITH_SIG,
        seek.getErrorResponse() == SeekInfo.SeekErrorResponse.BEST_EFFORT);
  }

  /** Whether block {@code number} is the last one to send (then the answer is SUCCESS). */
  public boolean isLast(long number) {
    return number == stop;
  }

  /** Whether the request ends with NOT_FOUND at block {@code number}: FAIL_IF_NOT_READY and not written yet. */
  public boolean notReady(long number, long height) {
    return failIfNotReady && Long.compareUnsigned(number, height) >= 0;
  }

  /** The block as the client asked for it: without data for HEADER_WITH_SIG unless it is a config block. */
  public Block shape(Block block) {
    if (!headersOnly || Blocks.isConfigBlock(block)) {
      return block;
    }
    // Fabric sends Block{Header, Metadata}: data absent, not an empty BlockData.
    return block.toBuilder().clearData().build();
  }
}
