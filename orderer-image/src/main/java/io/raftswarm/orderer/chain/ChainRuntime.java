package io.raftswarm.orderer.chain;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The clock and threads the channels of one orderer share. {@code Orderer} makes the real ones
 * (and shuts them down) in one place; chain classes take them from here instead of reading the
 * system clock or starting threads of their own, so tests can pass their own.
 *
 * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
 * @param notifier runs the metrics and logs of each new block, off the Raft apply thread
 * @param catchUp runs the block pulls of followers that fell behind
 * @param scheduler batch timeouts and periodic checks
 * @param eventLoops a new single-threaded executor per channel (named by the channel id), for its
 *     leader changes in order; the chain shuts it down when it closes
 */
public record ChainRuntime(LongSupplier nanoClock, ExecutorService notifier, ExecutorService catchUp,
    ScheduledExecutorService scheduler, Function<String, ExecutorService> eventLoops) {}
