package io.raftswarm.swarm.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Mirrors a local directory tree onto a host: uploads files whose SHA-256 differs,
 * fixes modes that differ, removes remote files that are no longer in the tree, and leaves the
 * rest alone, so shipping an unchanged bundle costs one remote {@code find}.
 */
public final class TreeUploader {
  private static final Duration LIST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(120);
  private static final String SEPARATOR = "--raftswarm-modes--";

  private final SshHost host;

  TreeUploader(SshHost host) {
    this.host = host;
  }

  /**
   * Makes {@code remoteDir} hold exactly the files of {@code localDir} (content and mode).
   * {@code remoteDir} must be an absolute path; it is created when missing. The changed files
   * travel as one tar stream into {@code tar -x} through the host's clean shell (not SFTP:
   * Debian's sftp-server is started through the login shell, and a startup file that prints a
   * banner breaks the SFTP protocol).
   */
  public UploadResult mirror(Path localDir, String remoteDir) {
    if (!remoteDir.startsWith("/") || remoteDir.equals("/")) {
      throw new IllegalArgumentException("remote dir must be absolute and not /: " + remoteDir);
    }
    Map<String, LocalEntry> local = scanLocal(localDir);
    Map<String, RemoteEntry> remote = scanRemote(remoteDir);
    List<LocalEntry> upload = new ArrayList<>();
    List<String> script = new ArrayList<>();
    int modeFixed = 0;
    int unchanged = 0;
    for (var e : local.entrySet()) {
      LocalEntry le = e.getValue();
      RemoteEntry re = remote.get(e.getKey());
      if (re == null || !re.sha256().equals(le.sha256())) {
        upload.add(le);
      } else if (re.mode() != le.mode()) {
        script.add("chmod " + Integer.toOctalString(le.mode()) + " " + RemoteShell.quote(e.getKey()));
        modeFixed++;
      } else {
        unchanged++;
      }
    }
    int removed = 0;
    for (String rel : remote.keySet()) {
      if (!local.containsKey(rel)) {
        script.add("rm -f -- " + RemoteShell.quote(rel));
        removed++;
      }
    }
    if (!upload.isEmpty() || !script.isEmpty()) {
      String q = RemoteShell.quote(remoteDir);
      StringBuilder cmd = new StringBuilder("mkdir -p " + q + " && cd " + q);
      if (!upload.isEmpty()) {
        cmd.append(" && tar -x -p -o -f -");
      }
      script.forEach(c -> cmd.append(" && ").append(c));
      ExecResult r = host.shell().exec(cmd.toString(), upload.isEmpty() ? null : tar(upload),
          UPLOAD_TIMEOUT);
      if (!r.ok()) {
        throw new RemoteHostException("uploading " + localDir + " to " + host.target().label() + ":"
            + remoteDir + " failed (exit " + r.exitStatus() + "): " + r.tail(5)
            + "; check free space and permissions there, then re-run");
      }
    }
    return new UploadResult(upload.size(), modeFixed, unchanged, removed);
  }

  /** A tar of the given files under their relative names, with their modes. */
  static byte[] tar(List<LocalEntry> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (LocalEntry f : files) {
        TarArchiveEntry entry = new TarArchiveEntry(f.relative());
        entry.setSize(Files.size(f.path()));
        entry.setMode(0100000 | f.mode()); // regular file + permission bits
        tar.putArchiveEntry(entry);
        Files.copy(f.path(), tar);
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new RemoteHostException("cannot pack the local bundle: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  record LocalEntry(String relative, Path path, String sha256, int mode) {}

  private record RemoteEntry(String sha256, int mode) {}

  static Map<String, LocalEntry> scanLocal(Path root) {
    Map<String, LocalEntry> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          String rel = root.relativize(p).toString().replace('\\', '/');
          files.put(rel, new LocalEntry(rel, p, sha256(p), mode(p)));
        }
      }
    } catch (IOException e) {
      throw new RemoteHostException("cannot read local bundle " + root + ": " + e.getMessage(), e);
    }
    return files;
  }

  private Map<String, RemoteEntry> scanRemote(String dir) {
    String q = RemoteShell.quote(dir);
    ExecResult r = host.shell().exec("test -d " + q + " || exit 0; cd " + q
        + " && find . -type f -exec sha256sum {} + && echo " + SEPARATOR
        + " && find . -type f -printf '%m %p\\n'", LIST_TIMEOUT);
    if (!r.ok()) {
      throw new RemoteHostException("cannot list " + dir + " on " + r.host() + ": " + r.tail(5));
    }
    Map<String, String> hashes = new HashMap<>();
    Map<String, RemoteEntry> files = new HashMap<>();
    boolean modes = false;
    for (String line : r.stdout().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.equals(SEPARATOR)) {
        modes = true;
      } else if (!modes) {
        int sp = line.indexOf("  ");
        hashes.put(stripDot(line.substring(sp + 2)), line.substring(0, sp));
      } else {
        int sp = line.indexOf(' ');
        String rel = stripDot(line.substring(sp + 1));
        files.put(rel, new RemoteEntry(hashes.getOrDefault(rel, ""),
            Integer.parseInt(line.substring(0, sp), 8)));
      }
    }
    return files;
  }

  /** The file's permission bits, e.g. 0600. */
  static int mode(Path p) throws IOException {
    int mode = 0;
    for (PosixFilePermission perm : Files.getPosixFilePermissions(p)) {
      mode |= 1 << (8 - perm.ordinal()); // OWNER_READ is ordinal 0 = bit 8 (0400)
    }
    return mode;
  }

  private static String stripDot(String p) {
    return p.startsWith("./") ? p.substring(2) : p;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file),
        MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
