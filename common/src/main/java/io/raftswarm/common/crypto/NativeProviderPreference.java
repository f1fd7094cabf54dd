package io.raftswarm.common.crypto;

import java.security.Provider;
import java.security.Security;

/**
 * Puts the native ECDSA provider (AWS-LC, see {@link EcdsaVerifier}) first in this JVM's provider
 * list, so that the JDK's own certificate checks use it too: a TLS trust manager validating the
 * server's chain asks {@code Signature.getInstance("SHA256withECDSA")} without naming a provider,
 * and the JDK's SunEC answers that in Java. In a short-lived client JVM that code has not been
 * compiled yet: ~60 ms of a one-second {@code raftswarm query} on the lab went there.
 *
 * <p>Process-wide, so only for processes that want it (the CLI's client commands); long-running
 * orderers and peers, whose hot paths name the provider directly, leave the list alone.
 */
public final class NativeProviderPreference {
  private NativeProviderPreference() {}

  /**
   * Makes the native provider the first one; false (and the list unchanged) when it did not load
   * here or {@code RAFTSWARM_ECDSA=bc} turned it off. Calling it again changes nothing.
   */
  public static synchronized boolean preferNative() {
    Provider provider = NativeEcdsa.PROVIDER;
    if (provider == null) {
      return false;
    }
    Provider[] installed = Security.getProviders();
    if (installed.length > 0 && installed[0] == provider) {
      return true;
    }
    Security.removeProvider(provider.getName());
    return Security.insertProviderAt(provider, 1) == 1;
  }
}
