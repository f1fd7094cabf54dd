package io.raftswarm.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class EcKeysTest {
  private final KeyPair mine = EcKeys.generate();
  private final KeyPair other = EcKeys.generate();

  @Test
  void a_private_key_matches_its_own_public_key_only() {
    assertThat(EcKeys.matches(mine.getPrivate(), mine.getPublic())).isTrue();
    assertThat(EcKeys.matches(mine.getPrivate(), other.getPublic())).isFalse();
    assertThat(EcKeys.matches(other.getPrivate(), mine.getPublic())).isFalse();
  }

  @Test
  void keys_read_back_from_pem_still_match() {
    var key = Pem.readPrivateKey(Pem.encode(mine.getPrivate()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(EcKeys.matches(key, mine.getPublic())).isTrue();
    assertThat(EcKeys.matches(key, other.getPublic())).isFalse();
  }
}
