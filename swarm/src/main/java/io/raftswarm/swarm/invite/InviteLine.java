package io.raftswarm.swarm.invite;

import io.raftswarm.swarm.error.UserError;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one line {@code raftswarm invite} prints for an invited host's operator, and what
 * {@code raftswarm join} reads back from it:
 * <pre>
 * raftswarm join --manager ADDR:2377 --token SWMTKN-... --bundle https://ADDR:PORT/TOKEN/HOST.tar
 *     --tls-sha256 HEX --sha256 HEX
 * </pre>
 * Both digests are 64 lower-case hex digits: {@code tlsSha256} of the DER of the serving
 * certificate (the only certificate the fetch trusts), {@code sha256} of the bundle tar.
 */
public record InviteLine(String manager, String token, URI bundle, String tlsSha256, String sha256) {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:[0-9]{1,5}");
  private static final Pattern TOKEN = Pattern.compile("SWMTKN-[A-Za-z0-9-]+");

  public InviteLine {
    require(manager != null && HOST_PORT.matcher(manager).matches(), "--manager",
        "'" + manager + "' is not ADDRESS:PORT (the swarm manager, e.g. 10.77.0.1:2377)");
    require(token != null && TOKEN.matcher(token).matches(), "--token",
        "is not a swarm join token (SWMTKN-...)");
    require(bundle != null && "https".equals(bundle.getScheme()) && bundle.getHost() != null
        && bundle.getPath() != null && bundle.getPath().endsWith(".tar"), "--bundle",
        "'" + bundle + "' is not an https://ADDR:PORT/TOKEN/HOST.tar URL");
    tlsSha256 = tlsSha256 == null ? null : normalize(tlsSha256);
    sha256 = sha256 == null ? null : normalize(sha256);
    require(tlsSha256 != null && HEX64.matcher(tlsSha256).matches(), "--tls-sha256",
        "is not a SHA-256 fingerprint (64 hex digits)");
    require(sha256 != null && HEX64.matcher(sha256).matches(), "--sha256",
        "is not a SHA-256 digest (64 hex digits)");
  }

  /** Accepts upper case and {@code AA:BB:...} as openssl prints fingerprints. */
  static String normalize(String hex) {
    return hex.replace(":", "").toLowerCase(java.util.Locale.ROOT);
  }

  private static void require(boolean ok, String option, String what) {
    if (!ok) {
      throw new UserError("join " + option + " " + what + "; copy the whole line raftswarm invite printed");
    }
  }

  /** The invited host's name, from the bundle URL's file name. */
  public String host() {
    String path = bundle.getPath();
    return path.substring(path.lastIndexOf('/') + 1, path.length() - ".tar".length());
  }

  /** The command line, options in a fixed order. */
  public String format() {
    return "raftswarm join --manager " + manager + " --token " + token + " --bundle " + bundle
        + " --tls-sha256 " + tlsSha256 + " --sha256 " + sha256;
  }

  /**
   * Reads a line as {@link #format()} writes it; a leading {@code raftswarm join} or
   * {@code scripts/raftswarm join} is optional, options may come in any order and as
   * {@code --opt=value}.
   */
  public static InviteLine parse(String line) {
    List<String> words = new ArrayList<>(List.of(line.trim().split("\\s+")));
    while (!words.isEmpty() && !words.get(0).startsWith("--")) {
      words.remove(0); // "raftswarm", "join", a path to the script
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (!w.startsWith("--")) {
        throw new UserError("join: unexpected '" + w + "' in the invite line; copy the whole line raftswarm invite printed");
      }
      int eq = w.indexOf('=');
      if (eq > 0) {
        options.put(w.substring(0, eq), w.substring(eq + 1));
      } else if (i + 1 < words.size()) {
        options.put(w, words.get(++i));
      } else {
        throw new UserError("join: " + w + " has no value; copy the whole line raftswarm invite printed");
      }
    }
    URI bundle;
    try {
      bundle = URI.create(options.getOrDefault("--bundle", ""));
    } catch (IllegalArgumentException e) {
      throw new UserError("join --bundle '" + options.get("--bundle") + "' is not a URL; copy the whole line"
          + " raftswarm invite printed");
    }
    return new InviteLine(options.get("--manager"), options.get("--token"), bundle,
        options.get("--tls-sha256"), options.get("--sha256"));
  }
}
