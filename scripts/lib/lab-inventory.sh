# Writes the lab's inventory (sourced by scripts/lab; format: inventory/README.md and
# inventory/two-hosts.yml). With 2 hosts the layout is the seeds' (host1: orderer, orderer2,
# orderer5, orderer7, peer0/peer1.org1; host2: orderer3, orderer4, orderer6, peer0/peer1.org2);
# with another number of hosts orderers and peers are spread round-robin. LAB_LAYOUT_HOSTS=K
# places the nodes as on a K-host lab while listing every host (lab-join-test starts 3 hosts
# with the seeds' 2-host layout and grows onto host3 later).
# shellcheck shell=bash

# Host (hostK) of the i-th (1-based) of the seven orderers on an n-host lab.
lab_orderer_host() {
  local i=$1 n=$2
  if [ "$n" -eq 2 ]; then
    case "$i" in 1|2|5|7) echo host1 ;; *) echo host2 ;; esac
  else
    echo "host$(( (i - 1) % n + 1 ))"
  fi
}

# Host of peer p (0/1) of org o (1/2).
lab_peer_host() {
  local o=$1 p=$2 n=$3
  if [ "$n" -le 2 ]; then
    echo "host$(( (o - 1) % n + 1 ))"
  else
    echo "host$(( (2 * (o - 1) + p) % n + 1 ))"
  fi
}

# write_lab_inventory FILE host1 host2 ...
write_lab_inventory() {
  local file=$1; shift
  local hosts=("$@") n=$# h i o p
  local layout=${LAB_LAYOUT_HOSTS:-$n}
  local tmp="$file.tmp"
  {
    cat <<TXT
# raftswarm inventory for the local lab, written by \`scripts/lab up --hosts $n\` (LAB_NAME=$LAB_NAME).
# Every lab host is a network namespace with its own dockerd and sshd on this machine;
# \`scripts/lab down\` removes them (and this file).
network:
  name: first-network
TXT
    # The lab's hosts share this machine's kernel: cap TCP's retransmission backoff where it can
    # (Linux 6.15+), so Raft traffic resumes within 1 s of a healed partition (docs/DRILLS.md).
    # LAB_TCP_RTO_MAX= (empty) leaves the kernel's default, for before/after comparisons.
    local rto=${LAB_TCP_RTO_MAX-1s}
    if [ -n "$rto" ] && [ -e /proc/sys/net/ipv4/tcp_rto_max_ms ]; then
      echo "  tcpRtoMax: $rto"
    fi
    cat <<TXT

hosts:
TXT
    for h in "${hosts[@]}"; do
      cat <<TXT
  - name: $h
    address: $(host_addr "$h")
    ssh:
      user: root
      port: 22
      key: $LAB_KEY
      knownHosts: $KNOWN_HOSTS
    workDir: $(host_var "$h")/work
    dockerSocket: $(host_sock "$h")
TXT
      # As in the seeds, host2 joins with the manager token: compose on a Swarm worker does not
      # see the attachable overlay network, so every host the layout places nodes on is a manager.
      if [ "${h#host}" -le "$layout" ]; then echo "    manager: true"; fi
    done
    cat <<TXT

ordererOrg:
  name: OrdererOrg
  domain: example.com
  mspId: OrdererMSP

orderers:
TXT
    local names=(orderer orderer2 orderer3 orderer4 orderer5 orderer6 orderer7)
    # Published ports of the seeds' host1.yaml/host2.yaml; with another layout the loader assigns them.
    local seed_ports=(7050 9050 7050 9050 8050 8050 10050)
    for i in 1 2 3 4 5 6 7; do
      printf '  - {name: %s, host: %s%s}\n' "${names[$((i - 1))]}" "$(lab_orderer_host "$i" "$layout")" \
        "$([ "$layout" -eq 2 ] && printf ', port: %s' "${seed_ports[$((i - 1))]}")"
    done
    cat <<TXT

peerOrgs:
TXT
    for o in 1 2; do
      cat <<TXT
  - name: Org$o
    domain: org$o.example.com
    mspId: Org${o}MSP
    users: 1
    peers:
TXT
      for p in 0 1; do
        printf '      - {name: peer%s, host: %s%s}\n' "$p" "$(lab_peer_host "$o" "$p" "$layout")" \
          "$([ "$layout" -eq 2 ] && printf ', port: %s' "$(( 7051 + 1000 * (2 * (o - 1) + p) ))")"
      done
    done
    cat <<TXT

channels: [mychannel]

raft:
  TickInterval: 100ms
  ElectionTick: 10
  HeartbeatTick: 1
  MaxInflightBlocks: 5
  SnapshotIntervalSize: 16 MB

batch:
  BatchTimeout: 2s
  MaxMessageCount: 10
  AbsoluteMaxBytes: 99 MB
  PreferredMaxBytes: 512 KB

images:
  orderer: raftswarm/orderer:latest
  peer: raftswarm/peer:latest
  # Built by scripts/build-images; provision ships them over SSH and runs docker load.
  ordererTar: $RAFTSWARM_ROOT/orderer-image/target/jib-image.tar
  peerTar: $RAFTSWARM_ROOT/peer-stub/target/jib-image.tar
TXT
  } > "$tmp"
  mv "$tmp" "$file"
}
