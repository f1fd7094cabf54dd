package io.raftswarm.swarm.remote;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A {@link DuplexStream} over one SSH channel; closing it closes the channel. */
record ChannelStream(Closeable channel, InputStream in, OutputStream out) implements DuplexStream {
  @Override
  public void close() throws IOException {
    channel.close();
  }
}
