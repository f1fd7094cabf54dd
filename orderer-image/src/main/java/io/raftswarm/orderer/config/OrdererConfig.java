package io.raftswarm.orderer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one orderer process needs to start, already validated (see {@link OrdererConfigLoader}
 * for where each value comes from).
 *
 * @param tlsClientAuthRequired whether the general port (Broadcast/Deliver) refuses TLS clients
 *     without a certificate issued by a trusted TLS CA (Fabric's General.TLS.ClientAuthRequired);
 *     when false a certificate is still verified if presented, and Broadcast/Deliver rely on the
 *     envelope signatures. Raft traffic always uses mutual TLS.
 * @param genesisBlocks one genesis block file per channel
 * @param snapshotIntervalEntries Raft entries between snapshots; 0 derives it from the channel
 * @param electionTimeoutMin empty derives it from the channel's Raft options
 * @param admin the channel participation endpoint, if {@code ORDERER_ADMIN_LISTENADDRESS} is set
 * @param placement which machine each consenter runs on ({@code ORDERER_CONSENSUS_PLACEMENTFILE}); none when unset
 * @param cutWhenIdle whether a leader with nothing in flight proposes a transaction at once instead
 *     of waiting out BatchTimeout ({@code ORDERER_CONSENSUS_CUTWHENIDLE}; see {@code BlockCutter})
 */
public record OrdererConfig(
    String listenAddress,
    int listenPort,
    String clusterListenAddress,
    int clusterListenPort,
    String localMspId,
    Path localMspDir,
    Path tlsCertificate,
    Path tlsPrivateKey,
    List<Path> tlsRootCas,
    boolean tlsClientAuthRequired,
    List<Path> genesisBlocks,
    Path ledgerDir,
    Path walDir,
    String operationsListenAddress,
    int operationsPort,
    long snapshotIntervalEntries,
    Optional<Duration> electionTimeoutMin,
    Optional<Duration> electionTimeoutMax,
    Optional<AdminEndpoint> admin,
    ConsenterPlacement placement,
    boolean cutWhenIdle) {

  public OrdererConfig {
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(clusterListenAddress, "clusterListenAddress");
    Objects.requireNonNull(localMspId, "localMspId");
    Objects.requireNonNull(localMspDir, "localMspDir");
    Objects.requireNonNull(tlsCertificate, "tlsCertificate");
    Objects.requireNonNull(tlsPrivateKey, "tlsPrivateKey");
    tlsRootCas = List.copyOf(tlsRootCas);
    genesisBlocks = List.copyOf(genesisBlocks);
    Objects.requireNonNull(ledgerDir, "ledgerDir");
    Objects.requireNonNull(walDir, "walDir");
    Objects.requireNonNull(operationsListenAddress, "operationsListenAddress");
    Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
    Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(placement, "placement");
    requirePort(listenPort, "ORDERER_GENERAL_LISTENPORT", false);
    requirePort(clusterListenPort, "ORDERER_GENERAL_CLUSTER_LISTENPORT", false);
    requirePort(operationsPort, "ORDERER_OPERATIONS_LISTENADDRESS", true);
    if (snapshotIntervalEntries < 0) {
      throw new ConfigException("ORDERER_CONSENSUS_SNAPSHOTINTERVALENTRIES must be >= 0, was " + snapshotIntervalEntries);
    }
    if (electionTimeoutMin.isPresent() != electionTimeoutMax.isPresent()) {
      throw new ConfigException("set both ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN and ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX, or neither");
    }
    if (electionTimeoutMin.isPresent() && electionTimeoutMin.get().compareTo(electionTimeoutMax.get()) >= 0) {
      throw new ConfigException("ORDERER_CONSENSUS_ELECTIONTIMEOUTMIN (" + electionTimeoutMin.get()
          + ") must be less than ORDERER_CONSENSUS_ELECTIONTIMEOUTMAX (" + electionTimeoutMax.get() + ")");
    }
  }

  /** The same configuration with another snapshot interval (tests use tiny ones to force log purges). */
  public OrdererConfig withSnapshotIntervalEntries(long entries) {
    return new OrdererConfig(listenAddress, listenPort, clusterListenAddress, clusterListenPort, localMspId, localMspDir,
        tlsCertificate, tlsPrivateKey, tlsRootCas, tlsClientAuthRequired, genesisBlocks, ledgerDir, walDir, operationsListenAddress,
        operationsPort, entries, electionTimeoutMin, electionTimeoutMax, admin, placement, cutWhenIdle);
  }

  private static void requirePort(int port, String variable, boolean zeroAllowed) {
    if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
      throw new ConfigException(variable + ": port " + port + " is outside " + (zeroAllowed ? 0 : 1) + "..65535");
    }
  }
}
