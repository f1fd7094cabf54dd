package io.raftswarm.swarm.provision.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host-side swap of msp/ and tls/, run by sh on a local directory (without the chown to the containers' user). */
class InstallScriptTest {

  private static void sh(Path nodeDir) throws Exception {
    String script = InstallCertificatesStep.swapScript(nodeDir.toString())
        .replace("chown -R " + InstallCertificatesStep.CONTAINER_UID, "true");
    Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  private static void write(Path dir, String file, String content) throws Exception {
    Files.createDirectories(dir.resolve(file).getParent());
    Files.writeString(dir.resolve(file), content);
  }

  @Test
  void swaps_in_the_new_directories_keeping_the_originals_even_when_run_again_halfway(@TempDir Path node) throws Exception {
    write(node, "msp/signcerts/cert.pem", "old-msp");
    write(node, "tls/server.crt", "old-tls");
    write(node, ".rotate-new/msp/signcerts/cert.pem", "new-msp");
    write(node, ".rotate-new/tls/server.crt", "new-tls");

    sh(node);
    assertThat(Files.readString(node.resolve("msp/signcerts/cert.pem"))).isEqualTo("new-msp");
    assertThat(Files.readString(node.resolve("tls/server.crt"))).isEqualTo("new-tls");
    assertThat(Files.readString(node.resolve(".rotate-old/msp/signcerts/cert.pem"))).isEqualTo("old-msp");
    assertThat(Files.readString(node.resolve(".rotate-old/tls/server.crt"))).isEqualTo("old-tls");
    assertThat(node.resolve(".rotate-new")).doesNotExist();

    // shipped again (a re-run after an interruption): the backup of the originals is not overwritten
    write(node, ".rotate-new/msp/signcerts/cert.pem", "new-msp");
    write(node, ".rotate-new/tls/server.crt", "new-tls");
    sh(node);
    assertThat(Files.readString(node.resolve("tls/server.crt"))).isEqualTo("new-tls");
    assertThat(Files.readString(node.resolve(".rotate-old/tls/server.crt"))).isEqualTo("old-tls");

    // nothing shipped: nothing changes
    sh(node);
    assertThat(Files.readString(node.resolve("msp/signcerts/cert.pem"))).isEqualTo("new-msp");
  }

  @Test
  void reads_sha256sum_lines_as_relative_paths() {
    assertThat(InstallCertificatesStep.digests("abc  msp/keystore/priv_sk\ndef *tls/server.crt\n\n"))
        .isEqualTo(Map.of("msp/keystore/priv_sk", "abc", "tls/server.crt", "def"));
  }
}
