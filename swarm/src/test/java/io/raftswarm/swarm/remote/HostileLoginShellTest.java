package io.raftswarm.swarm.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RemoteShell and TreeUploader against an sshd whose login shell behaves like real hosts'
 * startup files at their worst: every SSH command first waits for a lock and sleeps (pyenv init
 * serializing concurrent logins), prints a banner on stdout and stderr, and puts a directory
 * first in PATH whose {@code sh}, {@code tar}, {@code sha256sum} and {@code printf} lie. The
 * stand-in is an authorized_keys {@code command=} that does all that and then runs the
 * requested command, exactly where sshd runs ~/.bashrc.
 */
@Timeout(120)
class HostileLoginShellTest {
  static final int LOGIN_SECONDS = 2;
  @TempDir static Path dir;
  static LocalSshd sshd;

  @BeforeAll
  static void startSshd() throws Exception {
    LocalSshd.requireAvailable();
    Path bogus = Files.createDirectories(dir.resolve("bogus-bin"));
    for (String tool : List.of("sh", "tar", "sha256sum", "printf", "find", "base64")) {
      Path f = Files.writeString(bogus.resolve(tool), "#!/bin/bash\necho 'BOGUS " + tool + "'\nexit 97\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path login = Files.writeString(dir.resolve("hostile-login"), String.join("\n",
        "#!/bin/bash",
        "exec 9>" + dir.resolve("login.lock"),
        "flock 9",
        "sleep " + LOGIN_SECONDS,
        "flock -u 9",
        "printf 'Welcome to a noisy host (no newline)'",
        "echo 'a banner on stderr' >&2",
        "export PATH=" + bogus + ":$PATH",
        "exec /bin/bash -c \"$SSH_ORIGINAL_COMMAND\"",
        ""));
    Files.setPosixFilePermissions(login, PosixFilePermissions.fromString("rwxr-xr-x"));
    sshd = LocalSshd.start(dir, true, "command=\"" + login + "\"");
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void only_what_the_command_printed_comes_back_and_its_path_is_the_clean_one() throws Exception {
    try (SshHost host = SshHost.connect(sshd.target())) {
      ExecResult r = host.shell().exec("echo \"$PATH\"; printf err >&2; exit 4", Duration.ofSeconds(5));
      assertThat(r.stdout()).isEqualTo(ShellSession.PATH + "\n");
      assertThat(r.stderr()).isEqualTo("err");
      assertThat(r.exitStatus()).isEqualTo(4);
      // A command given bytes on stdin gets exactly those bytes.
      byte[] input = new byte[70_000];
      for (int i = 0; i < input.length; i++) {
        input[i] = (byte) i;
      }
      ExecResult sum = host.shell().exec("sha256sum", input, Duration.ofSeconds(5));
      assertThat(sum.stdout()).startsWith(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input)));
    }
  }

  @Test
  void a_command_budget_does_not_pay_for_the_login_even_when_logins_serialize() {
    try (SshHost host = SshHost.connect(sshd.target())) {
      // Eight concurrent commands; each login costs LOGIN_SECONDS and they queue on the lock,
      // yet each command's own 1 s budget is enough: logins are paid once per pooled session.
      List<CompletableFuture<ExecResult>> runs = IntStream.range(0, 8)
          .mapToObj(i -> CompletableFuture.supplyAsync(
              () -> host.shell().exec("echo " + i, Duration.ofSeconds(1))))
          .toList();
      for (int i = 0; i < runs.size(); i++) {
        assertThat(runs.get(i).join().stdout()).isEqualTo(i + "\n");
      }
      assertThat(host.shell().measured()).contains("login shell start");
    }
  }

  @Test
  void mirror_works_through_the_hostile_shell_and_keeps_modes() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/a/b"));
    Path key = Files.writeString(src.resolve("priv_sk"), "secret");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(dir.resolve("src/compose.yaml"), "services: {}\n");
    String remote = dir.resolve("dst").toString();
    try (SshHost host = SshHost.connect(sshd.target())) {
      assertThat(host.uploader().mirror(dir.resolve("src"), remote))
          .isEqualTo(new UploadResult(2, 0, 0, 0));
      assertThat(Files.readString(Path.of(remote, "a/b/priv_sk"))).isEqualTo("secret");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
          Path.of(remote, "a/b/priv_sk")))).isEqualTo("rw-------");
      assertThat(host.uploader().mirror(dir.resolve("src"), remote))
          .isEqualTo(new UploadResult(0, 0, 2, 0));
    }
  }

  @Test
  void a_streaming_command_sees_none_of_the_banner() throws Exception {
    try (SshHost host = SshHost.connect(sshd.target());
        DuplexStream stream = ShellStream.open(host, "cat")) {
      stream.out().write("ping\n".getBytes());
      stream.out().close();
      assertThat(new String(stream.in().readAllBytes())).isEqualTo("ping\n");
    }
  }

  @Test
  void a_login_that_never_finishes_fails_saying_what_was_waited_for() {
    try (SshHost host = SshHost.connect(sshd.target(), Duration.ofMillis(LOGIN_SECONDS * 1000 / 4))) {
      assertThatThrownBy(() -> host.shell().exec("true", Duration.ofSeconds(1)))
          .isInstanceOf(RemoteHostException.class)
          .hasMessageContaining("login shell on " + sshd.target().label())
          .hasMessageContaining("startup files");
    }
  }
}
