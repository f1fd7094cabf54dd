package io.raftswarm.swarm.drill.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftswarm.swarm.drill.clock.CommandSpan;
import io.raftswarm.swarm.drill.clock.CutLog;
import io.raftswarm.swarm.drill.clock.ProbeRecord;
import io.raftswarm.swarm.network.HostAccess;
import io.raftswarm.swarm.network.NetworkProfile;
import io.raftswarm.swarm.remote.RemoteHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultInjectorTest {
  @TempDir Path dir;
  private final FakeContainers containers = new FakeContainers();

  private static NetworkProfile profile() {
    List<NetworkProfile.NodeEntry> nodes = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      String name = (i == 1 ? "orderer" : "orderer" + i) + ".example.com";
      String host = i <= 4 ? "host1" : "host2";
      nodes.add(new NetworkProfile.NodeEntry(name, "orderer", "OrdererOrg", "OrdererMSP", host,
          name + ":7050", "10.77.0." + (i <= 4 ? 1 : 2) + ":" + (7050 + i), "10.77.0.1:" + (8443 + i),
          "/tmp/ca.pem", i, "10.201.252." + (9 + i)));
    }
    nodes.add(new NetworkProfile.NodeEntry("peer0.org1.example.com", "peer", "Org1", "Org1MSP", "host1",
        "peer0.org1.example.com:7051", "10.77.0.1:7051", "10.77.0.1:9443", "/tmp/ca.pem", 0));
    return new NetworkProfile("first-network", "example.com", "/tmp/crypto", List.of("mychannel"),
        List.of(new HostAccess("host1", "10.77.0.1", true, "/w1", "/run/lab/host1/docker.sock", null),
            new HostAccess("host2", "10.77.0.2", false, "/w2", "/run/lab/host2/docker.sock", null),
            new HostAccess("host3", "10.77.0.3", false, "/w3")),
        nodes);
  }

  private FaultInjector injector(FakeHostsShell shell) {
    return new FaultInjector(shell, containers, profile(), Clock.systemUTC());
  }

  @Test
  void isolate_inserts_tagged_drop_rules_both_ways_for_every_other_host_inside_the_isolated_host() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);

    injector(shell).isolate("host2");

    // FORWARD too: the containers' traffic through published ports (orderers across hosts) never passes INPUT/OUTPUT
    assertThat(shell.rules("host2")).containsExactlyInAnyOrder(
        "-A INPUT -s 10.77.0.1 -m comment --comment raftswarm-drill -j DROP",
        "-A OUTPUT -d 10.77.0.1 -m comment --comment raftswarm-drill -j DROP",
        "-A FORWARD -s 10.77.0.1 -m comment --comment raftswarm-drill -j DROP",
        "-A FORWARD -d 10.77.0.1 -m comment --comment raftswarm-drill -j DROP",
        "-A INPUT -s 10.77.0.3 -m comment --comment raftswarm-drill -j DROP",
        "-A OUTPUT -d 10.77.0.3 -m comment --comment raftswarm-drill -j DROP",
        "-A FORWARD -s 10.77.0.3 -m comment --comment raftswarm-drill -j DROP",
        "-A FORWARD -d 10.77.0.3 -m comment --comment raftswarm-drill -j DROP");
    assertThat(shell.rules("host1")).isEmpty();
  }

  @Test
  void heal_removes_exactly_the_tagged_rules_and_leaves_others_alone() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    shell.addRule("host2", "-A INPUT -s 10.9.9.9 -j DROP");
    shell.addRule("host2", "-A OUTPUT -d 10.9.9.9 -m comment --comment operator-rule -j DROP");
    FaultInjector faults = injector(shell);
    faults.isolate("host2");

    List<String> healed = faults.heal();

    assertThat(shell.rules("host2")).containsExactlyInAnyOrder(
        "-A INPUT -s 10.9.9.9 -j DROP",
        "-A OUTPUT -d 10.9.9.9 -m comment --comment operator-rule -j DROP");
    assertThat(healed).hasSize(8).allSatisfy(h -> assertThat(h).startsWith("host2: removed -A "));
    assertThat(faults.damage().get("isolated")).isEmpty();
    assertThat(faults.heal()).isEmpty(); // idempotent
  }

  @Test
  void when_the_ssh_user_is_not_root_then_iptables_runs_through_sudo() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, false);

    injector(shell).isolate("host1");

    assertThat(shell.commands).anySatisfy(c -> assertThat(c).contains("sudo -n iptables -w -I INPUT"));
    assertThat(shell.rules("host1")).hasSize(8);
  }

  @Test
  void kill_goes_to_the_nodes_host_and_heal_starts_the_killed_container() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    FaultInjector faults = injector(shell);
    NetworkProfile.NodeEntry o5 = profile().node("orderer5").orElseThrow();

    CommandSpan span = faults.kill(o5);
    assertThat(faults.damage().get("down")).containsExactly("orderer5.example.com");
    faults.heal();

    assertThat(containers.log("host2")).containsExactly("kill orderer5.example.com", "start orderer5.example.com");
    assertThat(containers.log("host1")).isEmpty();
    assertThat(span.command()).isEqualTo("docker kill --signal KILL orderer5.example.com");
    assertThat(shell.commands).as("containers are never driven through a shell").isEmpty();
    assertThat(faults.damage().get("down")).isEmpty();
  }

  @Test
  void stop_all_issues_one_command_per_host() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    FaultInjector faults = injector(shell);

    faults.stopAll(profile().nodes());

    assertThat(containers.log("host1")).singleElement().asString()
        .startsWith("stop -t 10 orderer.example.com orderer2")
        .endsWith("peer0.org1.example.com");
    assertThat(containers.log("host2")).singleElement().asString().contains("orderer5", "orderer6", "orderer7");
    assertThat(faults.damage().get("down")).hasSize(8);
  }

  @Test
  void heal_everything_starts_only_network_containers_that_are_not_running() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    containers.running("host1", "orderer.example.com", "orderer2.example.com", "orderer4.example.com",
        "peer0.org1.example.com", "unrelated");
    containers.exited("host1", "orderer3.example.com", "stopped-unrelated");
    containers.running("host2", "orderer5.example.com", "orderer6.example.com", "orderer7.example.com");
    shell.addRule("host2", "-A INPUT -s 10.77.0.1 -m comment --comment raftswarm-drill -j DROP");

    List<String> done = injector(shell).healEverything();

    assertThat(done).containsExactlyInAnyOrder(
        "host2: removed -A INPUT -s 10.77.0.1 -m comment --comment raftswarm-drill -j DROP",
        "host1: started orderer3.example.com");
    assertThat(containers.log("host1")).containsExactly("start orderer3.example.com");
    assertThat(containers.log("host2")).isEmpty();
    assertThat(shell.rules("host2")).isEmpty();
    assertThat(shell.commands).noneMatch(c -> c.contains("docker"));
  }

  @Test
  void a_failing_container_call_is_reported_with_host_and_the_engines_answer() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    containers.killFails = "kill orderer3.example.com: Status 409: Container abc is not running";

    assertThatThrownBy(() -> injector(shell).kill(profile().node("orderer3").orElseThrow()))
        .isInstanceOf(RemoteHostException.class)
        .hasMessageContaining("kill -9 orderer3.example.com failed on host1")
        .hasMessageContaining("is not running");
  }

  @Test
  void isolate_probes_each_other_host_before_and_after_the_rules_and_reports_host_clock_times() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);

    CutLog log = injector(shell).isolate("host2");

    assertThat(log.host()).isEqualTo("host2");
    assertThat(log.targets()).containsExactlyInAnyOrder("10.77.0.1:7946", "10.77.0.3:7946");
    assertThat(log.rulesFrom()).isNotNull();
    assertThat(log.rulesTo()).isAfterOrEqualTo(log.rulesFrom());
    for (String target : log.targets()) {
      List<ProbeRecord> mine = log.probes().stream().filter(p -> p.target().equals(target)).toList();
      assertThat(mine.get(0)).matches(p -> p.before() && p.ok(), "a successful probe before the cut");
      assertThat(mine.get(0).done()).isBeforeOrEqualTo(log.rulesFrom());
      assertThat(mine.get(1)).matches(p -> !p.before() && !p.ok(), "a failed probe after the cut");
      assertThat(mine.get(1).sent()).isAfterOrEqualTo(log.rulesTo());
      assertThat(mine).hasSize(2); // probing stops at the first failure
    }
    assertThat(log.rules()).hasSize(8).allSatisfy(r -> assertThat(r).startsWith("-A ").contains("raftswarm-drill"));
    assertThat(log.unreadable()).isEmpty();
    assertThat(shell.probes("host1")).isEmpty();
  }

  @Test
  void reconnect_removes_the_rules_and_probes_until_the_other_hosts_answer() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    FaultInjector faults = injector(shell);
    faults.isolate("host2");

    CutLog log = faults.reconnect("host2");

    assertThat(shell.rules("host2")).isEmpty();
    assertThat(log.rules()).hasSize(8);
    assertThat(log.lastRuleFrom()).isNotNull().isBetween(log.rulesFrom(), log.rulesTo());
    assertThat(log.probes()).filteredOn(ProbeRecord::before).hasSize(2).noneMatch(ProbeRecord::ok);
    assertThat(log.probes()).filteredOn(p -> !p.before()).hasSize(2).allMatch(ProbeRecord::ok);
    assertThat(faults.damage().get("isolated")).isEmpty();
  }

  @Test
  void on_a_host_without_the_probe_tools_the_cut_still_happens() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    shell.probe = "missing";

    CutLog log = injector(shell).isolate("host2");

    assertThat(shell.rules("host2")).hasSize(8);
    assertThat(log.probes()).noneMatch(ProbeRecord::ok);
  }

  @Test
  void a_refused_connection_counts_as_open_and_a_timeout_as_cut() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    shell.probe = "refused"; // nothing listens, but packets cross
    CutLog refused = injector(shell).isolate("host2");
    shell.probe = "timeout"; // nothing comes back
    CutLog dropped = injector(shell).isolate("host3");

    assertThat(refused.probes()).allMatch(ProbeRecord::ok);
    assertThat(dropped.probes()).noneMatch(ProbeRecord::ok);
  }

  @Test
  void pause_and_unpause_use_the_hosts_docker_and_heal_thaws_a_paused_container() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    FaultInjector faults = injector(shell);
    NetworkProfile.NodeEntry o6 = profile().node("orderer6").orElseThrow();

    CommandSpan span = faults.pause(o6);
    assertThat(faults.damage().get("paused")).containsExactly("orderer6.example.com");
    assertThat(faults.heal()).containsExactly("host2: unpaused orderer6.example.com");

    assertThat(span.command()).isEqualTo("docker pause orderer6.example.com");
    assertThat(span.returned()).isAfterOrEqualTo(span.issued());
    assertThat(containers.log("host2")).containsExactly("pause orderer6.example.com", "unpause orderer6.example.com");
    assertThat(faults.damage().get("paused")).isEmpty();
  }

  @Test
  void heal_everything_unpauses_paused_network_containers_instead_of_starting_them() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    containers.running("host1", "orderer.example.com", "orderer2.example.com", "orderer3.example.com",
        "orderer4.example.com", "peer0.org1.example.com");
    containers.running("host2", "orderer6.example.com", "orderer7.example.com");
    containers.paused("host2", "orderer5.example.com", "unrelated");

    List<String> done = injector(shell).healEverything();

    assertThat(done).containsExactly("host2: unpaused orderer5.example.com");
    assertThat(containers.log("host2")).containsExactly("unpause orderer5.example.com");
    assertThat(containers.log("host1")).isEmpty();
  }

  @Test
  void blackhole_drops_what_the_container_sends_inside_its_own_network_and_probes_the_other_orderers()
      throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    containers.running("host2", "orderer5.example.com", "orderer6.example.com", "orderer7.example.com");
    FaultInjector faults = injector(shell);
    NetworkProfile.NodeEntry victim = profile().node("orderer5").orElseThrow();

    CutLog log = faults.blackholeOutgoing(victim);

    assertThat(shell.rules("host2.ns4242"))
        .containsExactly("-A OUTPUT ! -o lo -m comment --comment raftswarm-drill -j DROP");
    assertThat(shell.rules("host2")).as("the host's own rules are untouched").isEmpty();
    assertThat(shell.commands).as("the namespace of the pid the engine reported").singleElement().asString()
        .startsWith("host2: nsenter -t 4242 -n bash -c ");
    assertThat(log.targets()).hasSize(6).contains("10.201.252.10:7050").doesNotContain("10.201.252.14:7050");
    for (String target : log.targets()) {
      List<ProbeRecord> mine = log.probes().stream().filter(p -> p.target().equals(target)).toList();
      assertThat(mine.get(0)).matches(p -> p.before() && p.ok(), "a successful probe before the blackhole");
      assertThat(mine.get(1)).matches(p -> !p.before() && !p.ok(), "a failed probe after it");
    }
    assertThat(faults.damage().get("blackholed")).containsExactly("orderer5.example.com");

    CutLog restored = faults.restoreContainer(victim);

    assertThat(shell.rules("host2.ns4242")).isEmpty();
    assertThat(restored.probes()).filteredOn(p -> !p.before()).hasSize(6).allMatch(ProbeRecord::ok);
    assertThat(faults.damage().get("blackholed")).isEmpty();
  }

  @Test
  void isolating_a_container_drops_both_ways_inside_its_own_network_and_restoring_removes_both_rules()
      throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    containers.running("host2", "orderer5.example.com", "orderer6.example.com", "orderer7.example.com");
    FaultInjector faults = injector(shell);
    NetworkProfile.NodeEntry victim = profile().node("orderer5").orElseThrow();

    CutLog log = faults.isolateContainer(victim);

    assertThat(shell.rules("host2.ns4242")).containsExactlyInAnyOrder(
        "-A OUTPUT ! -o lo -m comment --comment raftswarm-drill -j DROP",
        "-A INPUT ! -i lo -m comment --comment raftswarm-drill -j DROP");
    assertThat(shell.rules("host2")).as("the host's own rules are untouched").isEmpty();
    assertThat(log.probes()).filteredOn(p -> !p.before()).isNotEmpty().noneMatch(ProbeRecord::ok);
    assertThat(faults.damage().get("blackholed")).containsExactly("orderer5.example.com");

    faults.restoreContainer(victim);

    assertThat(shell.rules("host2.ns4242")).isEmpty();
    assertThat(faults.damage().get("blackholed")).isEmpty();
  }

  @Test
  void heal_and_heal_everything_remove_a_blackhole_inside_a_running_container() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    containers.running("host2", "orderer5.example.com", "orderer6.example.com", "orderer7.example.com");
    NetworkProfile.NodeEntry victim = profile().node("orderer6").orElseThrow();
    FaultInjector faults = injector(shell);
    faults.blackholeOutgoing(victim);

    assertThat(faults.heal()).containsExactly(
        "host2: orderer6.example.com: removed -A OUTPUT ! -o lo -m comment --comment raftswarm-drill -j DROP");
    assertThat(shell.rules("host2.ns4242")).isEmpty();

    injector(shell).blackholeOutgoing(victim); // a drill that died without healing
    List<String> done = injector(shell).healEverything();

    assertThat(done).anyMatch(d -> d.contains(": removed -A OUTPUT ! -o lo -m comment --comment raftswarm-drill"));
    assertThat(shell.rules("host2.ns4242")).isEmpty();
  }

  @Test
  void blackholing_a_container_that_is_not_running_fails_with_a_clear_error() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);

    assertThatThrownBy(() -> injector(shell).blackholeOutgoing(profile().node("orderer5").orElseThrow()))
        .isInstanceOf(RemoteHostException.class)
        .hasMessageContaining("blackhole what orderer5.example.com sends failed on host2")
        .hasMessageContaining("orderer5.example.com is not running");
    assertThat(shell.commands).as("nothing runs without a pid to enter").isEmpty();
  }

  @Test
  void delay_puts_a_netem_under_the_drills_own_root_qdisc_for_the_other_hosts_only_and_undelay_removes_it()
      throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    FaultInjector faults = injector(shell);

    CutLog log = faults.delay("host2", java.time.Duration.ofMillis(150), java.time.Duration.ofMillis(50));

    assertThat(shell.tc("host2")).containsExactly(
        "tc qdisc add dev eth0 root handle 5253: prio bands 3 priomap 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
        "tc qdisc add dev eth0 parent 5253:3 handle 5254: netem delay 150ms 50ms distribution normal",
        "tc filter add dev eth0 parent 5253: protocol ip prio 1 u32 match ip dst 10.77.0.1/32 flowid 5253:3",
        "tc filter add dev eth0 parent 5253: protocol ip prio 1 u32 match ip dst 10.77.0.3/32 flowid 5253:3");
    assertThat(log.rulesFrom()).isNotNull();
    assertThat(log.rulesTo()).isAfterOrEqualTo(log.rulesFrom());
    assertThat(log.rules()).containsExactly("tc netem delay 150ms 50ms distribution normal on eth0 for 10.77.0.1,10.77.0.3");
    assertThat(faults.damage().get("delayed")).containsExactly("host2");

    CutLog undone = faults.undelay("host2");

    assertThat(shell.tc("host2")).last().isEqualTo("tc qdisc del dev eth0 root handle 5253:");
    assertThat(undone.rules()).containsExactly("tc netem removed on eth0");
    assertThat(faults.damage().get("delayed")).isEmpty();
  }

  @Test
  void a_root_qdisc_the_operator_set_up_is_neither_replaced_nor_removed() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    shell.rootQdisc("host2", "qdisc fq_codel 8001: root refcnt 2");
    FaultInjector faults = injector(shell);

    assertThatThrownBy(() -> faults.delay("host2", java.time.Duration.ofMillis(100), java.time.Duration.ZERO))
        .isInstanceOf(RemoteHostException.class).hasMessageContaining("delay what host2 sends");
    List<String> done = faults.healEverything();

    assertThat(done).noneMatch(d -> d.contains("tc"));
    assertThat(shell.tc("host2")).noneMatch(c -> c.contains(" del "));
  }

  @Test
  void on_a_kernel_without_netem_delay_queues_the_packets_for_the_other_hosts_to_a_helper_and_undelay_removes_both()
      throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    shell.noNetem = true;
    FaultInjector faults = injector(shell);

    CutLog log = faults.delay("host2", java.time.Duration.ofMillis(150), java.time.Duration.ofMillis(50));

    assertThat(shell.tc("host2")).as("the netem attempt leaves nothing behind").last()
        .isEqualTo("tc qdisc del dev eth0 root handle 5253:");
    assertThat(shell.rules("host2", "mangle")).containsExactly(
        "-A POSTROUTING -d 10.77.0.1/32 -m comment --comment raftswarm-drill-delay -j NFQUEUE --queue-num 5253 --queue-bypass",
        "-A POSTROUTING -d 10.77.0.3/32 -m comment --comment raftswarm-drill-delay -j NFQUEUE --queue-num 5253 --queue-bypass");
    assertThat(shell.rules("host2")).as("nothing in the filter table").isEmpty();
    assertThat(shell.helper("host2")).as("the helper's queue, delay and jitter").containsExactly("5253 150 50");
    assertThat(log.rulesFrom()).isNotNull();
    assertThat(log.rulesTo()).isAfterOrEqualTo(log.rulesFrom());
    assertThat(log.rules()).singleElement().asString()
        .startsWith("nfqueue delay 150ms ± 50ms for 10.77.0.1,10.77.0.3 (python3 helper, pid ");
    assertThat(shell.commands).noneMatch(c -> c.contains("python3") && c.startsWith("host1"));

    CutLog undone = faults.undelay("host2");

    assertThat(shell.rules("host2", "mangle")).isEmpty();
    assertThat(shell.helper("host2")).last().isEqualTo("stopped");
    assertThat(undone.rules()).contains("nfqueue delay helper stopped: held 42 packets, mean 151 ms, max 230 ms");
    assertThat(undone.rules()).filteredOn(r -> r.startsWith("nfqueue rule removed")).hasSize(2);
    assertThat(faults.damage().get("delayed")).isEmpty();
    assertThat(shell.tmpdir("host2")).as("the helper's pid and log are gone").isEmptyDirectory();
  }

  @Test
  void heal_everything_stops_a_delay_helper_left_by_a_drill_that_died() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    shell.noNetem = true;
    injector(shell).delay("host2", java.time.Duration.ofMillis(100), java.time.Duration.ZERO);

    List<String> done = injector(shell).healEverything();

    assertThat(shell.rules("host2", "mangle")).isEmpty();
    assertThat(shell.helper("host2")).last().isEqualTo("stopped");
    assertThat(done).anyMatch(d -> d.startsWith("host2: removed nfqueue delay helper stopped: held 42 packets"));
  }

  @Test
  void without_netem_nor_python3_delay_fails_saying_so_and_leaves_nothing_behind() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    shell.noNetem = true;
    shell.noPython = true;

    assertThatThrownBy(() -> injector(shell).delay("host2", java.time.Duration.ofMillis(150), java.time.Duration.ZERO))
        .isInstanceOf(RemoteHostException.class)
        .hasMessageContaining("on host2 (exit 3)")
        .hasMessageContaining("neither netem (CONFIG_NET_SCH_NETEM) nor python3")
        .hasMessageContaining("[nfqueue-delay.py]")
        .hasMessageNotContaining("def main()");
    assertThat(shell.tc("host2")).last().isEqualTo("tc qdisc del dev eth0 root handle 5253:");
    assertThat(shell.rules("host2", "mangle")).isEmpty();
    assertThat(shell.helper("host2")).isEmpty();
  }

  @Test
  void kill_all_issues_one_docker_kill_per_host() throws Exception {
    FakeHostsShell shell = new FakeHostsShell(dir, true);
    FaultInjector faults = injector(shell);

    faults.killAll(profile().orderers());

    assertThat(containers.log("host1")).containsExactly(
        "kill orderer.example.com orderer2.example.com orderer3.example.com orderer4.example.com");
    assertThat(containers.log("host2")).containsExactly("kill orderer5.example.com orderer6.example.com orderer7.example.com");
    assertThat(faults.damage().get("down")).hasSize(7);
  }
}
