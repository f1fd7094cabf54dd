package io.raftswarm.swarm.inventory;

import io.raftswarm.swarm.error.UserText;
import java.util.Objects;

/**
 * One thing wrong with an inventory, located precisely enough to fix it without searching:
 * {@code hosts.yml:12: hosts[1].address: '10.0.0.300' is not an IPv4/IPv6 address or host name;
 * expected e.g. 192.168.0.12 or host2.lan}.
 *
 * @param file the inventory file name as the operator gave it
 * @param line 1-based line of the offending value (or of the section that lacks it)
 * @param field dotted path of the field, e.g. {@code peerOrgs[0].peers[1].host}
 * @param what what is wrong
 * @param expected what would be accepted; may be empty
 *
 * <p>Parts may hold text from the inventory as it was written (a key, a name); {@link
 * #toString()} escapes control characters in it (see {@link UserText}), so one problem is always
 * one line and a hostile inventory cannot write escape sequences to the terminal.
 */
public record Problem(String file, int line, String field, String what, String expected) {
  public Problem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(what, "what");
    expected = expected == null ? "" : expected;
    if (line < 1) {
      throw new IllegalArgumentException("line must be >= 1, was " + line);
    }
  }

  @Override
  public String toString() {
    return UserText.escape(file) + ":" + line + ": " + UserText.escape(field) + ": "
        + UserText.escape(what) + (expected.isEmpty() ? "" : "; expected "
        + UserText.escape(expected));
  }
}
