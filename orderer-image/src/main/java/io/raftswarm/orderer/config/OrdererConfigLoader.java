package io.raftswarm.orderer.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the orderer configuration the way Fabric does: {@code orderer.yaml} (from
 * {@code $FABRIC_CFG_PATH/orderer.yaml} if present, else the defaults in this jar), then
 * {@code ORDERER_*} environment variables override single keys: the variable name is
 * {@code ORDERER_} + the key path in upper case joined by {@code _}
 * (General.TLS.RootCAs → {@code ORDERER_GENERAL_TLS_ROOTCAS}). Relative paths in the yaml are
 * resolved against the directory of the yaml file (or the working directory for the defaults).
 * Every bad value fails with a {@link ConfigException} naming the variable.
 */
public final class OrdererConfigLoader {
  private static final String PREFIX = "ORDERER_";

  private final Map<String, String> values;
  private final Path baseDir;

  private OrdererConfigLoader(Map<String, String> values, Path baseDir) {
    this.values = values;
    this.baseDir = baseDir;
  }

  /** Loads from the process environment. */
  public static OrdererConfig fromEnvironment() {
    return load(System.getenv());
  }

  /** Loads with the given variables standing in for the environment (tests). */
  public static OrdererConfig load(Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Path baseDir = Path.of("").toAbsolutePath();
    String cfgPath = env.get("FABRIC_CFG_PATH");
    Path yamlFile = cfgPath == null || cfgPath.isBlank() ? null : Path.of(cfgPath).resolve("orderer.yaml");
    if (yamlFile != null && Files.isRegularFile(yamlFile)) {
      try (InputStream in = Files.newInputStream(yamlFile)) {
        flatten("", parse(in, yamlFile.toString()), values);
      } catch (IOException e) {
        throw new ConfigException("cannot read " + yamlFile + " (FABRIC_CFG_PATH): " + e.getMessage(), e);
      }
      baseDir = yamlFile.toAbsolutePath().getParent();
    } else {
      try (InputStream in = OrdererConfigLoader.class.getResourceAsStream("/orderer.yaml")) {
        if (in == null) {
          throw new IllegalStateException("orderer.yaml is missing from the orderer jar");
        }
        flatten("", parse(in, "built-in orderer.yaml"), values);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    env.forEach((name, value) -> {
      if (name.startsWith(PREFIX)) {
        values.put(name, value);
      }
    });
    return new OrdererConfigLoader(values, baseDir).build();
  }

  private OrdererConfig build() {
    if (!bool("ORDERER_GENERAL_TLS_ENABLED")) {
      throw new ConfigException("ORDERER_GENERAL_TLS_ENABLED=false is not supported: Broadcast, Deliver and Raft"
          + " always use mutual TLS; set it to true and point ORDERER_GENERAL_TLS_* at the node's tls directory");
    }
    String listenAddress = required("ORDERER_GENERAL_LISTENADDRESS");
    String clusterAddress = string("ORDERER_GENERAL_CLUSTER_LISTENADDRESS").orElse(listenAddress);
    Path ledger = path("ORDERER_FILELEDGER_LOCATION", false);
    Path wal = string("ORDERER_CONSENSUS_WALDIR").map(this::resolve).orElse(ledger.resolve("etcdraft").resolve("wal"));
    String operations = required("ORDERER_OPERATIONS_LISTENADDRESS");
    int colon = operations.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException("ORDERER_OPERATIONS_LISTENADDRESS must be host:port (e.g. 0.0.0.0:8443), was '" + operations + "'");
    }
    int operationsPort = parseInt("ORDERER_OPERATIONS_LISTENADDRESS", operations.substring(colon + 1));
    return new OrdererConfig(
        listenAddress,
        integer("ORDERER_GENERAL_LISTENPORT"),
        clusterAddress,
        integer("ORDERER_GENERAL_CLUSTER_LISTENPORT"),
        required("ORDERER_GENERAL_LOCALMSPID"),
        path("ORDERER_GENERAL_LOCALMSPDIR", true),
        path("ORDERER_GENERAL_TLS_CERTIFICATE", true),
        path("ORDERER_GENERAL_TLS_PRIVATEKEY", true),
        list("ORDERER_GENERAL_TLS_ROOTCAS").stream().map(p -> existing("ORDERER_GENERAL_TLS_ROOTCAS", p)).toList(),
        bool("ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED"),
        genesisBlocks(),
        ledger,
        wal,
        operations.substring(0, colon),
        operationsPort,
        string("ORDERER_CONSENSUS_SNAPSHOTINTERVALENTRIES").map(v -> parseLong("ORDERER_CONSENSUS_SNAPSHOTINTERVALENTRIES", v)).orElse(0L),
        string("ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN").map(v -> duration("ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN", v)),
        string("ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX").map(v -> duration("ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX", v)),
        admin(),
        string(ConsenterPlacement.VARIABLE).map(v -> ConsenterPlacement.read(existing(ConsenterPlacement.VARIABLE, v)))
            .orElse(ConsenterPlacement.none()),
        bool("ORDERER_CONSENSUS_CUTWHENIDLE"));
  }

  private Optional<AdminEndpoint> admin() {
    Optional<String> listen = string("ORDERER_ADMIN_LISTENADDRESS");
    if (listen.isEmpty()) {
      return Optional.empty();
    }
    if (!bool("ORDERER_ADMIN_TLS_ENABLED")) {
      throw new ConfigException("ORDERER_ADMIN_TLS_ENABLED=false is not supported: the channel participation API"
          + " only runs over mutual TLS; set it to true (or unset ORDERER_ADMIN_LISTENADDRESS to run without it)");
    }
    if (!bool("ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED")) {
      throw new ConfigException("ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED must be true when ORDERER_ADMIN_TLS_ENABLED"
          + " is true (as in Fabric): without client certificates anyone could join or remove channels");
    }
    String address = listen.get();
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException("ORDERER_ADMIN_LISTENADDRESS must be host:port (e.g. 0.0.0.0:7053), was '" + address + "'");
    }
    String certificate = string("ORDERER_ADMIN_TLS_CERTIFICATE").orElse(required("ORDERER_GENERAL_TLS_CERTIFICATE"));
    String key = string("ORDERER_ADMIN_TLS_PRIVATEKEY").orElse(required("ORDERER_GENERAL_TLS_PRIVATEKEY"));
    String roots = string("ORDERER_ADMIN_TLS_CLIENTROOTCAS").isPresent() ? "ORDERER_ADMIN_TLS_CLIENTROOTCAS" : "ORDERER_GENERAL_TLS_ROOTCAS";
    return Optional.of(new AdminEndpoint(
        address.substring(0, colon),
        parseInt("ORDERER_ADMIN_LISTENADDRESS", address.substring(colon + 1)),
        existing("ORDERER_ADMIN_TLS_CERTIFICATE", certificate),
        existing("ORDERER_ADMIN_TLS_PRIVATEKEY", key),
        list(roots).stream().map(p -> existing(roots, p)).toList(),
        bool("ORDERER_CHANNELPARTICIPATION_ENABLED"),
        byteSize("ORDERER_CHANNELPARTICIPATION_MAXREQUESTBODYSIZE", required("ORDERER_CHANNELPARTICIPATION_MAXREQUESTBODYSIZE"))));
  }

