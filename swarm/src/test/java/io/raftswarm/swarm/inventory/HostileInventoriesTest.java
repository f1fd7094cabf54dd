package io.raftswarm.swarm.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.swarm.cli.RaftswarmCommand;
import io.raftswarm.swarm.cli.UserError;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Inventories from a corpus of hostile and malformed inputs: each is refused with a message
 * naming the file, line and field and saying how to fix it, as `raftswarm render` prints it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInventoriesTest {
  static final String VALID = """
      hosts:
        - name: host1
          address: 10.20.0.11
          ssh: {user: op, key: keys/id_test, knownHosts: keys/known_hosts}
        - name: host2
          address: 10.20.0.12
          ssh: {user: op, key: keys/id_test, knownHosts: keys/known_hosts}
      orderers:
        - {name: orderer, host: host1}
        - {name: orderer2, host: host2}
        - {name: orderer3, host: host1}
      peerOrgs:
        - name: Org1
          peers:
            - {name: peer0, host: host1}
      """;

  @TempDir Path dir;
  Path file;

  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void keys() throws Exception {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    for (String k : List.of("id_test", "known_hosts")) {
      Files.copy(Path.of(getClass().getResource("/inventories/keys/" + k).toURI()),
          keys.resolve(k));
    }
    file = dir.resolve("hosts.yml");
  }

  Path write(String text) throws Exception {
    Files.writeString(file, text);
    return file;
  }

  Run render(Path inventory) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = RaftswarmCommand.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("render", "-i", inventory.toString(), "-o",
        dir.resolve("out").toString());
    return new Run(code, out.toString(), err.toString());
  }

  static Problem only(Path inventory) {
    try {
      InventoryLoader.load(inventory);
    } catch (InventoryException e) {
      assertThat(e.problems()).hasSize(1);
      return e.problems().get(0);
    }
    throw new AssertionError("the inventory was accepted");
  }

  @Test
  void the_unmodified_base_inventory_is_valid() throws Exception {
    assertThat(InventoryLoader.load(write(VALID)).hosts()).hasSize(2);
  }

  // ---- 7: control characters are escaped in messages ---------------------------------------

  @Test
  void when_names_hold_newlines_or_ansi_escapes_then_errors_show_them_escaped() throws Exception {
    Path inv = write(VALID
        .replace("- name: host2", "- name: \"host2\\e[31m\\nerror: forged\"")
        .replace("address: 10.20.0.11", "address: 10.20.0.11\n    \"ad\\u202Edress\\r\": x"));
    Run r = render(inv);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).doesNotContain("\u001b", "\r", "\u202e")
        .contains("hosts[1].name: 'host2\\u001b[31m\\nerror: forged' is not valid")
        .contains("hosts[0].ad\\u202edress\\r: unknown field");
    assertThat(r.err().lines()).noneMatch(l -> l.startsWith("error: forged"));
  }

}
