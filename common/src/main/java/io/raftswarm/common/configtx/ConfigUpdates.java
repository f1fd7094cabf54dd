package io.raftswarm.common.configtx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.common.identity.MspRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Applies a CONFIG_UPDATE to a channel's config as Fabric's configtx validator does
 * (common/configtx/update.go): the read set must match the current versions; every element of the
 * write set whose version differs from the read set's is a change that must raise the element's
 * version by exactly one (new elements start at 0) and satisfy the mod_policy of the element it
 * replaces, evaluated against the update's signatures; groups hold exactly the children their
 * newest version names (that is how elements are removed). The result has sequence + 1.
 */
public final class ConfigUpdates {
  private ConfigUpdates() {}

  /** The new config after {@code update}, or the reason it cannot be applied. */
  public static Config apply(String channelId, Config current, ConfigUpdateEnvelope update, MspRegistry msps)
      throws ConfigUpdateException {
    ConfigUpdate configUpdate;
    try {
      configUpdate = ConfigUpdate.parseFrom(update.getConfigUpdate());
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigUpdateException("config update is not a common.ConfigUpdate: " + e.getMessage());
    }
    if (!configUpdate.getChannelId().equals(channelId)) {
      throw new ConfigUpdateException("config update for channel '" + configUpdate.getChannelId()
          + "' but envelope for channel '" + channelId + "'");
    }
    if (!configUpdate.hasWriteSet()) {
      throw new ConfigUpdateException("config update has no write set");
    }
    Map<String, ConfigElement> config = ConfigMap.flatten(current.getChannelGroup());
    Map<String, ConfigElement> readSet = configUpdate.hasReadSet() ? ConfigMap.flatten(configUpdate.getReadSet()) : Map.of();
    Map<String, ConfigElement> writeSet = ConfigMap.flatten(configUpdate.getWriteSet());

    for (ConfigElement read : readSet.values()) {
      ConfigElement existing = config.get(read.id());
      if (existing == null) {
        throw new ConfigUpdateException("existing config does not contain element for " + read.path()
            + " but was in the read set");
      }
      if (existing.version() != read.version()) {
        throw new ConfigUpdateException("proposed update requires that key " + read.path() + " be at version "
            + read.version() + ", but it is currently at version " + existing.version());
      }
    }

    Map<String, ConfigElement> delta = new LinkedHashMap<>();
    for (ConfigElement write : writeSet.values()) {
      ConfigElement read = readSet.get(write.id());
      if (read == null || read.version() != write.version()) {
        delta.put(write.id(), write);
      }
    }
    if (delta.isEmpty()) {
      throw new ConfigUpdateException("update set is empty: every element of the write set has its read-set version;"
          + " raise the version of what you change");
    }

    PolicyEvaluator policies = new PolicyEvaluator(current.getChannelGroup(), msps, signatures(update));
    for (ConfigElement change : delta.values()) {
      if (change.modPolicy().isEmpty()) {
        throw new ConfigUpdateException("mod_policy not set for " + change.path());
      }
      ConfigElement existing = config.get(change.id());
      if (existing == null) {
        if (change.version() != 0) {
          throw new ConfigUpdateException("attempted to set key " + change.path() + " to version " + change.version()
              + ", but key does not exist");
        }
        continue;
      }
      if (change.version() != existing.version() + 1) {
        throw new ConfigUpdateException("attempt to set key " + change.path() + " to version " + change.version()
            + ", but key is at version " + existing.version());
      }
      policies.require(existing.policyScope(), existing.modPolicy());
    }

    Map<String, ConfigElement> proposed = new LinkedHashMap<>(config);
    proposed.putAll(delta);
    var channelGroup = ConfigMap.rebuild(proposed);
    Map<String, ConfigElement> full = ConfigMap.flatten(channelGroup);
    for (String id : writeSet.keySet()) {
      if (!full.containsKey(id)) {
        throw new ConfigUpdateException("write set contained " + writeSet.get(id).path()
            + ", which does not appear in the proposed config (its group does not name it)");
      }
    }
    return Config.newBuilder().setSequence(current.getSequence() + 1).setChannelGroup(channelGroup).build();
  }

  /** The update's signatures as Fabric's ConfigUpdateEnvelope.AsSignedData: data = signature_header || config_update. */
  static List<SignedData> signatures(ConfigUpdateEnvelope update) throws ConfigUpdateException {
    List<SignedData> signed = new ArrayList<>();
    for (ConfigSignature signature : update.getSignaturesList()) {
      ByteString creator;
      try {
        creator = SignatureHeader.parseFrom(signature.getSignatureHeader()).getCreator();
      } catch (InvalidProtocolBufferException e) {
        throw new ConfigUpdateException("config update signature has a malformed signature header: " + e.getMessage());
      }
      signed.add(new SignedData(signature.getSignatureHeader().concat(update.getConfigUpdate()).toByteArray(),
          creator, signature.getSignature().toByteArray()));
    }
    return signed;
  }
}
