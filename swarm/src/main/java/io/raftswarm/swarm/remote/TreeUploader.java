package io.raftswarm.swarm.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.schmizz.sshj.sftp.SFTPClient;

/**
 * Mirrors a local directory tree onto a host over SFTP: uploads files whose SHA-256 differs,
 * fixes modes that differ, removes remote files that are no longer in the tree, and leaves the
 * rest alone, so shipping an unchanged bundle costs one remote {@code find}.
 */
public final class TreeUploader {
  private static final Duration LIST_TIMEOUT = Duration.ofSeconds(60);
  private static final String SEPARATOR = "--raftswarm-modes--";

  private final SshHost host;

  TreeUploader(SshHost host) {
    this.host = host;
  }

  /**
   * Makes {@code remoteDir} hold exactly the files of {@code localDir} (content and mode).
   * {@code remoteDir} must be an absolute path; it is created when missing.
   */
  public UploadResult mirror(Path localDir, String remoteDir) {
    if (!remoteDir.startsWith("/") || remoteDir.equals("/")) {
      throw new IllegalArgumentException("remote dir must be absolute and not /: " + remoteDir);
    }
    Map<String, LocalEntry> local = scanLocal(localDir);
    Map<String, RemoteEntry> remote = scanRemote(remoteDir);
    int uploaded = 0;
    int modeFixed = 0;
    int unchanged = 0;
    int removed = 0;
    try (SFTPClient sftp = host.sftp()) {
      Set<String> madeDirs = new LinkedHashSet<>();
      for (var e : local.entrySet()) {
        String rel = e.getKey();
        LocalEntry le = e.getValue();
        RemoteEntry re = remote.get(rel);
        String target = remoteDir + "/" + rel;
        if (re != null && re.sha256().equals(le.sha256())) {
          if (re.mode() != le.mode()) {
            sftp.chmod(target, le.mode());
            modeFixed++;
          } else {
            unchanged++;
          }
          continue;
        }
        String parent = target.substring(0, target.lastIndexOf('/'));
        if (madeDirs.add(parent)) {
          sftp.mkdirs(parent);
        }
        sftp.getFileTransfer().upload(new ModePreservingFile(le.path().toFile()), target);
        uploaded++;
      }
      for (String rel : remote.keySet()) {
        if (!local.containsKey(rel)) {
          sftp.rm(remoteDir + "/" + rel);
          removed++;
        }
      }
    } catch (IOException e) {
      throw new RemoteHostException("uploading " + localDir + " to " + host.target().label() + ":"
          + remoteDir + " failed: " + e.getMessage() + "; check free space and permissions there,"
          + " then re-run", e);
    }
    return new UploadResult(uploaded, modeFixed, unchanged, removed);
  }

  private record LocalEntry(Path path, String sha256, int mode) {}

  private record RemoteEntry(String sha256, int mode) {}

  static Map<String, LocalEntry> scanLocal(Path root) {
    Map<String, LocalEntry> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          String rel = root.relativize(p).toString().replace('\\', '/');
          files.put(rel, new LocalEntry(p, sha256(p), ModePreservingFile.mode(p.toFile())));
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
