package io.raftswarm.swarm.invite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.swarm.error.UserError;
import java.net.URI;
import org.junit.jupiter.api.Test;

class InviteLineTest {
  static final String TLS = "ab".repeat(32);
  static final String SHA = "0123456789abcdef".repeat(4);
  static final String TOKEN = "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx";

  static InviteLine line() {
    return new InviteLine("10.77.0.1:2377", TOKEN, URI.create("https://10.77.0.254:40123/Zx0_abc-DEF/host2.tar"), TLS, SHA);
  }

  @Test
  void format_then_parse_gives_the_same_line() {
    InviteLine l = line();
    String text = l.format();
    assertThat(text).isEqualTo("raftswarm join --manager 10.77.0.1:2377 --token " + TOKEN
        + " --bundle https://10.77.0.254:40123/Zx0_abc-DEF/host2.tar --tls-sha256 " + TLS + " --sha256 " + SHA);
    assertThat(InviteLine.parse(text)).isEqualTo(l);
    assertThat(l.host()).isEqualTo("host2");
  }

  @Test
  void parse_takes_any_order_equals_signs_a_script_path_and_openssl_fingerprints() {
    String colons = String.join(":", TLS.toUpperCase().split("(?<=\\G..)"));
    InviteLine parsed = InviteLine.parse("  scripts/raftswarm join --sha256=" + SHA + " --tls-sha256 " + colons
        + " --bundle https://10.77.0.254:40123/Zx0_abc-DEF/host2.tar --token " + TOKEN + " --manager 10.77.0.1:2377\n");
    assertThat(parsed).isEqualTo(line());
  }

  @Test
  void refuses_what_is_not_an_invite_line() {
    assertThatThrownBy(() -> InviteLine.parse(line().format().replace("https://", "http://")))
        .isInstanceOf(UserError.class).hasMessageContaining("--bundle");
    assertThatThrownBy(() -> InviteLine.parse(line().format().replace(TOKEN, "hunter2")))
        .isInstanceOf(UserError.class).hasMessageContaining("--token");
    assertThatThrownBy(() -> InviteLine.parse(line().format().replace(SHA, SHA.substring(1))))
        .isInstanceOf(UserError.class).hasMessageContaining("--sha256");
    assertThatThrownBy(() -> InviteLine.parse(line().format().replace(" --tls-sha256 " + TLS, "")))
        .isInstanceOf(UserError.class).hasMessageContaining("--tls-sha256");
    assertThatThrownBy(() -> InviteLine.parse(line().format() + " --manager"))
        .isInstanceOf(UserError.class).hasMessageContaining("no value");
  }
}
