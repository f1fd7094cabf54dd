package io.raftswarm.orderer.raft;

import java.io.IOException;
import java.lang.reflect.Field;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a Raft log's cache-eviction thread before the log is closed, around a deadlock in Ratis
 * 3.3.0 (still in its master): {@code SegmentedRaftLog.close()} takes the log's write lock and then
 * interrupts and joins that thread, which may be waiting for the same lock inside
 * {@code checkAndEvictCache()} — uninterruptibly, so the close, and with it the orderer's stop or a
 * Raft node restart, hangs for good (seen once in FollowerRestartTest). Stopped first, without the
 * lock, the thread finishes its eviction when the lock comes free and exits; the close then finds
 * it gone. Only a log that is about to close may lose it: nothing evicts its cache afterwards.
 *
 * <p>The thread is Ratis' private field {@code cacheEviction} (an {@code AwaitToRun}, whose
 * {@code close()} interrupts and joins and is idempotent); a Ratis without it is left alone.
 */
public final class LogCacheEviction {
  private static final Logger LOG = LoggerFactory.getLogger(LogCacheEviction.class);
  static final String FIELD = "cacheEviction";

  private LogCacheEviction() {}

  /** Before a group's division is removed (closing its log). Never throws. */
  public static void stopBeforeClose(RaftServer server, RaftGroupId group) {
    try {
      stopBeforeCloseOf(server.getDivision(group).getRaftLog());
    } catch (IOException | RuntimeException e) {
      LOG.debug("No Raft log of {} to stop the cache eviction of: {}", group, e.getMessage());
    }
  }

  /** Before the whole server closes (closing every division's log). Never throws. */
  public static void stopBeforeClose(RaftServer server) {
    try {
      for (RaftGroupId group : server.getGroupIds()) {
        stopBeforeClose(server, group);
      }
    } catch (RuntimeException e) {
      LOG.debug("Cannot list the Raft groups to stop their logs' cache eviction: {}", e.getMessage());
    }
  }

  /** Stops {@code log}'s cache-eviction thread (waits for it to end); whether it had one to stop. */
  public static boolean stopBeforeCloseOf(RaftLog log) {
    Field field = field(log.getClass());
    if (field == null) {
      return false;
    }
    try {
      field.setAccessible(true);
      if (field.get(log) instanceof AutoCloseable eviction) {
        eviction.close();
        return true;
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("Cannot stop the Raft log's cache eviction before closing it ({}); the close may hang", e.toString());
    }
    return false;
  }

  private static Field field(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(FIELD);
      } catch (NoSuchFieldException e) {
        // not declared here
      }
    }
    return null;
  }
}
