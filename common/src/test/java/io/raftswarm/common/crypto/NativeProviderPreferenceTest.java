package io.raftswarm.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NativeProviderPreferenceTest {
  @AfterEach
  void restoreProviderList() {
    if (NativeEcdsa.PROVIDER != null) {
      Security.removeProvider(NativeEcdsa.PROVIDER.getName());
    }
  }

  @Test
  void the_jdks_own_signature_lookups_get_the_native_provider_when_it_loaded() throws Exception {
    String before = Signature.getInstance("SHA256withECDSA").getProvider().getName();

    boolean preferred = NativeProviderPreference.preferNative();

    assertThat(preferred).isEqualTo(EcdsaVerifier.nativeAvailable());
    String after = Signature.getInstance("SHA256withECDSA").getProvider().getName();
    if (preferred) {
      assertThat(Security.getProviders()[0]).isSameAs(NativeEcdsa.PROVIDER);
      assertThat(after).isEqualTo(NativeEcdsa.PROVIDER.getName()).isNotEqualTo(before);
    } else {
      assertThat(after).isEqualTo(before);
    }
  }

  @Test
  void calling_it_twice_keeps_one_entry_first() {
    boolean first = NativeProviderPreference.preferNative();
    boolean second = NativeProviderPreference.preferNative();

    assertThat(second).isEqualTo(first);
    if (first) {
      long copies = List.of(Security.getProviders()).stream().filter(p -> p == NativeEcdsa.PROVIDER).count();
      assertThat(copies).isEqualTo(1);
      assertThat(Security.getProviders()[0]).isSameAs(NativeEcdsa.PROVIDER);
    }
  }

  @Test
  void certificate_chains_still_verify_and_a_foreign_ca_is_still_refused() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("ca.org1.example.com", "org1.example.com", "US", "San Francisco");
    CertificateAuthority foreign = CertificateAuthority.create("ca.org1.example.com", "org1.example.com", "US", "San Francisco");
    X509Certificate cert = ca.issue(CertificateRequest.tls("peer0.org1.example.com", List.of("peer0.org1.example.com")))
        .certificate();
    NativeProviderPreference.preferNative();

    cert.verify(ca.certificate().getPublicKey());
    assertThatThrownBy(() -> cert.verify(foreign.certificate().getPublicKey())).isInstanceOf(SignatureException.class);
  }
}
