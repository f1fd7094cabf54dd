package io.raftswarm.peer.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for Fabric's policy language (as {@code peer chaincode instantiate -P}):
 * <pre>
 *   policy    := principal | op '(' policy (',' policy)* ')' | 'OutOf' '(' int ',' policy (',' policy)* ')'
 *   op        := AND | OR            (case-insensitive, spaces allowed: "AND ('A.peer', 'B.peer')")
 *   principal := quoted 'MSPID.role' with role member|peer|admin|client|orderer
 * </pre>
 */
final class PolicyParser {
  private static final Set<String> ROLES = Set.of("member", "peer", "admin", "client", "orderer");
  private final String text;
  private int pos;

  PolicyParser(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("endorsement policy is empty; expected e.g. AND('Org1MSP.peer','Org2MSP.peer')");
    }
    this.text = text;
  }

  EndorsementPolicy parse() {
    EndorsementPolicy policy = policy();
    skipSpaces();
    if (pos != text.length()) {
      throw error("unexpected '" + text.substring(pos) + "' after the policy");
    }
    return policy;
  }

  private EndorsementPolicy policy() {
    skipSpaces();
    if (pos >= text.length()) {
      throw error("policy ends early");
    }
    char c = text.charAt(pos);
    if (c == '\'' || c == '"') {
      return principal();
    }
    String word = word();
    skipSpaces();
    expect('(');
    List<EndorsementPolicy> rules = new ArrayList<>();
    int n;
    switch (word.toLowerCase()) {
      case "and", "or" -> n = -1;
      case "outof" -> {
        n = integer();
        skipSpaces();
        expect(',');
      }
      default -> throw error("unknown operator '" + word + "' (expected AND, OR or OutOf)");
    }
    rules.add(policy());
    skipSpaces();
    while (pos < text.length() && text.charAt(pos) == ',') {
      pos++;
      rules.add(policy());
      skipSpaces();
    }
    expect(')');
    if (word.equalsIgnoreCase("and")) {
      n = rules.size();
    } else if (word.equalsIgnoreCase("or")) {
      n = 1;
    } else if (n > rules.size()) {
      throw error("OutOf(" + n + ", ...) lists only " + rules.size() + " rule(s)");
    }
    return new EndorsementPolicy.OutOf(n, rules);
  }

  private EndorsementPolicy principal() {
    char quote = text.charAt(pos++);
    int close = text.indexOf(quote, pos);
    if (close < 0) {
      throw error("unterminated principal");
    }
    String body = text.substring(pos, close);
    pos = close + 1;
    int dot = body.lastIndexOf('.');
    if (dot <= 0 || dot == body.length() - 1) {
      throw error("principal '" + body + "' must be MSPID.role, e.g. 'Org1MSP.peer'");
    }
    String role = body.substring(dot + 1).toLowerCase();
    if (!ROLES.contains(role)) {
      throw error("principal '" + body + "' has unknown role '" + role + "' (expected one of " + ROLES + ")");
    }
    return new EndorsementPolicy.Principal(body.substring(0, dot), role);
  }

  private String word() {
    int start = pos;
    while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("expected AND, OR, OutOf or a quoted principal");
    }
    return text.substring(start, pos);
  }

  private int integer() {
    skipSpaces();
    int start = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("OutOf needs a count first, e.g. OutOf(2, 'A.peer', 'B.peer', 'C.peer')");
    }
    return Integer.parseInt(text.substring(start, pos));
  }

  private void expect(char c) {
    skipSpaces();
    if (pos >= text.length() || text.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("invalid endorsement policy \"" + text + "\" at position " + pos + ": " + what);
  }
}
