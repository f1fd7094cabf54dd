package io.raftswarm.swarm.invite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.swarm.error.UserError;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleDigestTest {
  @TempDir Path dir;

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(7).nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void a_matching_bundle_is_kept_and_progress_is_reported() throws Exception {
    byte[] data = bytes(40 << 20);
    Path target = dir.resolve("b.tar");
    List<Long> progress = new ArrayList<>();
    long n = BundleDigest.copyVerified(new ByteArrayInputStream(data), target, sha256(data).toUpperCase(), progress::add);
    assertThat(n).isEqualTo(data.length);
    assertThat(Files.readAllBytes(target)).isEqualTo(data);
    assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p).isPositive());
    assertThat(BundleDigest.of(target)).isEqualTo(sha256(data));
  }

  @Test
  void a_changed_bundle_is_refused_and_nothing_stays_on_disk() throws Exception {
    byte[] data = bytes(100_000);
    String want = sha256(data);
    data[5000] ^= 1;
    Path target = dir.resolve("b.tar");
    assertThatThrownBy(() -> BundleDigest.copyVerified(new ByteArrayInputStream(data), target, want, p -> {}))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("not " + want)
        .hasMessageContaining("nothing was unpacked");
    assertThat(target).doesNotExist();
  }

  @Test
  void a_cut_short_bundle_is_refused() throws Exception {
    byte[] data = bytes(100_000);
    String want = sha256(data);
    Path target = dir.resolve("b.tar");
    byte[] cut = java.util.Arrays.copyOf(data, 60_000);
    assertThatThrownBy(() -> BundleDigest.copyVerified(new ByteArrayInputStream(cut), target, want, p -> {}))
        .isInstanceOf(UserError.class);
    assertThat(target).doesNotExist();
  }
}
