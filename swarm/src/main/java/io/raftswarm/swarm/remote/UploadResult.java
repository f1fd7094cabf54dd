package io.raftswarm.swarm.remote;

/** What an upload changed on the host. */
public record UploadResult(int uploaded, int modeFixed, int unchanged, int removed) {
  public boolean changed() {
    return uploaded + modeFixed + removed > 0;
  }
}
