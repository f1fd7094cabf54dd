package io.raftswarm.swarm.drill.timeline;

import io.raftswarm.swarm.client.StatusSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What was observed during a drill, in time order: status samples of every orderer and the
 * drill's own events. Immutable; built by the sampler and the drill.
 *
 * @param consenters orderer name → consenter id per channel is read from the samples; this maps
 *     consenter ids to orderer names for display (from the network profile)
 */
public record Timeline(
    Instant start,
    Instant end,
    List<String> orderers,
    List<String> channels,
    Map<Integer, String> consenters,
    List<StatusSample> samples,
    List<DrillEvent> events) {

  public Timeline {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    orderers = List.copyOf(orderers);
    channels = List.copyOf(channels);
    consenters = Map.copyOf(consenters);
    samples = samples.stream().sorted(Comparator.comparing(StatusSample::at)).toList();
    events = events.stream().sorted(Comparator.comparing(DrillEvent::at)).toList();
  }

  public String ordererName(int consenterId) {
    return consenters.getOrDefault(consenterId, "consenter " + consenterId);
  }

  public List<StatusSample> samplesOf(String node) {
    return samples.stream().filter(s -> s.node().equals(node)).toList();
  }

  /** The latest sample of each orderer at or before {@code t} (unreachable ones included). */
  public Map<String, StatusSample> latestAt(Instant t) {
    Map<String, StatusSample> latest = new TreeMap<>();
    for (StatusSample s : samples) {
      if (s.at().isAfter(t)) {
        break;
      }
      latest.put(s.node(), s);
    }
    return latest;
  }

  /** Distinct sample instants, i.e. the poll rounds' times, in order. */
  public List<Instant> instants() {
    List<Instant> out = new ArrayList<>();
    for (StatusSample s : samples) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(s.at())) {
        out.add(s.at());
      }
    }
    return out;
  }

  public Optional<DrillEvent> firstEvent(DrillEvent.Kind kind) {
    return events.stream().filter(e -> e.kind() == kind).findFirst();
  }
}
