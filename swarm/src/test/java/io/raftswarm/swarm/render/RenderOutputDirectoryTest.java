package io.raftswarm.swarm.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.render.RenderCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftswarm render --out DIR} replaces DIR as a whole, so it must only ever replace what
 * raftswarm wrote. Through the real command line, on the smallest inventory (fast crypto).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RenderOutputDirectoryTest {
  static final String CERT = "crypto-config/ordererOrganizations/example.com/orderers"
      + "/orderer.example.com/tls/server.crt";

  @TempDir Path dir;

  static Path minimal() throws Exception {
    return Path.of(RenderOutputDirectoryTest.class.getResource("/inventories/valid/minimal.yml")
        .toURI());
  }

  static Run render(Path out) throws Exception {
    return RenderCommandTest.run("render", "-i", minimal().toString(), "-o", out.toString());
  }

  private Stream<String> listing(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @Test
  void when_out_holds_a_network_json_of_its_own_then_nothing_is_deleted() throws Exception {
    // the issue: echo '{}' > out/network.json; echo precious > out/thesis.tex; render -o out
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("network.json"), "{}\n");
    Files.writeString(out.resolve("thesis.tex"), "precious\n");

    Run r = render(out);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: --out " + out + " is not empty (network.json,"
        + " thesis.tex) and was not written by raftswarm render (it has no .raftswarm-render"
        + " file)").contains("Choose a new or empty directory");
    assertThat(out.resolve("thesis.tex")).hasContent("precious");
    assertThat(out.resolve("network.json")).hasContent("{}");
    assertThat(listing(out)).containsExactly("network.json", "thesis.tex");
    assertThat(listing(dir)).as("no staging left").containsExactly("out");
  }

  @Test
  void when_out_is_an_earlier_render_then_it_is_replaced_and_its_crypto_reused() throws Exception {
    Path out = dir.resolve("net");
    assertThat(render(out).exitCode()).isZero();
    assertThat(Files.readAllLines(out.resolve(".raftswarm-render")).get(0))
        .isEqualTo("raftswarm-render 1");
    byte[] cert = Files.readAllBytes(out.resolve(CERT));

    Run again = render(out);

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(out.resolve(CERT)).hasBinaryContent(cert);
    assertThat(listing(out)).containsExactly(".raftswarm-render", "channel-artifacts",
        "crypto-config", "hosts", "network.json");
  }

  @Test
  void when_a_render_holds_a_file_render_did_not_write_then_it_is_refused() throws Exception {
    Path out = dir.resolve("net");
    assertThat(render(out).exitCode()).isZero();
    Files.writeString(out.resolve("thesis.tex"), "precious\n");

    Run r = render(out);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--out " + out + " holds files raftswarm did not write"
        + " (thesis.tex); render replaces the directory and would delete them");
    assertThat(out.resolve("thesis.tex")).hasContent("precious");
    assertThat(out.resolve("network.json")).isRegularFile();
  }

  @Test
  void drill_reports_and_the_provision_report_survive_a_re_render() throws Exception {
    Path out = dir.resolve("net");
    assertThat(render(out).exitCode()).isZero();
    Files.writeString(Files.createDirectories(out.resolve("drills")).resolve("kill-leader.html"),
        "<html>report</html>");
    Files.writeString(out.resolve("provision-report.json"), "{\"network\":\"first-network\"}");

    Run r = render(out);

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(out.resolve("drills/kill-leader.html")).hasContent("<html>report</html>");
    assertThat(out.resolve("provision-report.json")).hasContent("{\"network\":\"first-network\"}");
    assertThat(listing(dir)).containsExactly("net");
  }

  @Test
  void a_render_from_before_the_marker_is_reused_once_marked_as_the_error_says()
      throws Exception {
    Path out = dir.resolve("net");
    assertThat(render(out).exitCode()).isZero();
    byte[] cert = Files.readAllBytes(out.resolve(CERT));
    Files.delete(out.resolve(".raftswarm-render")); // what an older raftswarm left

    Run refused = render(out);
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("echo 'raftswarm-render 1' > " + out
        + "/.raftswarm-render");
    assertThat(out.resolve(CERT)).hasBinaryContent(cert);

    Files.writeString(out.resolve(".raftswarm-render"), "raftswarm-render 1\n");
    Run r = render(out);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(out.resolve(CERT)).as("crypto material kept").hasBinaryContent(cert);
  }

  @Test
  void a_marker_of_another_format_is_not_taken_for_ours() throws Exception {
    Path out = dir.resolve("net");
    assertThat(render(out).exitCode()).isZero();
    Files.writeString(out.resolve(".raftswarm-render"), "raftswarm-render 7\n");
    Run r = render(out);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("written by a raftswarm with render format 7");
    assertThat(out.resolve("network.json")).isRegularFile();
  }

  @Test
  void when_a_parent_of_out_is_a_file_then_the_error_says_which() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "a file\n");
    for (Path out : new Path[] {file.resolve("net"), file.resolve("a/b/net")}) {
      Run r = render(out);
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).startsWith("error: --out " + out + " cannot be created: " + file
          + " is a file, not a directory").doesNotContain("Exception");
    }
    assertThat(file).hasContent("a file");
  }

  @Test
  void rendered_output_and_its_keys_are_private_to_the_owner() throws Exception {
    Path out = dir.resolve("net");
    assertThat(render(out).exitCode()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rwx------");
  }

  @Test
  void a_symbolic_link_to_a_directory_renders_into_that_directory() throws Exception {
    Path target = Files.createDirectories(dir.resolve("disk/net"));
    Path link = Files.createSymbolicLink(dir.resolve("net"), target);
    Run r = render(link);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(link).isSymbolicLink();
    assertThat(target.resolve("network.json")).isRegularFile();
    assertThat(render(link).exitCode()).as("and again").isZero();
  }
}
