package io.raftswarm.swarm.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the image id from a {@code docker save}-format tar (what Jib's {@code tar} goal
 * writes) without loading it: the id is the SHA-256 of the config JSON named in
 * {@code manifest.json}, and {@code docker load} keeps those bytes, so equal ids mean the host
 * already has exactly this image.
 */
public final class ImageTars {
  private ImageTars() {}

  public static String imageId(Path tar) throws IOException {
    Map<String, byte[]> small = new HashMap<>();
    String configName = null;
    // manifest.json may come after the config, so keep small JSON entries until both are seen.
    try (InputStream in = Files.newInputStream(tar);
        TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = t.getNextEntry()) != null) {
        if (e.isFile() && e.getName().endsWith(".json") && e.getSize() < 1 << 20) {
          small.put(e.getName(), t.readAllBytes());
        }
      }
    }
    byte[] manifest = small.get("manifest.json");
    if (manifest == null) {
      throw new IOException(tar + " is not a docker image tar (no manifest.json)");
    }
    JsonNode m = new ObjectMapper().readTree(manifest);
    configName = m.get(0).get("Config").asText();
    byte[] config = small.get(configName);
    if (config == null) {
      throw new IOException(tar + ": config " + configName + " named in manifest.json is missing");
    }
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config));
    } catch (java.security.NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
