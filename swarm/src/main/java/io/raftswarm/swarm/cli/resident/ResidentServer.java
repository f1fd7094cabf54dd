package io.raftswarm.swarm.cli.resident;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;

/**
 * The resident CLI: one long-lived JVM per user and build that runs the short client commands
 * (invoke, query, status) for the launcher, so each call skips the JVM's start, class loading and
 * first compilations (~1.3 s of a cold {@code query}; ~0.1 s warm). It listens on a Unix socket in a
 * directory only its user can enter, serves only that user (the socket's peer credentials), and
 * goes away by itself when idle, when its jar is rebuilt, or when its socket file is removed.
 */
public final class ResidentServer {

  /** Runs one command for a caller, printing through the given writers; its exit code. */
  @FunctionalInterface
  public interface Commands {
    int run(List<String> args, Path workingDirectory, Map<String, String> environment, boolean ansi,
        PrintWriter out, PrintWriter err);
  }

  /**
   * @param socket where to listen
   * @param idleTimeout stop after this long without a request
   * @param build the jar this JVM runs: a newer one means a new build, which this JVM does not serve
   * @param served the subcommands served; others are declined (the client runs them itself)
   * @param processWide variables that hold for a whole JVM (its logging, its crypto providers) with
   *     this JVM's values: a request whose environment differs in one is declined
   */
  public record Settings(Path socket, Duration idleTimeout, Path build, Set<String> served,
      Map<String, String> processWide) {
    public Settings {
      socket = socket.toAbsolutePath();
      served = Set.copyOf(served);
      processWide = Map.copyOf(processWide);
    }
  }

  private final Settings settings;
  private final Commands commands;
  private final PrintWriter log;
  private final ServerSocketChannel server;
  private final FileLock lock;
  private final Object socketKey;
  private final FileTime buildTime;
  private final ExecutorService workers;
  private final ScheduledExecutorService watchdog;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong lastActive = new AtomicLong(System.nanoTime());
  private volatile String stopping;

