package io.raftswarm.swarm.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.remote.HostSession;
import io.raftswarm.swarm.remote.LocalSshd;
import io.raftswarm.swarm.remote.SshHost;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UDP port probe over real SSH sessions to a throwaway sshd on 127.0.0.1: "from" and "to"
 * are two connections (two session pools) to it, as two hosts would be.
 */
@Timeout(120)
class SwarmPortProbeTest {
  @TempDir
  static Path dir;
  static LocalSshd sshd;

  @BeforeAll
  static void startSshd() throws Exception {
    LocalSshd.requireAvailable();
    sshd = LocalSshd.start(dir, false);
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void a_datagram_that_arrives_makes_the_port_open_and_the_listener_is_cleaned_up() throws Exception {
    Set<Path> before = probeDirs();
    try (SshHost a = SshHost.connect(sshd.target()); SshHost b = SshHost.connect(sshd.target())) {
      SwarmPortProbe.Result r = SwarmPortProbe.udp(host("host1", a), host("host2", b), freeUdpPort());
      assertThat(r.verdict()).as(r.describe()).isEqualTo(SwarmPortProbe.Verdict.OPEN);
      assertThat(r.detail()).isEqualTo("datagram received");
    }
    assertThat(probeDirs()).as("probe directories left in /tmp").isEqualTo(before);
  }

  @Test
  void a_port_something_already_listens_on_counts_as_open() throws Exception {
    Set<Path> before = probeDirs();
    try (DatagramSocket busy = new DatagramSocket(0, InetAddress.getByName("0.0.0.0"));
        SshHost a = SshHost.connect(sshd.target()); SshHost b = SshHost.connect(sshd.target())) {
      SwarmPortProbe.Result r = SwarmPortProbe.udp(host("host1", a), host("host2", b), busy.getLocalPort());
      assertThat(r.verdict()).as(r.describe()).isEqualTo(SwarmPortProbe.Verdict.OPEN);
      assertThat(r.detail()).contains("in use");
    }
    assertThat(probeDirs()).as("probe directories left in /tmp").isEqualTo(before);
  }

  /**
   * Preflight runs many probes at once; a sender that waits for a shell session must not turn
   * an open port into "BLOCKED" (a listener that gave up after a fixed window did, in CI).
   */
  @Test
  void a_sender_that_waits_long_for_a_shell_session_still_finds_the_port_open() throws Exception {
    try (SshHost a = SshHost.connect(sshd.target()); SshHost b = SshHost.connect(sshd.target())) {
      List<CompletableFuture<?>> busy = new ArrayList<>();
      for (int i = 0; i < 4; i++) { // every session host1's pool may open
        busy.add(CompletableFuture.runAsync(() -> a.shell().exec("sleep 16", Duration.ofSeconds(30))));
      }
      Thread.sleep(2_000); // let them take the sessions
      long t0 = System.nanoTime();
      SwarmPortProbe.Result r = SwarmPortProbe.udp(host("host1", a), host("host2", b), freeUdpPort());
      long tookMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(tookMs).as("the sender really waited for a session").isGreaterThan(12_000);
      assertThat(r.verdict()).as(r.describe()).isEqualTo(SwarmPortProbe.Verdict.OPEN);
      busy.forEach(CompletableFuture::join);
    }
  }

  @Test
  void the_orderers_tcp_ports_are_probed_in_one_command_each_with_its_own_verdict() throws Exception {
    try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        SshHost a = SshHost.connect(sshd.target()); SshHost b = SshHost.connect(sshd.target())) {
      // many at once: the parallel probes' answers must not run into each other's lines
      List<Integer> ports = new ArrayList<>(List.of(listening.getLocalPort()));
      for (int i = 0; i < 20; i++) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
          ports.add(s.getLocalPort());
        }
      }
      List<SwarmPortProbe.Result> rs = SwarmPortProbe.tcpEach(host("host1", a), host("host2", b), ports);
      assertThat(rs).extracting(SwarmPortProbe.Result::port).containsExactlyElementsOf(ports);
      assertThat(rs).allSatisfy(r -> assertThat(r.verdict()).as(r.describe()).isEqualTo(SwarmPortProbe.Verdict.OPEN));
      assertThat(rs.get(0).detail()).isEqualTo("listening");
      assertThat(rs.subList(1, rs.size())).allSatisfy(r -> assertThat(r.detail()).isEqualTo("reachable, nothing listening yet"));
    }
  }

  private static HostSession host(String name, SshHost ssh) {
    return new HostSession(new HostAccess(name, "127.0.0.1", true, "/tmp"), ssh, null);
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Set<Path> probeDirs() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
      return s.filter(p -> p.getFileName().toString().startsWith("raftswarm-udp-probe."))
          .collect(Collectors.toSet());
    }
  }
}