  /** Fabric's byte sizes: 1048576, 512 KB, 1 MB. */
  static long byteSize(String key, String v) {
    var m = java.util.regex.Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(v.trim());
    if (!m.matches()) {
      throw new ConfigException(key + " must be a size like 1048576, 512 KB or 1 MB, was '" + v + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    return switch (unit) {
      case "KB" -> n * 1024;
      case "MB" -> n * 1024 * 1024;
      case "GB" -> n * 1024 * 1024 * 1024;
      default -> n;
    };
  }

  private List<Path> genesisBlocks() {
    // Fabric's General.BootstrapMethod: "none" starts with no channel (test-network sets it and
    // joins channels with osnadmin); "file" reads BootstrapFile, and here BootstrapDir too.
    String method = string("ORDERER_GENERAL_BOOTSTRAPMETHOD").orElse("file").toLowerCase(Locale.ROOT);
    if (method.equals("none")) {
      return List.of();
    }
    if (!method.equals("file")) {
      throw new ConfigException("ORDERER_GENERAL_BOOTSTRAPMETHOD must be file or none, was '" + method + "'");
    }
    Optional<String> file = string("ORDERER_GENERAL_BOOTSTRAPFILE");
    Optional<String> dir = string("ORDERER_GENERAL_BOOTSTRAPDIR");
    List<Path> blocks = new ArrayList<>();
    file.ifPresent(f -> blocks.add(existing("ORDERER_GENERAL_BOOTSTRAPFILE", f)));
    if (dir.isPresent()) {
      Path d = resolve(dir.get());
      if (!Files.isDirectory(d)) {
        throw new ConfigException("ORDERER_GENERAL_BOOTSTRAPDIR: " + d + " is not a directory; mount the channel"
            + " genesis blocks (<channel>.block) there");
      }
      try (Stream<Path> files = Files.list(d)) {
        files.filter(p -> p.getFileName().toString().endsWith(".block")).sorted().forEach(blocks::add);
      } catch (IOException e) {
        throw new ConfigException("ORDERER_GENERAL_BOOTSTRAPDIR: cannot list " + d + ": " + e.getMessage(), e);
      }
      if (blocks.isEmpty()) {
        throw new ConfigException("ORDERER_GENERAL_BOOTSTRAPDIR: " + d + " holds no *.block genesis block");
      }
    }
    return blocks;
  }

  private Optional<String> string(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private String required(String key) {
    return string(key).orElseThrow(() -> new ConfigException(key + " is not set"));
  }

  private boolean bool(String key) {
    String v = required(key).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key + " must be true or false, was '" + v + "'");
    };
  }

  private int integer(String key) {
    return parseInt(key, required(key));
  }

  private static int parseInt(String key, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a whole number, was '" + v + "'");
    }
  }

