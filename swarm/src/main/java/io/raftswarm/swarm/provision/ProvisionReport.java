package io.raftswarm.swarm.provision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a provision run did: every step with its result and time, the network's state at the
 * end, and the total time. Printed as tables and written as JSON next to network.json.
 */
public record ProvisionReport(String network, String outDir, long totalMillis,
    List<StepTiming> steps, NetworkStatus status) {
  public static final String FILE = io.raftswarm.swarm.render.NetworkRenderer.PROVISIONED_MARKER;

  public ProvisionReport {
    steps = List.copyOf(steps);
  }

  public boolean unchanged() {
    return steps.stream().noneMatch(s -> StepTiming.DONE.equals(s.result()));
  }

  public void print(PrintWriter out) {
    out.println();
    status.printTable(out);
    out.println();
    out.printf("%-22s %-10s %8s  %s%n", "STEP", "RESULT", "TIME", "DETAIL");
    for (StepTiming t : steps) {
      out.printf("%-22s %-10s %8s  %s%n", t.step(), t.result(), StepsRunner.seconds(t.millis()),
          t.detail());
    }
    out.printf("%-22s %-10s %8s%n", "total", unchanged() ? "unchanged" : "done",
        StepsRunner.seconds(totalMillis));
    out.flush();
  }

  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void write(Path dir) {
    try {
      Files.writeString(dir.resolve(FILE), toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
    }
  }
}
