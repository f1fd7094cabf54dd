package io.raftswarm.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import org.junit.jupiter.api.Test;

class EcdsaSignerTest {
  private final KeyPair keys = EcKeys.generate();
  private final byte[] message = "a proposal".getBytes(StandardCharsets.UTF_8);

  @Test
  void signs_natively_here_and_the_jdk_verifies_the_result() throws Exception {
    EcdsaSigner signer = EcdsaSigner.of(keys.getPrivate());
    assertThat(signer.isNative()).as("AWS-LC via ACCP loaded").isTrue();
    Signature jdk = Signature.getInstance("SHA256withECDSA");
    for (int i = 0; i < 20; i++) {
      byte[] signature = signer.sign(message);
      jdk.initVerify(keys.getPublic());
      jdk.update(message);
      assertThat(jdk.verify(signature)).isTrue();
    }
  }

  @Test
  void a_signature_does_not_verify_for_another_message_or_key() throws Exception {
    byte[] signature = EcdsaSigner.of(keys.getPrivate()).sign(message);
    Signature jdk = Signature.getInstance("SHA256withECDSA");
    jdk.initVerify(keys.getPublic());
    jdk.update("another proposal".getBytes(StandardCharsets.UTF_8));
    assertThat(jdk.verify(signature)).isFalse();
    jdk.initVerify(EcKeys.generate().getPublic());
    jdk.update(message);
    assertThat(jdk.verify(signature)).isFalse();
  }

  @Test
  void signatures_from_several_threads_all_verify() throws Exception {
    EcdsaSigner signer = EcdsaSigner.of(keys.getPrivate());
    java.util.List<byte[]> signatures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          try {
            signatures.add(signer.sign(message));
          } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
          }
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(signatures).hasSize(200);
    Signature jdk = Signature.getInstance("SHA256withECDSA");
    for (byte[] s : signatures) {
      jdk.initVerify(keys.getPublic());
      jdk.update(message);
      assertThat(jdk.verify(s)).isTrue();
    }
  }
}