  private static long parseLong(String key, String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a whole number, was '" + v + "'");
    }
  }

  /** Go-style durations as in Fabric's yaml: 300ms, 1s, 1m30s. */
  static Duration duration(String key, String v) {
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v.trim());
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
      end = m.end();
    }
    if (end == 0 || end != v.trim().length() || total.isZero()) {
      throw new ConfigException(key + " must be a positive duration like 300ms or 1s, was '" + v + "'");
    }
    return total;
  }

  private List<String> list(String key) {
    String raw = required(key).trim();
    if (raw.startsWith("[") && raw.endsWith("]")) {
      raw = raw.substring(1, raw.length() - 1);
    }
    List<String> items = Stream.of(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (items.isEmpty()) {
      throw new ConfigException(key + " lists no file; give the TLS CA certificate(s), e.g. [/var/hyperledger/orderer/tls/ca.crt]");
    }
    return items;
  }

  private Path path(String key, boolean mustExist) {
    String v = required(key);
    return mustExist ? existing(key, v) : resolve(v);
  }

  private Path existing(String key, String v) {
    Path p = resolve(v);
    if (!Files.exists(p)) {
      throw new ConfigException(key + ": " + p + " does not exist; check the variable and the volume mounts");
    }
    return p;
  }

  private Path resolve(String v) {
    Path p = Path.of(v);
    return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
  }

  private static Object parse(InputStream in, String source) {
    try {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (RuntimeException e) {
      throw new ConfigException("cannot parse " + source + ": " + e.getMessage(), e);
    }
  }

  /** General: {TLS: {RootCAs: [a]}} → ORDERER_GENERAL_TLS_ROOTCAS=a. */
  private static void flatten(String prefix, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix + "_" + String.valueOf(k).toUpperCase(Locale.ROOT), v, out));
    } else if (node instanceof List<?> list) {
      out.put(PREFIX + prefix.substring(1), String.join(",", list.stream().map(String::valueOf).toList()));
    } else if (node != null) {
      out.put(PREFIX + prefix.substring(1), String.valueOf(node));
    }
  }
}
