package io.raftswarm.swarm.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A render's run id: made on the first render of a directory and kept by every later one, so a
 * re-render changes no container label (and a re-provision recreates nothing), while two
 * renders of the same inventory into different directories label their containers apart.
 */
final class RunIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  /** The run id in an earlier render's network.json, else a new one (12 hex digits). */
  static String keptOrNew(Path profile) {
    if (Files.isRegularFile(profile)) {
      try {
        JsonNode id = new ObjectMapper().readTree(profile.toFile()).path("runId");
        if (id.isTextual() && id.asText().matches("[0-9a-f]{12}")) {
          return id.asText();
        }
      } catch (IOException e) {
        // an unreadable profile is replaced by this render; it gets a new run id
      }
    }
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
