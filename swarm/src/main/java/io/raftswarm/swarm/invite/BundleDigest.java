package io.raftswarm.swarm.invite;

import io.raftswarm.swarm.error.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/** SHA-256 of a bundle as it streams to disk, and the refusal of one that does not match. */
public final class BundleDigest {
  private BundleDigest() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JDK", e);
    }
  }

  /** SHA-256 of a file, 64 lower-case hex digits. */
  public static String of(Path file) throws IOException {
    MessageDigest md = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Copies {@code in} to {@code target} (created new, 0600 by the caller's umask-independent
   * choice of directory) while hashing it, then checks the digest. On a mismatch the file is
   * deleted and a {@link UserError} says so: nothing of a wrong bundle stays on disk.
   *
   * @param progress called with the bytes copied so far, every few MB
   * @return the number of bytes copied
   */
  public static long copyVerified(InputStream in, Path target, String expectedSha256, LongConsumer progress)
      throws IOException {
    MessageDigest md = sha256();
    long total = 0;
    long reported = 0;
    try (InputStream din = new DigestInputStream(in, md);
        OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = din.read(buf)) >= 0) {
        out.write(buf, 0, n);
        total += n;
        if (total - reported >= (32 << 20)) {
          reported = total;
          progress.accept(total);
        }
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(target);
      throw e;
    }
    String got = HexFormat.of().formatHex(md.digest());
    String want = InviteLine.normalize(expectedSha256);
    if (!got.equals(want)) {
      Files.deleteIfExists(target);
      throw new UserError("the bundle's SHA-256 is " + got + ", not " + want + " from the invite line: it was"
          + " changed or cut short on the way; nothing was unpacked. Ask for a new invite (raftswarm invite HOST"
          + " on the manager's operator machine) and run its line");
    }
    return total;
  }
}
