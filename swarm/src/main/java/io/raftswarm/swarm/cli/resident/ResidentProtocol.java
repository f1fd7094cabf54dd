package io.raftswarm.swarm.cli.resident;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the launcher's client and the resident CLI say over the Unix socket. The client sends one
 * {@link Request}; the server answers with frames: a kind byte, then for output a length and the
 * bytes, for the end an exit code. java.base only: the client JVM loads nothing else.
 */
public final class ResidentProtocol {
  /** "RSW" and the protocol's version: a client and a server of different builds do not talk. */
  static final int MAGIC = 0x52535702;

  static final byte STDOUT = 1;
  static final byte STDERR = 2;
  /** Followed by the command's exit code; the last frame. */
  static final byte EXIT = 3;
  /** Followed by a reason: the server did not run the command (the client runs it itself). */
  static final byte NOT_SERVED = 4;

  /** The client's exit code when the command was not run here: the launcher then runs it itself. */
  public static final int NOT_SERVED_EXIT = 75;

  private ResidentProtocol() {}

  /** What the client asks: run {@code args}, or stop the server, or answer whether it runs. */
  enum Kind { RUN, STOP, PING }

  /**
   * One request.
   *
   * @param workingDirectory the caller's directory, absolute
   * @param environment the caller's {@code RAFTSWARM_*} variables
   * @param ansi whether the caller's terminal takes colours
   */
  record Request(Kind kind, List<String> args, String workingDirectory, Map<String, String> environment,
      boolean ansi) {

    void write(DataOutputStream out) throws IOException {
      out.writeInt(MAGIC);
      out.writeByte(kind.ordinal());
      out.writeInt(args.size());
      for (String a : args) {
        writeString(out, a);
      }
      writeString(out, workingDirectory);
      out.writeInt(environment.size());
      for (Map.Entry<String, String> e : environment.entrySet()) {
        writeString(out, e.getKey());
        writeString(out, e.getValue());
      }
      out.writeBoolean(ansi);
      out.flush();
    }

    static Request read(DataInputStream in) throws IOException {
      if (in.readInt() != MAGIC) {
        throw new IOException("not a raftswarm resident request of this build");
      }
      int kind = in.readUnsignedByte();
      if (kind >= Kind.values().length) {
        throw new IOException("unknown request kind " + kind);
      }
      List<String> args = new ArrayList<>();
      for (int i = count(in); i > 0; i--) {
        args.add(readString(in));
      }
      String cwd = readString(in);
      Map<String, String> env = new LinkedHashMap<>();
      for (int i = count(in); i > 0; i--) {
        env.put(readString(in), readString(in));
      }
      return new Request(Kind.values()[kind], args, cwd, env, in.readBoolean());
    }
  }

  /** Frames one kind of output (stdout or stderr) onto the shared stream. */
  static OutputStream output(DataOutputStream out, byte kind) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return;
        }
        synchronized (out) {
          out.writeByte(kind);
          out.writeInt(len);
          out.write(b, off, len);
          out.flush();
        }
      }
    };
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputStream in) throws IOException {
    return new String(in.readNBytes(length(in)), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A length from the peer, bounded: a broken or hostile peer cannot make us allocate gigabytes. */
  static int length(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (1 << 20)) {
      throw new IOException("frame length " + n + " out of range");
    }
    return n;
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 10_000) {
      throw new IOException("count " + n + " out of range");
    }
    return n;
  }
}
