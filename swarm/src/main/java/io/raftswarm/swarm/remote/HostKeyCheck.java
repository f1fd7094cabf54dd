package io.raftswarm.swarm.remote;

import java.io.File;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Verifies a host key against known_hosts or a pinned fingerprint and remembers why it
 * refused, so the connect error can say "unknown" vs "changed" and show the offered key's
 * fingerprint. Never accepts an unknown key and never writes to the known_hosts file.
 */
final class HostKeyCheck implements HostKeyVerifier {

  enum Outcome { NOT_CHECKED, ACCEPTED, UNKNOWN, CHANGED }

  private final HostKeyVerifier delegate;
  private final String pinned;
  private volatile Outcome outcome = Outcome.NOT_CHECKED;
  private volatile String offeredFingerprint = "";

  private HostKeyCheck(HostKeyVerifier delegate, String pinned) {
    this.delegate = delegate;
    this.pinned = pinned;
  }

  static HostKeyCheck knownHosts(File file) throws IOException {
    HostKeyCheck[] self = new HostKeyCheck[1];
    OpenSSHKnownHosts kh = new OpenSSHKnownHosts(file) {
      @Override
      protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        self[0].outcome = Outcome.UNKNOWN;
        return false;
      }

      @Override
      protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        self[0].outcome = Outcome.CHANGED;
        return false;
      }
    };
    self[0] = new HostKeyCheck(kh, null);
    return self[0];
  }

  static HostKeyCheck pinned(String sha256Fingerprint) {
    return new HostKeyCheck(null, sha256Fingerprint.trim());
  }

  @Override
  public boolean verify(String hostname, int port, PublicKey key) {
    offeredFingerprint = sha256Fingerprint(key);
    boolean ok;
    if (delegate == null) {
      ok = pinned.equals(offeredFingerprint);
      outcome = ok ? Outcome.ACCEPTED : Outcome.CHANGED;
    } else {
      ok = delegate.verify(hostname, port, key);
      if (ok) {
        outcome = Outcome.ACCEPTED;
      }
    }
    return ok;
  }

  @Override
  public List<String> findExistingAlgorithms(String hostname, int port) {
    return delegate == null ? List.of() : delegate.findExistingAlgorithms(hostname, port);
  }

  Outcome outcome() {
    return outcome;
  }

  String offeredFingerprint() {
    return offeredFingerprint;
  }

  boolean usesPinnedFingerprint() {
    return delegate == null;
  }

  /** OpenSSH's {@code SHA256:<unpadded base64>} form, as printed by {@code ssh-keygen -lf}. */
  static String sha256Fingerprint(PublicKey key) {
    byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
