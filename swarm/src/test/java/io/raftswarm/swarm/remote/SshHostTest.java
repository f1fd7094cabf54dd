package io.raftswarm.swarm.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SshHost, RemoteShell and TreeUploader against a real sshd on 127.0.0.1. */
@Timeout(60)
class SshHostTest {
  @TempDir static Path dir;
  static LocalSshd sshd;

  @BeforeAll
  static void startSshd() throws Exception {
    LocalSshd.requireAvailable();
    sshd = LocalSshd.start(dir, true);
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void exec_returns_stdout_stderr_and_exit_status() {
    try (SshHost host = SshHost.connect(sshd.target())) {
      ExecResult r = host.shell().exec("echo out; echo err >&2; exit 3", Duration.ofSeconds(10));
      assertThat(r.stdout()).isEqualTo("out\n");
      assertThat(r.stderr()).isEqualTo("err\n");
      assertThat(r.exitStatus()).isEqualTo(3);
      assertThatThrownBy(() -> host.shell().run("echo boom >&2; false", Duration.ofSeconds(10)))
          .isInstanceOf(RemoteHostException.class)
          .hasMessageContaining("exit 1").hasMessageContaining("boom")
          .hasMessageContaining("127.0.0.1:" + sshd.port);
    }
  }

  @Test
  void when_a_command_floods_both_pipes_then_exec_does_not_deadlock() {
    try (SshHost host = SshHost.connect(sshd.target())) {
      ExecResult r = host.shell().exec(
          "head -c 3000000 /dev/zero | tr '\\0' e >&2; head -c 2000000 /dev/zero | tr '\\0' o",
          Duration.ofSeconds(30));
      assertThat(r.stderr()).hasSize(3_000_000);
      assertThat(r.stdout()).hasSize(2_000_000);
    }
  }

  @Test
  void when_a_command_outlives_its_timeout_then_it_fails_naming_the_command() {
    try (SshHost host = SshHost.connect(sshd.target())) {
      assertThatThrownBy(() -> host.shell().exec("sleep 30", Duration.ofMillis(500)))
          .isInstanceOf(RemoteHostException.class)
          .hasMessageContaining("did not finish").hasMessageContaining("sleep 30");
    }
  }

  @Test
  void when_the_key_is_not_authorized_then_connect_names_host_and_key() throws Exception {
    Path other = dir.resolve("other_ed25519");
    if (!Files.exists(other)) {
      LocalSshd.keygen(other);
    }
    SshTarget t = sshd.target();
    SshTarget wrongKey = new SshTarget(t.host(), t.port(), t.user(), other, t.knownHosts(), null,
        t.connectTimeout());
    assertThatThrownBy(() -> SshHost.connect(wrongKey))
        .isInstanceOf(RemoteHostException.class)
        .hasMessageContaining("rejected key " + other)
        .hasMessageContaining(t.label())
        .hasMessageContaining("authorized_keys");
  }

  @Test
  void when_the_host_key_is_unknown_then_connect_refuses_and_shows_its_fingerprint()
      throws Exception {
    Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "");
    SshTarget t = sshd.target();
    SshTarget unknown = new SshTarget(t.host(), t.port(), t.user(), t.privateKey(), empty, null,
        t.connectTimeout());
    assertThatThrownBy(() -> SshHost.connect(unknown))
        .isInstanceOf(RemoteHostException.class)
        .hasMessageContaining("is not in " + empty)
        .hasMessageContaining(sshd.hostKeyFingerprint)
        .hasMessageContaining("ssh-keyscan");
  }

  @Test
  void when_the_host_key_changed_then_connect_refuses_loudly() throws Exception {
    Path otherHostKey = dir.resolve("other_host_ed25519");
    if (!Files.exists(otherHostKey)) {
      LocalSshd.keygen(otherHostKey);
    }
    Path changed = Files.writeString(dir.resolve("changed_known_hosts"), "[127.0.0.1]:"
        + sshd.port + " " + Files.readString(dir.resolve("other_host_ed25519.pub")).trim() + "\n");
    SshTarget t = sshd.target();
    SshTarget target = new SshTarget(t.host(), t.port(), t.user(), t.privateKey(), changed, null,
        t.connectTimeout());
    assertThatThrownBy(() -> SshHost.connect(target))
        .isInstanceOf(RemoteHostException.class)
        .hasMessageContaining("CHANGED")
        .hasMessageContaining(sshd.hostKeyFingerprint);
  }

  @Test
  void a_pinned_fingerprint_is_accepted_when_it_matches_and_refused_when_not() {
    SshTarget t = sshd.target();
    try (SshHost host = SshHost.connect(new SshTarget(t.host(), t.port(), t.user(), t.privateKey(),
        null, sshd.hostKeyFingerprint, t.connectTimeout()))) {
      assertThat(host.shell().run("echo ok", Duration.ofSeconds(10))).isEqualTo("ok\n");
    }
    SshTarget wrong = new SshTarget(t.host(), t.port(), t.user(), t.privateKey(), null,
        "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", t.connectTimeout());
    assertThatThrownBy(() -> SshHost.connect(wrong))
        .isInstanceOf(RemoteHostException.class)
        .hasMessageContaining("CHANGED")
        .hasMessageContaining("ssh.hostKeyFingerprint");
  }

  @Test
  void when_nothing_listens_then_connect_says_unreachable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    SshTarget t = sshd.target();
    SshTarget target = new SshTarget(t.host(), closedPort, t.user(), t.privateKey(),
        t.knownHosts(), null, Duration.ofSeconds(2));
    assertThatThrownBy(() -> SshHost.connect(target))
        .isInstanceOf(RemoteHostException.class)
        .hasMessageContaining("127.0.0.1:" + closedPort + " is unreachable");
  }

  @Test
  void mirror_preserves_modes_and_skips_unchanged_files() throws Exception {
    Path local = Files.createDirectories(dir.resolve("bundle-src/sub/keystore"));
    Path key = Files.writeString(local.resolve("priv_sk"), "secret");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path script = Files.writeString(dir.resolve("bundle-src/run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dir.resolve("bundle-src/compose.yaml"), "services: {}\n");
    String remote = dir.resolve("bundle-dst").toString();
    try (SshHost host = SshHost.connect(sshd.target())) {
      UploadResult first = host.uploader().mirror(dir.resolve("bundle-src"), remote);
      assertThat(first.uploaded()).isEqualTo(3);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
          Path.of(remote, "sub/keystore/priv_sk")))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
          Path.of(remote, "run.sh")))).isEqualTo("rwxr-xr-x");

      UploadResult again = host.uploader().mirror(dir.resolve("bundle-src"), remote);
      assertThat(again.changed()).isFalse();
      assertThat(again.unchanged()).isEqualTo(3);

      Files.writeString(dir.resolve("bundle-src/compose.yaml"), "services: {a: {}}\n");
      Files.delete(script);
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
      UploadResult third = host.uploader().mirror(dir.resolve("bundle-src"), remote);
      assertThat(third).isEqualTo(new UploadResult(1, 1, 0, 1));
      assertThat(Files.readString(Path.of(remote, "compose.yaml"))).contains("a: {}");
      assertThat(Path.of(remote, "run.sh")).doesNotExist();
    }
  }
}
