package io.raftswarm.swarm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.raftswarm.swarm.bench.BenchSettings;
import io.raftswarm.swarm.bench.OrderingBench;
import io.raftswarm.swarm.bench.OrderingBenchResult;
import io.raftswarm.swarm.client.ClientIdentity;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.network.NetworkProfile;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code raftswarm bench ...}: measurements against a running network. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure a running network (numbers, no assertions).",
    subcommands = {BenchCommand.Ordering.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "ordering", mixinStandardHelpOptions = true,
      description = {
          "Ordering throughput: pre-signs a pool of envelopes, then sends them pipelined on "
              + "several Broadcast streams to one orderer (a follower by default) and prints tx/s "
              + "acknowledged (SUCCESS = block committed by a Raft majority), p50/p99 submit→ack, "
              + "tx per block and non-SUCCESS answers by reason. Stops by itself."})
  static final class Ordering implements Callable<Integer> {
    @Mixin ClientOptions client;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--orderer"}, paramLabel = "NAME",
        description = "Orderer to send to (default: the first follower with a known leader)")
    String orderer;

    @Option(names = {"-C", "--channel"}, defaultValue = "mychannel", description = "Channel (default: ${DEFAULT-VALUE})")
    String channel;

    @Option(names = "--seconds", defaultValue = "20", description = "Measurement window in s (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warmup", defaultValue = "10", description = "Warmup before measuring in s (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--streams", defaultValue = "4", description = "Broadcast streams (default: ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--window", defaultValue = "2000",
        description = "Unanswered envelopes per stream (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--size", defaultValue = "1024",
        description = "Random payload bytes per envelope; header, certificate and signature add ~1 KB (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--pool", defaultValue = "40000",
        description = "Envelopes signed before measuring; the run stops sending when they run out (default: ${DEFAULT-VALUE})")
    int pool;

    @Option(names = "--grace", defaultValue = "30",
        description = "Seconds to wait for answers after sending stops (default: ${DEFAULT-VALUE})")
    int grace;

    @Option(names = "--reuse", description = "Hand the pool's envelopes out again when it runs out, for runs"
        + " longer than the pool lasts (needs --pool above 100000, the orderers' txId window)")
    boolean reuse;

    @Option(names = "--report-every", defaultValue = "60", paramLabel = "SECONDS",
        description = "A progress line (tx/s, failures, Raft term, leader) this often (default: ${DEFAULT-VALUE})")
    int reportEvery;

    @Option(names = "--json", description = "Print the result as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
      BenchSettings settings;
      try {
        settings = new BenchSettings(orderer, channel, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds),
            streams, window, size, pool, Duration.ofSeconds(grace), reuse, Duration.ofSeconds(reportEvery));
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
      NetworkProfile profile = client.profile();
      ClientIdentity identity = client.identity(profile);
      PrintWriter out = spec.commandLine().getOut();
      OrderingBenchResult result;
      try {
        result = new OrderingBench(profile, identity, settings, spec.commandLine().getErr()).run();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new UserError(e.getMessage(), e);
      }
      out.print(json
          ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result) + "\n"
          : result.text());
      out.flush();
      return 0;
    }
  }
}
