package io.raftswarm.swarm.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.cli.RaftswarmCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code raftswarm render} through the real command line, with captured output. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RenderCommandTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = RaftswarmCommand.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void help_explains_the_options_and_the_layout() {
    Run r = run("render", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("--inventory=FILE", "--out=DIR", "--regenerate-crypto",
        "network.json", "channel-artifacts", "inventory/README.md");
  }

  @Test
  void renders_the_two_hosts_inventory_and_prints_a_summary(@TempDir Path dir) {
    Path out = dir.resolve("net");
    Run r = run("render", "--inventory", ROOT.resolve("inventory/two-hosts.yml").toString(),
        "--out", out.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("Rendered network first-network")
        .containsPattern("host1\\s+10\\.20\\.0\\.11\\s+orderer7\\.example\\.com\\s+orderer\\s+7"
            + "\\s+10050\\s+8446\\s+10053\\s+orderer7\\.example\\.com:10050, raft 10052")
        .containsPattern("host2\\s+10\\.20\\.0\\.12\\s+peer1\\.org2\\.example\\.com\\s+peer\\s+-"
            + "\\s+10051->7051")
        .contains("Channels: mychannel (7 consenters");
    assertThat(out.resolve("network.json")).isRegularFile();
    assertThat(out.resolve("hosts/host2/host2.yaml")).isRegularFile();
  }

  @Test
  void missing_required_options_are_usage_errors(@TempDir Path dir) {
    Run r = run("render", "--out", dir.resolve("x").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--inventory=FILE'");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void broken_inventories_fail_with_file_line_field_and_write_nothing(@TempDir Path dir)
      throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(getClass()
        .getResource("/inventories/broken").toURI()))) {
      files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    int checked = 0;
    for (Path file : files) {
      String header = Files.readAllLines(file).get(0);
      if (header.contains("render-warns-only")) {
        continue; // render does not need the SSH key; provision checks it
      }
      String field = header.substring("# expect: ".length()).split(" \\| ")[0].trim();
      Path out = dir.resolve("out-" + file.getFileName());
      Run r = run("render", "--inventory", file.toString(), "--out", out.toString());
      assertThat(r.exitCode()).as("%s: %s", file.getFileName(), r.err()).isEqualTo(2);
      assertThat(r.err()).as(file.getFileName().toString())
          .startsWith("error: " + file + ":")
          .contains(": " + field + ": ");
      assertThat(out).as("nothing written for %s", file.getFileName()).doesNotExist();
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(15);
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s).as("no staging directories left behind").isEmpty();
    }
  }
}
