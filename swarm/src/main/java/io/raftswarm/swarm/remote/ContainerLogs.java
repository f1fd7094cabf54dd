package io.raftswarm.swarm.remote;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A container's last log lines, indented for an error message (a container that exited says why there). */
public final class ContainerLogs {
  private ContainerLogs() {}

  /** The last {@code lines} of stdout and stderr, each line prefixed "    | "; never throws. */
  public static String tail(DockerClient client, String containerId, int lines) {
    StringBuilder sb = new StringBuilder();
    try {
      client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame f) {
              sb.append("    | ").append(new String(f.getPayload(), StandardCharsets.UTF_8).stripTrailing()).append('\n');
            }
          }).awaitCompletion(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      sb.append("    (cannot read logs: ").append(e.getMessage()).append(")");
    }
    return sb.toString().stripTrailing();
  }
}
