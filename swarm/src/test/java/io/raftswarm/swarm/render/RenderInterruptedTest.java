package io.raftswarm.swarm.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.render.RenderCommandTest.Run;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A render stopped midway must not leave its staging directory (private keys) behind: a
 * shutdown hook removes it on SIGINT/SIGTERM, and after SIGKILL the next render does.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RenderInterruptedTest {
  @TempDir Path dir;

  /** The pid of a process that has exited: what a SIGKILLed render leaves in its names. */
  static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.pid();
  }

  static Path staging(Path parent, String out, long pid, int n, boolean marked) throws Exception {
    Path s = Files.createDirectories(parent.resolve("." + out + ".rendering-" + pid + "-" + n));
    Path key = Files.createDirectories(s.resolve("crypto-config/ca")).resolve("priv_sk");
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n");
    if (marked) {
      RenderMarker.write(s);
    }
    return s;
  }

  @Test
  void when_a_killed_render_left_staging_then_the_next_render_removes_it() throws Exception {
    long dead = deadPid();
    Path killed = staging(dir, "net", dead, 1, true);
    Path otherOut = staging(dir, "other", dead, 2, true);
    Path notOurs = staging(dir, "net", dead, 3, false);
    Path running = staging(dir, "net", ProcessHandle.current().pid(), 4, true);
    Path halfDeleted = staging(dir, "net", dead, 5, true)
        .resolveSibling(".net.rendering-" + dead + "-5.deleting-0");
    Files.move(halfDeleted.resolveSibling(".net.rendering-" + dead + "-5"), halfDeleted);
    Path placeholder = Files.createFile(dir.resolve(".net.rendering-" + dead + "-6"));

    Run r = RenderOutputDirectoryTest.render(dir.resolve("net"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(killed).as("stale, for this --out").doesNotExist();
    assertThat(otherOut).as("stale, for another --out in the same directory").doesNotExist();
    assertThat(notOurs).as("no marker: not recognisably raftswarm's").isDirectory();
    assertThat(running).as("its render is still running").isDirectory();
    assertThat(halfDeleted).as("a shutdown hook was cut short").doesNotExist();
    assertThat(placeholder).as("the empty file a stopped render may leave").doesNotExist();
    assertThat(dir.resolve("net/network.json")).isRegularFile();
  }

  @Test
  void the_staging_directory_is_owner_only_marked_and_removed_on_close() throws Exception {
    Path out = dir.resolve("net");
    Path path;
    try (StagingDir staging = StagingDir.create(out)) {
      path = staging.path();
      assertThat(path.getParent()).isEqualTo(dir);
      assertThat(path.getFileName().toString())
          .startsWith(".net.rendering-" + ProcessHandle.current().pid() + "-");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
          .isEqualTo("rwx------");
      assertThat(RenderMarker.format(path)).contains(RenderMarker.FORMAT);
    }
    assertThat(path).doesNotExist();
  }

  /** A real `raftswarm render` in a child JVM, stopped with SIGTERM while it writes keys. */
  @Test
  void when_a_render_gets_sigterm_then_its_staging_directory_is_removed() throws Exception {
    Path inventory = Files.writeString(dir.resolve("big.yml"), bigInventory());
    Path work = Files.createDirectories(dir.resolve("work"));
    Path out = work.resolve("net");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.raftswarm.swarm.cli.RaftswarmCommand", "render", "-i", inventory.toString(),
        "-o", out.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    try {
      Path staging = awaitStagingWithKeys(work, p);
      assertThat(p.isAlive()).as("still rendering when signalled").isTrue();
      p.destroy(); // SIGTERM; SIGINT (Ctrl-C) runs the same shutdown hooks
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("child.log")))
          .isEqualTo(128 + 15);
      assertThat(staging).doesNotExist();
      // No assertion on "error: render stopped by a signal": the render thread prints it only
      // if its next write comes before the JVM halts, and it may be busy generating keys.
      // at most the empty placeholder that stopped the render thread (the next render removes
      // it); no directory, so no key
      try (Stream<Path> s = Files.list(work)) {
        assertThat(s.toList()).allSatisfy(left -> {
          assertThat(left).isRegularFile();
          assertThat(Files.size(left)).isZero();
        });
      }
      assertThat(out).doesNotExist();
    } finally {
      p.destroyForcibly();
    }
  }

  private static Path awaitStagingWithKeys(Path work, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && p.isAlive()) {
      for (String name : listing(work)) {
        Path candidate = work.resolve(name);
        if (name.startsWith(".net.rendering-") && Files.isDirectory(candidate.resolve(
            "crypto-config/ordererOrganizations/example.com/orderers"))) {
          return candidate;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no staging directory with keys appeared; child alive: "
        + p.isAlive());
  }

  private static List<String> listing(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(x -> x.getFileName().toString()).sorted().toList();
    }
  }

  /** Enough nodes that crypto generation takes seconds: a wide window for the signal. */
  private static String bigInventory() throws Exception {
    Path keys = Path.of(RenderInterruptedTest.class.getResource("/inventories/keys").toURI());
    String ssh = "ssh: {user: op, key: " + keys.resolve("id_test") + ", knownHosts: "
        + keys.resolve("known_hosts") + "}";
    StringBuilder sb = new StringBuilder("hosts:\n");
    for (int h = 1; h <= 3; h++) {
      sb.append("  - name: host").append(h).append("\n    address: 10.20.0.1").append(h)
          .append("\n    ").append(ssh).append('\n');
    }
    sb.append("orderers:\n");
    for (int o = 1; o <= 21; o++) {
      sb.append("  - {name: orderer").append(o).append(", host: host").append(o % 3 + 1)
          .append("}\n");
    }
    sb.append("peerOrgs:\n");
    for (int g = 1; g <= 3; g++) {
      sb.append("  - name: Org").append(g).append("\n    users: 5\n    peers:\n");
      for (int n = 0; n < 6; n++) {
        sb.append("      - {name: peer").append(n).append(", host: host").append(n % 3 + 1)
            .append("}\n");
      }
    }
    return sb.toString().replace(File.separator + File.separator, File.separator);
  }
}
