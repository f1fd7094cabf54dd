package io.raftswarm.swarm.remote;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.schmizz.sshj.xfer.FileSystemFile;
import net.schmizz.sshj.xfer.LocalFileFilter;

/**
 * A local file for SFTP upload that reports its real POSIX mode. sshj's {@link FileSystemFile}
 * reports 0644/0755 for everything, so private keys would arrive world-readable and scripts
 * would lose their execute bit.
 */
final class ModePreservingFile extends FileSystemFile {

  ModePreservingFile(File file) {
    super(file);
  }

  @Override
  public int getPermissions() throws IOException {
    return mode(getFile());
  }

  static int mode(File file) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file.toPath());
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |= switch (p) {
        case OWNER_READ -> 0400;
        case OWNER_WRITE -> 0200;
        case OWNER_EXECUTE -> 0100;
        case GROUP_READ -> 040;
        case GROUP_WRITE -> 020;
        case GROUP_EXECUTE -> 010;
        case OTHERS_READ -> 04;
        case OTHERS_WRITE -> 02;
        case OTHERS_EXECUTE -> 01;
      };
    }
    return mode;
  }

  @Override
  public Iterable<FileSystemFile> getChildren(LocalFileFilter filter) throws IOException {
    List<FileSystemFile> children = new ArrayList<>();
    for (FileSystemFile child : super.getChildren(filter)) {
      children.add(new ModePreservingFile(child.getFile()));
    }
    return children;
  }

  @Override
  public FileSystemFile getChild(String name) {
    return new ModePreservingFile(super.getChild(name).getFile());
  }
}