  private ResidentServer(Settings settings, Commands commands, PrintWriter log, ServerSocketChannel server,
      FileLock lock) throws IOException {
    this.settings = settings;
    this.commands = commands;
    this.log = log;
    this.server = server;
    this.lock = lock;
    this.socketKey = Files.readAttributes(settings.socket(), "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino");
    this.buildTime = settings.build() == null ? null : Files.getLastModifiedTime(settings.build());
    this.workers = Executors.newCachedThreadPool(r -> daemon(r, "resident-command"));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "resident-watchdog"));
  }

  /**
   * Takes the socket, or returns null when another resident JVM already serves it. Fails with a
   * message when the socket's directory is someone else's or open to others.
   */
  public static ResidentServer bind(Settings settings, Commands commands, PrintWriter log) throws IOException {
    Path socket = settings.socket();
    Path dir = socket.getParent();
    privateDirectory(dir);
    // one server per socket: the lock outlives a crashed server's socket file, which is then replaced
    FileChannel lockFile = FileChannel.open(dir.resolve(socket.getFileName() + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockFile.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;  // this JVM serves it already
    }
    if (lock == null) {
      lockFile.close();
      return null;
    }
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    return new ResidentServer(settings, commands, log, server, lock);
  }

  /** Serves until stopped (idle, new build, socket removed, or a STOP request); the reason. */
  public String serve() throws IOException {
    log("serving " + settings.socket() + " (" + String.join(", ", settings.served()) + "; stops after "
        + settings.idleTimeout().toMinutes() + " min idle)");
    watchdog.scheduleWithFixedDelay(this::checkStillWanted, 1, 1, TimeUnit.SECONDS);
    try {
      while (stopping == null) {
        SocketChannel client;
        try {
          client = server.accept();
        } catch (ClosedChannelException e) {
          break;
        }
        lastActive.set(System.nanoTime());
        running.incrementAndGet();
        workers.execute(() -> {
          try (client) {
            handle(client);
          } catch (Exception e) {
            log("request failed: " + e);
          } finally {
            lastActive.set(System.nanoTime());
            running.decrementAndGet();
          }
        });
      }
    } finally {
      stop(stopping == null ? "socket closed" : stopping);
      watchdog.shutdownNow();
      workers.shutdown();
      try {
        workers.awaitTermination(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      lock.release();
      lock.channel().close();
    }
    log("stopped: " + stopping);
    return stopping;
  }

  private void handle(SocketChannel client) throws IOException {
    var out = new DataOutputStream(Channels.newOutputStream(client));
    String peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
    String owner = Files.getOwner(settings.socket().getParent()).getName();
    if (!peer.equals(owner)) {
      log("refused a request from user " + peer);
      return;  // closed without an answer; the directory's mode already keeps others out
    }
    var request = ResidentProtocol.Request.read(new DataInputStream(Channels.newInputStream(client)));
    switch (request.kind()) {
      case PING -> exit(out, 0);
      case STOP -> {
        exit(out, 0);
        stop("asked to stop");
      }
      case RUN -> run(request, out);
    }
  }

  private void run(ResidentProtocol.Request request, DataOutputStream out) throws IOException {
    String declined = declined(request);
    if (declined != null) {
      synchronized (out) {
        out.writeByte(ResidentProtocol.NOT_SERVED);
        ResidentProtocol.writeString(out, declined);
        out.flush();
      }
      return;
    }
    long start = System.nanoTime();
    var stdout = new PrintWriter(new OutputStreamWriter(ResidentProtocol.output(out, ResidentProtocol.STDOUT),
        StandardCharsets.UTF_8), true);
    var stderr = new PrintWriter(new OutputStreamWriter(ResidentProtocol.output(out, ResidentProtocol.STDERR),
        StandardCharsets.UTF_8), true);
    int code;
    try {
      code = commands.run(request.args(), Path.of(request.workingDirectory()), request.environment(),
          request.ansi(), stdout, stderr);
    } catch (RuntimeException | Error e) {
      stderr.println("error: the resident CLI failed: " + e);
      code = 1;
    }
    stdout.flush();
    stderr.flush();
    // logged before the answer: whoever reads the log after the call finds the call in it
    log(request.args().get(0) + " → " + code + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    exit(out, code);
  }

  /** Why this JVM does not run the request (the client then runs it itself), or null. */
  private String declined(ResidentProtocol.Request request) {
    if (stopping != null) {
      return "stopping: " + stopping;
    }
    if (request.args().isEmpty() || !settings.served().contains(request.args().get(0))) {
      return "not a served command";
    }
    for (Map.Entry<String, String> e : settings.processWide().entrySet()) {
      if (!e.getValue().equals(request.environment().getOrDefault(e.getKey(), ""))) {
        return e.getKey() + " differs from this JVM's";
      }
    }
    if (!Path.of(request.workingDirectory()).isAbsolute()) {
      return "working directory not absolute";
    }
    String stale = staleBuild();
    if (stale != null) {
      stop(stale);
      return stale;
    }
    return null;
  }

  private static void exit(DataOutputStream out, int code) throws IOException {
    synchronized (out) {
      out.writeByte(ResidentProtocol.EXIT);
      out.writeInt(code);
      out.flush();
    }
  }

  private void checkStillWanted() {
    try {
      String reason = staleBuild();
      if (reason == null && !socketIsOurs()) {
        reason = "its socket file was removed or replaced";
      }
      long idle = System.nanoTime() - lastActive.get();
      if (reason == null && running.get() == 0 && idle > settings.idleTimeout().toNanos()) {
        reason = "idle for " + settings.idleTimeout().toMinutes() + " min";
      }
      if (reason != null) {
        stop(reason);
      }
    } catch (RuntimeException e) {
      stop("watchdog failed: " + e);
    }
  }

  private String staleBuild() {
    if (buildTime == null) {
      return null;
    }
    try {
      return Files.getLastModifiedTime(settings.build()).equals(buildTime) ? null : "its jar was rebuilt";
    } catch (IOException e) {
      return "its jar is gone";
    }
  }

  private boolean socketIsOurs() {
    try {
      return socketKey.equals(Files.readAttributes(settings.socket(), "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino"));
    } catch (IOException e) {
      return false;
    }
  }

  private synchronized void stop(String reason) {
    if (stopping == null) {
      stopping = reason;
    }
    if (!server.isOpen()) {
      return;
    }
    try {
      if (socketIsOurs()) {
        Files.deleteIfExists(settings.socket());  // new clients go straight to their own JVM
      }
      server.close();
    } catch (IOException e) {
      log("closing the socket: " + e);
    }
  }

  /** Creates {@code dir} readable by its owner only, or checks an existing one is ours and closed to others. */
  static void privateDirectory(Path dir) throws IOException {
    Set<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(ownerOnly));
      Files.setPosixFilePermissions(dir, ownerOnly);  // whatever the umask took away
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + " is not a directory; remove it");
    }
    Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!owner.equals(me)) {
      throw new IOException(dir + " belongs to uid " + owner + ", not to this user (uid " + me + "); remove it");
    }
    if (!ownerOnly.containsAll(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS))) {
      throw new IOException(dir + " is open to other users (" + PosixFilePermissions.toString(
          Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)) + "); chmod 700 it or remove it");
    }
  }

  /** A line in the server's log, with the time. */
  public void log(String line) {
    synchronized (log) {
      log.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
      log.flush();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
