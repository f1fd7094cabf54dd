package io.raftswarm.swarm.drill.fault;

import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.CutLog;
import io.raftswarm.swarm.drill.clock.ProbeRecord;
import io.raftswarm.swarm.remote.RemoteShell;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell a host runs to cut itself off from the other hosts (or to heal), with probes across
 * the cut timed by the host's own clock, and the parser of what it prints. The probes make the
 * cut's instant provable: a TCP connect to each other host's Swarm gossip port (7946/tcp, which
 * every Swarm node listens on and provisioning's preflight requires open between hosts) just
 * before the rules change and then repeatedly until the new state shows. A refused connection
 * counts as open: what matters is whether packets cross, not whether something listens.
 *
 * <p>Needs {@code bash} (for /dev/tcp), coreutils {@code timeout} and GNU {@code date +%N} on
 * the host. Without them the rules still change; the probes just report nothing usable and the
 * instant falls back to the rule change's own times (see {@code FaultInstants}). Only lines the
 * script prints itself, prefixed {@code raftswarm-}, are parsed.
 */
final class CutScript {
  /** Docker Swarm's gossip port: listening on every node, open between hosts by requirement. */
  static final int PROBE_PORT = 7946;
  /**
   * A dropped SYN shows as no answer. A LAN answers in well under a millisecond, but the timeout
   * also covers starting bash on a possibly loaded host, and an open path misread as cut would
   * delay a heal's proof. The window never depends on it: a failed probe counts from its send.
   */
  static final String PROBE_TIMEOUT = "1";
  /** Probes after the change, per target, before giving up on seeing its effect (bounded well within the command timeout). */
  static final int CUT_TRIES = 25;
  static final int HEAL_TRIES = 30;

  /**
   * One probe: "ok" when packets cross — the connection opens or is refused (a RST came back);
   * "fail" when they do not — no answer within the timeout (a DROP on either side; seen in the
   * lab for both chains) or another error (a local OUTPUT DROP may fail connect() with EPERM).
   */
  private static final String PROBE_FN = "rs_probe() { s=$(date +%s.%N); "
      + "e=$(timeout " + PROBE_TIMEOUT + " bash -c 'exec 3<>\"/dev/tcp/$0/$1\"' \"$2\" \"$3\" 2>&1); c=$?; "
      + "d=$(date +%s.%N); if [ \"$c\" -eq 0 ]; then r=ok; else case \"$e\" in *refused*) r=ok ;; *) r=fail ;; esac; fi; "
      + "echo \"raftswarm-probe $1 $2:$3 $s $d $r\"; [ \"$r\" = ok ]; }";
  private static final String STAMP_FROM = "echo \"raftswarm-rules-from $(date +%s.%N)\"";
  private static final String STAMP_TO = "echo \"raftswarm-rules-to $(date +%s.%N)\"";

  private CutScript() {}

  /** Where a probe connects: an address and a TCP port that is open there. */
  record Target(String address, int port) {
    static List<Target> gossip(List<String> hosts) {
      return hosts.stream().map(h -> new Target(h, PROBE_PORT)).toList();
    }

    String args() {
      return RemoteShell.quote(address) + " " + port;
    }
  }

  /**
   * The rules that cut {@code others} off, as iptables -S prints them (without the -A chain
   * prefix's command): INPUT and OUTPUT for the host's own traffic (Swarm's, the overlay's
   * VXLAN), FORWARD for its containers' traffic through published ports (the orderers' Raft and
   * forwarding across hosts), which the kernel routes past INPUT and OUTPUT.
   */
  static List<String> rules(List<String> others, String tag) {
    List<String> rules = new ArrayList<>();
    for (String addr : others) {
      rules.add("INPUT -s " + addr + " -m comment --comment " + tag + " -j DROP");
      rules.add("OUTPUT -d " + addr + " -m comment --comment " + tag + " -j DROP");
      rules.add("FORWARD -s " + addr + " -m comment --comment " + tag + " -j DROP");
      rules.add("FORWARD -d " + addr + " -m comment --comment " + tag + " -j DROP");
    }
    return rules;
  }

  /**
   * The rule that drops everything a network namespace sends except on loopback (a one-way
   * blackhole: it still receives).
   */
  static List<String> outgoingRules(String tag) {
    return List.of("OUTPUT ! -o lo -m comment --comment " + tag + " -j DROP");
  }

  /**
   * The rules that drop everything a network namespace sends or receives except on loopback: its
   * process runs on, cut off from every other node (and from the operator's probes).
   */
  static List<String> isolationRules(String tag) {
    return List.of("OUTPUT ! -o lo -m comment --comment " + tag + " -j DROP",
        "INPUT ! -i lo -m comment --comment " + tag + " -j DROP");
  }

  /** Probe each other host (expect success), insert the DROP rules, probe until each fails. */
  static String isolate(String iptables, List<String> others, String tag) {
    return cut(iptables, rules(others, tag), Target.gossip(others));
  }

  /** Probe each target (expect success), insert {@code rules} (iptables -S form), probe until each fails. */
  static String cut(String iptables, List<String> rules, List<Target> targets) {
    StringBuilder s = new StringBuilder(PROBE_FN).append('\n');
    for (Target t : targets) {
      s.append("rs_probe before ").append(t.args()).append(" || true\n");
    }
    s.append(STAMP_FROM).append('\n');
    for (String rule : rules) {
      s.append(iptables).append("-I");
      for (String token : rule.split(" ")) {
        s.append(' ').append(token.matches("[A-Za-z0-9_./:!-]+") ? token : RemoteShell.quote(token));
      }
      s.append(" || exit 3\n");
    }
    s.append(STAMP_TO).append('\n');
    s.append("rs_cut() { n=0; while rs_probe after \"$1\" \"$2\"; do n=$((n+1)); [ \"$n\" -ge ")
        .append(CUT_TRIES).append(" ] && break; sleep 0.02; done; }\n");
    inParallel(s, "rs_cut", targets);
    return s.toString();
  }

  /** Probe each other host (expect failure), remove the tagged rules, probe until each answers. */
  static String reconnect(String iptables, List<String> others, String tag) {
    return restore(iptables, Target.gossip(others), tag);
  }

  /** Probe each target (expect failure), remove the tagged rules, probe until each answers. */
  static String restore(String iptables, List<Target> targets, String tag) {
    StringBuilder s = new StringBuilder(PROBE_FN).append('\n');
    // in parallel: each failing probe waits out its timeout
    s.append("rs_was() { rs_probe before \"$1\" \"$2\" || true; }\n");
    inParallel(s, "rs_was", targets);
    s.append(STAMP_FROM).append('\n');
    s.append(remove(iptables, tag)).append('\n');
    s.append(STAMP_TO).append('\n');
    s.append("rs_heal() { n=0; until rs_probe after \"$1\" \"$2\"; do n=$((n+1)); [ \"$n\" -ge ")
        .append(HEAL_TRIES).append(" ] && break; sleep 0.02; done; }\n");
    inParallel(s, "rs_heal", targets);
    return s.toString();
  }

  /** Only removes the tagged rules (the safety net: no probes, as fast as possible). */
  static String remove(String iptables, String tag) {
    return "for c in INPUT OUTPUT FORWARD; do " + iptables + "-S \"$c\" | grep -- '--comment " + tag
        + "' | sed 's/^-A //' | while read -r rule; do echo \"raftswarm-rule-change $(date +%s.%N)\"; " + iptables
        + "-D $rule && echo \"raftswarm-removed -A $rule\"; done; done";
  }

  private static void inParallel(StringBuilder s, String fn, List<Target> targets) {
    for (Target t : targets) {
      s.append(fn).append(' ').append(t.args()).append(" & ");
    }
    s.append("wait\n");
  }

  /** The rules a removal printed, as "-A CHAIN …". */
  static List<String> removed(String stdout) {
    return stdout.lines().map(String::strip).filter(l -> l.startsWith("raftswarm-removed "))
        .map(l -> l.substring("raftswarm-removed ".length())).toList();
  }

  static CutLog parse(String host, CommandSpan command, String stdout, List<String> rules) {
    Instant from = null;
    Instant to = null;
    Instant lastRule = null;
    List<ProbeRecord> probes = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (String line : stdout.lines().map(String::strip).toList()) {
      String[] f = line.split("\\s+");
      try {
        switch (f[0]) {
          case "raftswarm-rules-from" -> from = hostTime(f[1]);
          case "raftswarm-rules-to" -> to = hostTime(f[1]);
          case "raftswarm-rule-change" -> lastRule = hostTime(f[1]);
          case "raftswarm-probe" -> {
            if (f.length != 6) {
              throw new IllegalArgumentException("expected 6 fields");
            }
            probes.add(new ProbeRecord(f[1], f[2], hostTime(f[3]), hostTime(f[4]), f[5].equals("ok")));
          }
          default -> { } // not ours
        }
      } catch (RuntimeException e) {
        unreadable.add(line);
      }
    }
    List<String> changed = rules.isEmpty() ? removed(stdout) : rules;
    return new CutLog(host, command, from, to, lastRule, probes, changed, unreadable);
  }

  /** {@code date +%s.%N} output: seconds and nine digits of nanoseconds. */
  static Instant hostTime(String s) {
    int dot = s.indexOf('.');
    if (dot < 1 || s.length() - dot - 1 != 9) {
      throw new IllegalArgumentException("not seconds.nanoseconds: " + s);
    }
    return Instant.ofEpochSecond(Long.parseLong(s.substring(0, dot)), Long.parseLong(s.substring(dot + 1)));
  }
}
