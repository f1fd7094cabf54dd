package io.raftswarm.swarm.cli.resident;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The launcher's side of the resident CLI: hands a command to the resident JVM and relays its
 * output and exit code. Exits with {@link ResidentProtocol#NOT_SERVED_EXIT}, having printed
 * nothing, when no resident JVM answers or it declines (another build): the launcher then runs
 * the command in a JVM of its own. Started with only the CLI's jar on its class path, so it
 * loads a handful of classes and answers in a tenth of a second.
 *
 * <p>Usage: {@code ResidentClient SOCKET [--ansi] -- ARGS...}
 */
public final class ResidentClient {
  private ResidentClient() {}

  public static void main(String[] argv) {
    int dashes = Arrays.asList(argv).indexOf("--");
    if (argv.length < 2 || dashes < 1) {
      System.err.println("usage: ResidentClient SOCKET [--ansi] -- ARGS...");
      System.exit(64);
    }
    boolean ansi = Arrays.asList(argv).subList(1, dashes).contains("--ansi");
    List<String> args = Arrays.asList(argv).subList(dashes + 1, argv.length);
    Map<String, String> env = new TreeMap<>();
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("RAFTSWARM_")) {
        env.put(k, v);
      }
    });
    var request = new ResidentProtocol.Request(ResidentProtocol.Kind.RUN, args,
        Path.of("").toAbsolutePath().toString(), env, ansi);
    System.exit(send(Path.of(argv[0]), request, System.out, System.err));
  }

  /** Asks the resident JVM at {@code socket} to stop; false when none answered. */
  public static boolean stop(Path socket) {
    return control(socket, ResidentProtocol.Kind.STOP);
  }

  /** Whether a resident JVM answers at {@code socket}. */
  public static boolean running(Path socket) {
    return control(socket, ResidentProtocol.Kind.PING);
  }

  private static boolean control(Path socket, ResidentProtocol.Kind kind) {
    var request = new ResidentProtocol.Request(kind, List.of(), "/", Map.of(), false);
    return send(socket, request, System.out, System.err) == 0;
  }

  /**
   * Sends {@code request} and relays the answer to {@code out}/{@code err}; the command's exit
   * code, or {@link ResidentProtocol#NOT_SERVED_EXIT} when it was not run (nothing printed then).
   */
  static int send(Path socket, ResidentProtocol.Request request, PrintStream out, PrintStream err) {
    SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException | UnsupportedOperationException e) {
      return ResidentProtocol.NOT_SERVED_EXIT;  // none runs (or a stale socket file)
    }
    try (channel) {
      var to = new DataOutputStream(Channels.newOutputStream(channel));
      request.write(to);
      var from = new DataInputStream(Channels.newInputStream(channel));
      while (true) {
        byte kind = from.readByte();
        switch (kind) {
          case ResidentProtocol.STDOUT, ResidentProtocol.STDERR -> {
            byte[] bytes = from.readNBytes(ResidentProtocol.length(from));
            PrintStream to2 = kind == ResidentProtocol.STDOUT ? out : err;
            to2.write(bytes, 0, bytes.length);
            to2.flush();
          }
          case ResidentProtocol.EXIT -> {
            return from.readInt();
          }
          case ResidentProtocol.NOT_SERVED -> {
            return ResidentProtocol.NOT_SERVED_EXIT;
          }
          default -> throw new IOException("unexpected frame " + kind);
        }
      }
    } catch (IOException e) {
      // not retried: the resident JVM may have run part of the command (an invoke must not go twice)
      err.println("raftswarm: the resident CLI (" + socket + ") broke off: " + e.getMessage()
          + "; check before running the command again (RAFTSWARM_RESIDENT=0 runs it without the resident CLI)");
      return 1;
    }
  }
}
