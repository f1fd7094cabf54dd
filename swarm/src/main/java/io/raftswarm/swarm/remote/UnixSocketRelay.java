package io.raftswarm.swarm.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private local Unix socket whose every accepted connection is relayed over a new SSH channel
 * to a remote socket. Lets unmodified clients (docker-java) speak to a remote Docker engine
 * with nothing exposed on TCP. The socket is 0600 inside a fresh 0700 directory, so only this
 * user can use the (root-equivalent) Docker API through it.
 *
 * <p>One accept thread; two copy threads per connection. Half-close is honoured both ways:
 * local EOF sends SSH EOF, remote EOF shuts down the local socket's output. A failed channel
 * open closes only that connection; the relay keeps accepting (unlike sshj's
 * LocalPortForwarder, which stops accepting after one failure).
 */
final class UnixSocketRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UnixSocketRelay.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  interface Opener {
    DuplexStream open() throws IOException;
  }

  private final Path dir;
  private final Path socket;
  private final ServerSocketChannel server;
  private final Opener opener;
  private final String description;
  private final Thread acceptor;
  private volatile boolean closed;

  private UnixSocketRelay(Path dir, Path socket, ServerSocketChannel server, Opener opener,
      String description) {
    this.dir = dir;
    this.socket = socket;
    this.server = server;
    this.opener = opener;
    this.description = description;
    this.acceptor = new Thread(this::acceptLoop, "relay-accept-" + THREADS.incrementAndGet());
    this.acceptor.setDaemon(true);
  }

  static UnixSocketRelay start(Opener opener, String description) throws IOException {
    Path dir = Files.createTempDirectory("raftswarm-relay-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path socket = dir.resolve("docker.sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      server.close();
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
      throw e;
    }
    UnixSocketRelay relay = new UnixSocketRelay(dir, socket, server, opener, description);
    relay.acceptor.start();
    return relay;
  }

  Path socket() {
    return socket;
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel local;
      try {
        local = server.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("relay {} stopped accepting: {}", description, e.toString());
        }
        return;
      }
      DuplexStream remote;
      try {
        remote = opener.open();
      } catch (IOException | RuntimeException e) {
        log.warn("relay {}: cannot open remote channel: {}", description, e.getMessage());
        closeQuietly(local);
        continue;
      }
      relay(local, remote);
    }
  }

  // The local side is read and written with SocketChannel.read/write directly: the
  // Channels.newInputStream/newOutputStream adapters share one lock, so a blocked read would
  // stall the other direction's write.
  private void relay(SocketChannel local, DuplexStream remote) {
    CompletableFuture<Void> up = CompletableFuture.runAsync(() -> {
      try {
        ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
        OutputStream out = remote.out();
        while (local.read(buf) >= 0) {
          out.write(buf.array(), 0, buf.position());
          out.flush();
          buf.clear();
        }
      } catch (IOException e) {
        // the other side went away
      } finally {
        closeQuietly(remote.out()); // SSH EOF: the remote side sees the end of the request
      }
    }, RemoteThreads.IO);
    CompletableFuture<Void> down = CompletableFuture.runAsync(() -> {
      try {
        byte[] buf = new byte[32 * 1024];
        InputStream in = remote.in();
        int n;
        while ((n = in.read(buf)) >= 0) {
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            local.write(bb);
          }
        }
      } catch (IOException e) {
        // the other side went away
      } finally {
        try {
          local.shutdownOutput();
        } catch (IOException ignored) {
          // already closed by the client
        }
      }
    }, RemoteThreads.IO);
    // Both directions ended (EOF or error): the exchange is over, release the SSH channel.
    CompletableFuture.allOf(up, down).whenComplete((v, e) -> {
      closeQuietly(remote);
      closeQuietly(local);
    });
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // best effort
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    try {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      log.debug("cannot remove relay socket {}: {}", socket, e.toString());
    }
  }
}
