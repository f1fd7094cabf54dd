<#-- One host's compose file. Model (built by io.raftswarm.swarm.render.ComposeFiles):
     inventory, network{name,subnet,tcpRtoMaxMs (only if the inventory sets network.tcpRtoMax)}, host{name,address,workDir,bundleDir},
     hostsFile{path (host path of the bundle's network/hosts)},
     placementFile{path (host path of the bundle's network/placement), containerPath},
     ordererMemory{limitMiB,xmxMiB,largestBlockMiB}, orderers[], peers[]; each
     node: fqdn, address (fixed, on the overlay), mspId, image, port, clusterPort, operationsPort, publishedPort,
     publishedOperationsPort, adminPort, publishedAdminPort (orderers), consenterId, mspDir, tlsDir, channelsDir, dataDir (host paths).
     Environment variables follow docs/CONTRACTS.md "Container environment". -->
# Rendered by `raftswarm render` from ${inventory} for ${host.name} (${host.address}).
# Do not edit: change the inventory and render again. Only ${host.name}'s containers are here;
# every host's containers meet on the attachable overlay network ${network.name}.
# Each container has a fixed address on it (${network.subnet}), so a restarted one keeps its address.
# Orderers listen on the ports they publish, Raft's included. Every container's /etc/hosts is
# ${hostsFile.path}, which names orderers on other hosts by their host's address, so traffic
# between orderers across hosts goes through published ports, not the overlay (its cross-host
# paths can take 20-35 s to return after a partition heals); names it lacks go to Docker's DNS.
version: '2.4'

networks:
  byfn:
    external:
      name: ${network.name}

services:<#if !orderers?has_content && !peers?has_content> {}</#if>
<#list orderers as o>
  ${o.fqdn}:
    image: ${o.image}
    container_name: ${o.fqdn}
    hostname: ${o.fqdn}
    restart: "no"
    # CPU weight 4:1 over peers sharing the host: a starved orderer misses Raft's sub-second
    # election timeout and the channel changes leader; a starved peer only lags behind.
    cpu_shares: 1024
    # Memory limit and heap cap (JDK_JAVA_OPTIONS) for blocks up to ${ordererMemory.largestBlockMiB?c} MiB: sized from the
    # channels' largest AbsoluteMaxBytes or set by inventory resources.ordererMemory. Uncapped, seven
    # JVM heaps grow until the machine runs out of memory. The orderer refuses channels whose
    # blocks would not fit its heap.
    mem_limit: ${ordererMemory.limitMiB?c}m
    memswap_limit: ${ordererMemory.limitMiB?c}m
<#if network.tcpRtoMaxMs??>
    # inventory network.tcpRtoMax: a connection whose packets were dropped (a partition) retries
    # at least this often, so the Raft traffic resumes within it after the cut heals, not after
    # an exponential backoff of up to 120 s.
    sysctls:
      net.ipv4.tcp_rto_max_ms: "${network.tcpRtoMaxMs?c}"
</#if>
    environment:
      - ORDERER_GENERAL_LISTENADDRESS=0.0.0.0
      - ORDERER_GENERAL_LISTENPORT=${o.port}
      - ORDERER_GENERAL_LOCALMSPID=${o.mspId}
      - ORDERER_GENERAL_LOCALMSPDIR=/var/hyperledger/orderer/msp
      - ORDERER_GENERAL_TLS_ENABLED=true
      - ORDERER_GENERAL_TLS_PRIVATEKEY=/var/hyperledger/orderer/tls/server.key
      - ORDERER_GENERAL_TLS_CERTIFICATE=/var/hyperledger/orderer/tls/server.crt
      - ORDERER_GENERAL_TLS_ROOTCAS=[/var/hyperledger/orderer/tls/ca.crt]
      - ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED=true
      - ORDERER_GENERAL_CLUSTER_LISTENPORT=${o.clusterPort}
      - ORDERER_GENERAL_BOOTSTRAPDIR=/var/hyperledger/orderer/channels
      - ORDERER_FILELEDGER_LOCATION=/var/hyperledger/production/orderer
      - ORDERER_OPERATIONS_LISTENADDRESS=0.0.0.0:${o.operationsPort}
      # Channel participation API (osnadmin), mutual TLS: admin client certificates from the
      # orderer org's TLS CA (users/Admin@<domain>/tls).
      - ORDERER_ADMIN_LISTENADDRESS=0.0.0.0:${o.adminPort}
      - ORDERER_ADMIN_TLS_ENABLED=true
      - ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true
      - ORDERER_ADMIN_TLS_CLIENTROOTCAS=[/var/hyperledger/orderer/tls/ca.crt]
      # Which host runs each orderer: leaders stay on the host with most consenters, where the
      # commit quorum is mostly local (a file, so adding a host does not recreate these containers).
      - ORDERER_CONSENSUS_PLACEMENTFILE=${placementFile.containerPath}
      - FABRIC_LOGGING_SPEC=INFO
      - JDK_JAVA_OPTIONS=-Xmx${ordererMemory.xmxMiB?c}m
    volumes:
      - ${o.mspDir}:/var/hyperledger/orderer/msp:ro
      - ${o.tlsDir}:/var/hyperledger/orderer/tls:ro
      - ${o.channelsDir}:/var/hyperledger/orderer/channels:ro
      - ${hostsFile.path}:/etc/hosts:ro
      - ${placementFile.path}:${placementFile.containerPath}:ro
      - ${o.dataDir}:/var/hyperledger/production/orderer
    ports:
      - "${o.publishedPort}:${o.port}"
      - "${o.clusterPort}:${o.clusterPort}"
      - "${o.publishedOperationsPort}:${o.operationsPort}"
      - "${o.publishedAdminPort}:${o.adminPort}"
    labels:
<#list o.labels as key, value>
      ${key}: "${value}"
</#list>
    networks:
      byfn:
        ipv4_address: ${o.address}
        aliases:
          - ${o.fqdn}

</#list>
<#list peers as p>
  ${p.fqdn}:
    image: ${p.image}
    container_name: ${p.fqdn}
    hostname: ${p.fqdn}
    restart: "no"
    cpu_shares: 256
<#if network.tcpRtoMaxMs??>
    sysctls:
      net.ipv4.tcp_rto_max_ms: "${network.tcpRtoMaxMs?c}"
</#if>
    environment:
      - CORE_PEER_ID=${p.fqdn}
      - CORE_PEER_ADDRESS=${p.fqdn}:${p.port}
      - CORE_PEER_LISTENADDRESS=0.0.0.0:${p.port}
      - CORE_PEER_LOCALMSPID=${p.mspId}
      - CORE_PEER_MSPCONFIGPATH=/var/hyperledger/peer/msp
      - CORE_PEER_TLS_ENABLED=true
      - CORE_PEER_TLS_CERT_FILE=/var/hyperledger/peer/tls/server.crt
      - CORE_PEER_TLS_KEY_FILE=/var/hyperledger/peer/tls/server.key
      - CORE_PEER_TLS_ROOTCERT_FILE=/var/hyperledger/peer/tls/ca.crt
      - CORE_PEER_FILESYSTEMPATH=/var/hyperledger/production
      - CORE_OPERATIONS_LISTENADDRESS=0.0.0.0:${p.operationsPort}
      - FABRIC_LOGGING_SPEC=INFO
    volumes:
      - ${p.mspDir}:/var/hyperledger/peer/msp:ro
      - ${p.tlsDir}:/var/hyperledger/peer/tls:ro
      - ${hostsFile.path}:/etc/hosts:ro
      - ${p.dataDir}:/var/hyperledger/production
    ports:
      - "${p.publishedPort}:${p.port}"
      - "${p.publishedOperationsPort}:${p.operationsPort}"
    labels:
<#list p.labels as key, value>
      ${key}: "${value}"
</#list>
    networks:
      byfn:
        ipv4_address: ${p.address}
        aliases:
          - ${p.fqdn}

</#list>
