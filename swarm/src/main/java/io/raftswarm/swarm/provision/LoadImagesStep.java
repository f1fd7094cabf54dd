package io.raftswarm.swarm.provision;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.LoadResponseItem;
import io.raftswarm.swarm.error.UserError;
import io.raftswarm.swarm.plan.NetworkPlan;
import io.raftswarm.swarm.remote.HostSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams each image tar into {@code docker load} on every host (over the SSH-relayed Docker
 * API; no registry needed), skipping hosts that already have an image with the tar's id.
 */
public final class LoadImagesStep implements ProvisionStep<Void> {
  private final NetworkPlan.PlannedImages images;
  private final HostSessions sessions;

  public LoadImagesStep(NetworkPlan.PlannedImages images, HostSessions sessions) {
    this.images = images;
    this.sessions = sessions;
  }

  @Override
  public String name() {
    return "LoadImages";
  }

  @Override
  public StepOutcome<Void> run(Progress progress) throws IOException {
    Map<String, Path> tars = new LinkedHashMap<>();
    images.ordererTar().ifPresent(t -> tars.put(images.orderer(), t));
    images.peerTar().ifPresent(t -> tars.put(images.peer(), t));
    if (tars.isEmpty()) {
      return StepOutcome.unchanged(null, "no image tars in the inventory; images must be on the hosts");
    }
    Map<String, String> ids = new LinkedHashMap<>();
    for (var e : tars.entrySet()) {
      ids.put(e.getKey(), ImageTars.imageId(e.getValue()));
    }
    List<Integer> loaded = sessions.onEach(s -> {
      int n = 0;
      for (var e : tars.entrySet()) {
        String image = e.getKey();
        String want = ids.get(image);
        String have = currentId(s, image);
        if (want.equals(have)) {
          progress.line(s.name() + ": " + image + " already loaded (" + shortId(want) + ")");
          continue;
        }
        long started = System.nanoTime();
        // The async form reads the engine's progress stream, so a failed load (e.g. no space
        // left on the host) arrives as the engine's own error instead of "image not there".
        String engineError;
        try (InputStream in = Files.newInputStream(e.getValue())) {
          LoadErrors errors = s.docker().client().loadImageAsyncCmd(in).exec(new LoadErrors());
          errors.awaitCompletion();
          engineError = errors.firstError();
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new UserError("interrupted while loading " + e.getValue() + " on " + s.name());
        }
        if (engineError != null) {
          throw new UserError("docker load of " + e.getValue() + " on " + s.name() + " failed: "
              + engineError + "; check free space under the host's Docker root (docker info"
              + " --format '{{.DockerRootDir}}'), then re-run");
        }
        String now = currentId(s, image);
        if (!want.equals(now)) {
          throw new UserError("loading " + e.getValue() + " on " + s.name() + " did not produce "
              + image + " " + shortId(want) + " (found " + shortId(now) + "); is the tar tagged "
              + image + "? rebuild with scripts/build-images");
        }
        progress.line(s.name() + ": loaded " + image + " " + shortId(want) + " in "
            + (System.nanoTime() - started) / 1_000_000 + " ms");
        n++;
      }
      return n;
    });
    int total = loaded.stream().mapToInt(Integer::intValue).sum();
    List<String> names = new ArrayList<>(tars.keySet());
    return StepOutcome.of(null, total > 0, total == 0 ? names + " present on every host"
        : total + " image loads");
  }

  private static String currentId(HostSession s, String image) {
    try {
      return s.docker().client().inspectImageCmd(image).exec().getId();
    } catch (NotFoundException e) {
      return "";
    }
  }

  private static String shortId(String id) {
    return id.isEmpty() ? "none" : id.substring(0, Math.min(id.length(), 19));
  }

  /** The first error the engine reported in its load progress stream, if any. */
  private static final class LoadErrors extends ResultCallback.Adapter<LoadResponseItem> {
    private volatile String firstError;

    @Override
    public void onNext(LoadResponseItem item) {
      if (item.isErrorIndicated() && firstError == null) {
        firstError = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
            ? item.getErrorDetail().getMessage() : item.getError();
      }
    }

    String firstError() {
      return firstError;
    }
  }
}
