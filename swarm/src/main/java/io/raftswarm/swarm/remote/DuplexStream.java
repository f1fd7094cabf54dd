package io.raftswarm.swarm.remote;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A bidirectional byte stream to a remote socket. Closing {@link #out()} signals end of input
 * to the far side (half-close) while {@link #in()} keeps delivering its answer.
 */
interface DuplexStream extends Closeable {
  InputStream in();

  OutputStream out();
}
