package io.raftswarm.swarm.remote;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An authenticated SSH connection to one host: key authentication only, host key verified
 * against known_hosts or a pinned fingerprint. Gives a {@link RemoteShell}, an uploader, and channels
 * to the host's Docker socket.
 *
 * <p>Thread-safe in the way sshj is: several channels (commands, SFTP, streamlocal) may be open
 * concurrently from different threads. {@link #close()} closes all of them.
 */
public final class SshHost implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SshHost.class);

  private final SshTarget target;
  private final SSHClient ssh;
  private final ShellSessionPool shells;

  private SshHost(SshTarget target, SSHClient ssh, Duration firstShellStart) {
    this.target = target;
    this.ssh = ssh;
    this.shells = new ShellSessionPool(this, firstShellStart);
  }

  /**
   * Connects and authenticates, or throws a {@link RemoteHostException} that names
   * {@code user@host:port}, what went wrong and how to fix it.
   */
  public static SshHost connect(SshTarget target) {
    return connect(target, ShellSessionPool.FIRST_START);
  }

  /** Like {@link #connect(SshTarget)}; {@code firstShellStart} bounds the first login shell. */
  static SshHost connect(SshTarget target, Duration firstShellStart) {
    HostKeyCheck hostKeys = hostKeyCheck(target);
    KeyProvider key = null;
    SSHClient ssh = new SSHClient(new DefaultConfig());
    try {
      if (!Files.isReadable(target.privateKey())) {
        throw new RemoteHostException("ssh key " + target.privateKey() + " for " + target.label()
            + " does not exist or is not readable; fix ssh.key in the inventory");
      }
      key = ssh.loadKeys(target.privateKey().toString());
    } catch (IOException e) {
      closeQuietly(ssh);
      throw new RemoteHostException("cannot read ssh key " + target.privateKey() + " for "
          + target.label() + ": " + e.getMessage()
          + "; give an unencrypted OpenSSH/PEM private key in ssh.key", e);
    } catch (RuntimeException e) {
      closeQuietly(ssh);
      throw e;
    }
    int timeoutMs = (int) target.connectTimeout().toMillis();
    ssh.setConnectTimeout(timeoutMs);
    ssh.setTimeout(timeoutMs);
    ssh.getConnection().setTimeoutMs(timeoutMs);
    ssh.addHostKeyVerifier(hostKeys);
    long started = System.nanoTime();
    try {
      ssh.connect(target.host(), target.port());
    } catch (IOException e) {
      closeQuietly(ssh);
      throw connectFailure(target, hostKeys, e);
    }
    try {
      ssh.authPublickey(target.user(), key);
    } catch (UserAuthException e) {
      closeQuietly(ssh);
      throw new RemoteHostException("ssh " + target.label() + " rejected key " + target.privateKey()
          + " (" + e.getMessage() + "); add its public key to ~" + target.user()
          + "/.ssh/authorized_keys on that host, or fix ssh.key / ssh.user in the inventory", e);
    } catch (IOException e) {
      closeQuietly(ssh);
      throw new RemoteHostException("ssh " + target.label() + ": authentication failed: "
          + e.getMessage(), e);
    }
    // Keep idle connections (e.g. while waiting for health) from being dropped by NAT/firewalls.
    ssh.getConnection().getKeepAlive().setKeepAliveInterval(15);
    log.debug("connected to {} in {} ms", target.label(), (System.nanoTime() - started) / 1_000_000);
    return new SshHost(target, ssh, firstShellStart);
  }

  private static HostKeyCheck hostKeyCheck(SshTarget target) {
    if (target.knownHosts() == null) {
      return HostKeyCheck.pinned(target.hostKeyFingerprint());
    }
    if (!Files.isReadable(target.knownHosts())) {
      throw new RemoteHostException("known_hosts file " + target.knownHosts() + " for "
          + target.label() + " does not exist; create it (ssh-keyscan -p " + target.port() + " "
          + target.host() + " >> " + target.knownHosts()
          + " and CHECK the key) or pin ssh.hostKeyFingerprint in the inventory");
    }
    try {
      return HostKeyCheck.knownHosts(target.knownHosts().toFile());
    } catch (IOException e) {
      throw new RemoteHostException("cannot read known_hosts " + target.knownHosts() + ": "
          + e.getMessage(), e);
    }
  }

  static RemoteHostException connectFailure(SshTarget t, HostKeyCheck keys, IOException e) {
    String where = t.label();
    switch (keys.outcome()) {
      case UNKNOWN:
        return new RemoteHostException("host key of " + where + " (" + keys.offeredFingerprint()
            + ") is not in " + t.knownHosts() + "; verify it out of band (ssh-keygen -lf on the host)"
            + " and add it (ssh-keyscan -p " + t.port() + " " + t.host() + " >> " + t.knownHosts()
            + "), or pin ssh.hostKeyFingerprint", e);
      case CHANGED:
        return new RemoteHostException("host key of " + where + " CHANGED: offered "
            + keys.offeredFingerprint() + ", expected "
            + (keys.usesPinnedFingerprint() ? t.hostKeyFingerprint() : "the key in " + t.knownHosts())
            + "; this may be an attack or a reinstalled host — verify, then update "
            + (keys.usesPinnedFingerprint() ? "ssh.hostKeyFingerprint" : t.knownHosts()), e);
      default:
        break;
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof UnknownHostException) {
      return new RemoteHostException("cannot resolve host " + t.host() + " (" + where
          + "); fix address in the inventory", e);
    }
    if (root instanceof ConnectException || root instanceof NoRouteToHostException
        || root instanceof SocketTimeoutException) {
      return new RemoteHostException("host " + where + " is unreachable (" + root.getMessage()
          + " after up to " + t.connectTimeout().toSeconds() + " s); check that the host is up, sshd"
          + " listens on port " + t.port() + " and no firewall blocks it", e);
    }
    if (e instanceof TransportException te
        && te.getDisconnectReason() == DisconnectReason.HOST_KEY_NOT_VERIFIABLE) {
      return new RemoteHostException("host key of " + where + " not accepted: " + e.getMessage(), e);
    }
    return new RemoteHostException("ssh connection to " + where + " failed: " + e, e);
  }

  public SshTarget target() {
    return target;
  }

  /** Runs commands on the host. */
  public RemoteShell shell() {
    return new RemoteShell(shells);
  }

  /** Uploads local trees (SFTP), skipping files whose content is already there. */
  public TreeUploader uploader() {
    return new TreeUploader(this);
  }

  SSHClient client() {
    return ssh;
  }

  public boolean isConnected() {
    return ssh.isConnected() && ssh.isAuthenticated();
  }

  @Override
  public void close() {
    shells.close();
    closeQuietly(ssh);
  }

  private static void closeQuietly(SSHClient ssh) {
    try {
      ssh.close();
    } catch (IOException | RuntimeException ignored) {
      // closing a broken connection; nothing to do
    }
  }

  @Override
  public String toString() {
    return target.label();
  }
}
