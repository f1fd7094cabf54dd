package io.raftswarm.swarm.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.swarm.cli.RaftswarmCommand;
import io.raftswarm.swarm.error.UserError;
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

  // ---- 3: IPv6 ------------------------------------------------------------------------------

  @Test
  void when_a_host_address_is_ipv6_then_it_is_refused_at_its_line() throws Exception {
    for (String address : List.of("fd00::11", "\"::1\"", "\"[::1]\"", "fe80::1%eth0")) {
      Problem p = only(write(VALID.replace("address: 10.20.0.12", "address: " + address)));
      assertThat(p.line()).isEqualTo(6);
      assertThat(p.field()).isEqualTo("hosts[1].address");
      assertThat(p.toString()).as(address).contains("is an IPv6 address; raftswarm supports IPv4"
          + " only").contains("expected an IPv4 address or a host name");
    }
  }

  // ---- 4: default port on the SSH port -------------------------------------------------------

  @Test
  void when_a_default_port_is_the_ssh_port_then_the_node_and_host_are_named() throws Exception {
    Path inv = write(VALID.replace("ssh: {user: op, key: keys/id_test, knownHosts:"
        + " keys/known_hosts}\n  - name: host2", "ssh: {user: op, port: 7050, key: keys/id_test,"
        + " knownHosts: keys/known_hosts}\n  - name: host2"));
    Problem p = only(inv);
    assertThat(p.line()).isEqualTo(9);
    assertThat(p.field()).isEqualTo("orderers[0].port");
    assertThat(p.toString()).contains("the default port 7050 of orderer.example.com is the SSH"
        + " port of host host1 (ssh.port on line 4)").contains("an explicit port:");
  }

  @Test
  void when_a_default_operations_port_is_the_ssh_port_then_it_is_refused_too() throws Exception {
    Problem p = only(write(VALID.replace("address: 10.20.0.12\n    ssh: {user: op,",
        "address: 10.20.0.12\n    ssh: {user: op, port: 8443,")));
    assertThat(p.field()).isEqualTo("orderers[1].operationsPort");
    assertThat(p.toString()).contains("the default operationsPort 8443 of orderer2.example.com"
        + " is the SSH port of host host2 (ssh.port on line 7)");
  }

  @Test
  void an_ssh_port_no_default_reaches_is_fine() throws Exception {
    Inventory inv = InventoryLoader.load(write(VALID.replace("{user: op, key",
        "{user: op, port: 2222, key")));
    assertThat(inv.host("host1").ssh().port()).isEqualTo(2222);
    assertThat(inv.orderers().get(0).port()).isEqualTo(7050);
  }

  @Test
  void when_an_inventory_declares_thousands_of_nodes_then_it_is_refused_before_render() throws Exception {
    StringBuilder orderers = new StringBuilder("orderers:\n");
    for (int i = 1; i <= InventoryLoader.MAX_ORDERERS + 1; i++) {
      orderers.append("  - {name: o").append(i).append(", host: host1, port: ").append(10000 + i)
          .append(", operationsPort: ").append(20000 + i).append("}\n");
    }
    String text = VALID.replaceAll("(?s)orderers:.*?peerOrgs:", orderers + "peerOrgs:");
    Problem p = only(write(text));
    assertThat(p.field()).isEqualTo("orderers");
    assertThat(p.toString()).contains((InventoryLoader.MAX_ORDERERS + 1) + " orderers given")
        .contains("at most " + InventoryLoader.MAX_ORDERERS + " orderers");
    Run r = render(file);
    assertThat(r.exitCode()).isNotZero();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  // ---- 5: size and parser limits --------------------------------------------------------------

  @Test
  void when_the_file_is_over_1_mib_then_it_is_refused_before_parsing() throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(VALID.getBytes(StandardCharsets.UTF_8));
      byte[] comment = ("# " + "x".repeat(1021) + "\n").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 20 * 1024; i++) { // 20 MiB, the size from the issue
        out.write(comment);
      }
    }
    long started = System.nanoTime();
    Run r = render(file);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(5);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: inventory " + file + " is 20.0 MiB (" + Files.size(file) + " bytes)")
        .contains("may be at most 1 MiB (1048576 bytes)");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void a_file_of_exactly_1_mib_is_still_read() throws Exception {
    StringBuilder sb = new StringBuilder(VALID);
    while (sb.length() < InventoryText.MAX_BYTES - 1) {
      sb.append('#');
    }
    sb.append('\n');
    assertThat(sb.length()).isEqualTo(InventoryText.MAX_BYTES);
    assertThat(InventoryLoader.load(write(sb.toString())).orderers()).hasSize(3);
  }

  @Test
  void when_nesting_is_too_deep_then_the_limit_is_named() throws Exception {
    String deep = "[".repeat(100) + "]".repeat(100);
    assertThatThrownBy(() -> InventoryLoader.load(write(VALID + "extra: " + deep + "\n")))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining(": (yaml): cannot be read: Nesting Depth exceeded max 20")
        .hasMessageContaining("at most 20 levels of nesting");
  }

  @Test
  void an_alias_bomb_under_the_limit_is_never_expanded() throws Exception {
    // 9^12 values if expanded; the loader only walks the keys it knows, so it stays cheap
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [")
          .append(("*a" + (i - 1) + ", ").repeat(8)).append("*a").append(i - 1).append("]\n");
    }
    bomb.append("channels: [*a11, *a11]\n");
    assertThatThrownBy(() -> InventoryLoader.load(write(VALID + bomb)))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("a0: unknown field")
        .hasMessageContaining("channels[0]: is a list; expected a plain name");
  }

  @Test
  void an_anchor_for_a_shared_ssh_block_is_fine() throws Exception {
    Inventory inv = InventoryLoader.load(write(VALID
        .replaceFirst("ssh: \\{", "ssh: &ssh {")
        .replace("    ssh: {user: op, key: keys/id_test, knownHosts: keys/known_hosts}\norderers",
            "    ssh: *ssh\norderers")));
    assertThat(inv.host("host2").ssh()).isEqualTo(inv.host("host1").ssh());
    assertThat(Files.readString(file)).contains("ssh: *ssh");
  }

  @Test
  void when_aliases_to_collections_exceed_the_limit_then_it_is_named() throws Exception {
    String many = "more: &m [x]\nmany: [" + "*m, ".repeat(1200) + "*m]\n";
    assertThatThrownBy(() -> InventoryLoader.load(write(VALID + many)))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("aliases for non-scalar nodes exceeds the specified max=1000")
        .hasMessageContaining("1000 aliases to lists or mappings");
  }

  // ---- 6: encoding --------------------------------------------------------------------------

  @Test
  void when_a_byte_is_not_utf8_then_its_line_and_column_are_named() throws Exception {
    byte[] latin1 = VALID.replace("name: Org1", "name: Org1 # Société")
        .getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, latin1);
    Run r = render(file);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: " + file + ":13: (encoding): byte 0xe9 at column"
        + " 22 is not UTF-8").contains("save the file as UTF-8")
        .doesNotContain("MalformedInputException");
  }

  @Test
  void a_utf8_byte_order_mark_is_accepted() throws Exception {
    Files.write(file, ("\uFEFF" + VALID).getBytes(StandardCharsets.UTF_8));
    assertThat(InventoryLoader.load(file).hosts()).hasSize(2);
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

  @Test
  void a_raw_control_character_in_the_file_is_refused_at_its_line() throws Exception {
    Problem p = only(write(VALID.replace("name: Org1", "name: Org\u001b1")));
    assertThat(p.line()).isEqualTo(13);
    assertThat(p.toString()).contains("character U+001B at column 14 is not allowed in YAML");
  }

  // ---- 8: YAML syntax, directories ---------------------------------------------------------

  @Test
  void when_a_tab_indents_a_line_then_the_error_says_so() throws Exception {
    Problem p = only(write(VALID.replace("    address: 10.20.0.12", "\taddress: 10.20.0.12")));
    assertThat(p.line()).isEqualTo(6);
    assertThat(p.toString()).contains("not valid YAML at column 1")
        .contains("expected spaces, not tabs, for indentation");
  }

  @Test
  void when_the_syntax_error_is_not_about_tabs_then_tabs_are_not_mentioned() throws Exception {
    Problem p = only(write(VALID.replace("- {name: orderer2, host: host2}",
        "- {name: orderer2, host: host2")));
    assertThat(p.line()).isEqualTo(11);
    assertThat(p.toString()).contains("not valid YAML at column")
        .contains("while parsing a flow mapping on line 10")
        .doesNotContain("tab");

    Problem quote = only(write(VALID.replace("name: Org1", "name: \"Org1")));
    assertThat(quote.toString()).contains("found unexpected end of stream")
        .doesNotContain("tab");
  }

  @Test
  void when_the_inventory_is_a_directory_then_it_is_called_one() throws Exception {
    Run r = render(dir);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: inventory " + dir + " is a directory, not a file;")
        .doesNotContain("does not exist");
    assertThatThrownBy(() -> InventoryLoader.load(dir.resolve("nope.yml")))
        .isInstanceOf(UserError.class).hasMessageContaining("does not exist");
  }

  @Test
  void when_ssh_key_is_a_directory_then_it_is_called_one() throws Exception {
    Path inv = write(VALID.replace("key: keys/id_test, knownHosts: keys/known_hosts}\n  - name:"
        + " host2", "key: keys, knownHosts: keys/known_hosts}\n  - name: host2"));
    Problem p = only(inv);
    assertThat(p.field()).isEqualTo("hosts[0].ssh.key");
    assertThat(p.toString()).contains("SSH private key " + dir.resolve("keys")
        + " is a directory, not a file").doesNotContain("does not exist");
    assertThat(InventoryLoader.loadForRender(inv).warnings())
        .anySatisfy(w -> assertThat(w).contains("is a directory, not a file"));
  }
}
