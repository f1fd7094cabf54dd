package io.raftswarm.swarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the resident CLI runs for a caller: the caller's directory and environment, the same text as a cold JVM. */
class ResidentCommandTest {
  @TempDir Path callerDir;

  private record Run(int exit, String out, String err) {}

  private Run served(List<String> args, Map<String, String> env) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ResidentCommand.runFor(args, callerDir, env, false, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run direct(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = RaftswarmCommand.commandLineFor(args);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void relative_paths_and_raftswarm_network_mean_the_callers_directory() {
    assertThat(served(List.of("status", "--network", "rel"), Map.of()).err())
        .contains("no network profile at " + callerDir.resolve("rel/network.json"));
    assertThat(served(List.of("query", "--network", "rel", "--peerAddress", "p", "-C", "c", "-n", "n", "-c", "{}"), Map.of()).err())
        .contains("no network profile at " + callerDir.resolve("rel/network.json"));
    assertThat(served(List.of("status"), Map.of("RAFTSWARM_NETWORK", "from-env")).err())
        .contains("no network profile at " + callerDir.resolve("from-env/network.json"));
    assertThat(served(List.of("status"), Map.of()).err())
        .contains("no network profile at " + callerDir.resolve("raftswarm-net/network.json"));
    assertThat(served(List.of("status"), Map.of()).exit()).isEqualTo(2);
  }

  @Test
  void usage_errors_and_help_read_as_from_a_jvm_of_its_own() {
    String[][] cases = {
        {"query", "-C", "mychannel"},
        {"invoke", "--no-such-option"},
        {"status", "--help"},
        {"query", "--help"},
    };
    for (String[] args : cases) {
      assertThat(served(List.of(args), Map.of())).as(String.join(" ", args)).isEqualTo(direct(args));
    }
  }

  @Test
  void warms_up_read_only_an_invoke_becomes_a_simulation_of_its_proposal_on_its_first_peer() {
    Invocation caller = new Invocation(callerDir, Map.of("RAFTSWARM_NETWORK", "net"));
    List<String> invoke = List.of("invoke", "-o", "orderer7.example.com:7050", "-C", "mychannel", "-n", "mycc",
        "-c", "{\"Args\":[\"invoke\",\"a\",\"b\",\"1\"]}", "--peerAddresses", "peer0.org1.example.com",
        "--peerAddresses", "peer0.org2.example.com", "--waitForEvent");
    assertThat(ResidentCommand.Serve.readOnly(invoke, caller)).containsExactly("query",
        "--network", callerDir.resolve("net").toString(), "--user", "User1@org1",
        "--peerAddress", "peer0.org1.example.com", "-C", "mychannel", "-n", "mycc",
        "-c", "{\"Args\":[\"invoke\",\"a\",\"b\",\"1\"]}");
    List<String> query = List.of("query", "--peerAddress", "p", "-C", "c", "-n", "n", "-c", "{}");
    assertThat(ResidentCommand.Serve.readOnly(query, caller)).isEqualTo(query);
    assertThat(ResidentCommand.Serve.readOnly(List.of("provision", "-i", "x"), caller)).isEmpty();
  }
}
