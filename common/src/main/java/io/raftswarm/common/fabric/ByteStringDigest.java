package io.raftswarm.common.fabric;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Feeds a ByteString to a digest from its own backing array where it has one. A read-only
 * buffer ({@code asReadOnlyByteBuffer}) has no accessible array, so MessageDigest copies it in
 * 4 KB chunks first; envelopes parsed as views of their block's bytes (AliasedProtos) are hashed
 * on every orderer and peer.
 */
public final class ByteStringDigest {
  private ByteStringDigest() {}

  public static void update(MessageDigest digest, ByteString bytes) {
    try {
      UnsafeByteOperations.unsafeWriteTo(bytes, new Output(digest));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash bytes", e); // Output does not throw
    }
  }

  private static final class Output extends ByteOutput {
    private final MessageDigest digest;

    Output(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    public void write(byte value) {
      digest.update(value);
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      digest.update(value, offset, length);
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      digest.update(value, offset, length);
    }

    @Override
    public void write(ByteBuffer value) {
      digest.update(value);
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      digest.update(value);
    }
  }
}
