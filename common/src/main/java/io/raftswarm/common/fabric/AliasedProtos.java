package io.raftswarm.common.fabric;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;

/**
 * Parsing whose bytes fields are views of the input rather than copies. Envelopes are parsed
 * several times on their way (Broadcast, forward, apply on every orderer, validation on every
 * peer), and protobuf copies each bytes field (the payload, its header, the creator) unless told to
 * alias, which it does only for input it knows to be immutable, as a ByteString is. A view keeps
 * the whole input alive: copy what is kept long ({@link ByteString#copyFrom(java.nio.ByteBuffer)}).
 */
public final class AliasedProtos {
  private AliasedProtos() {}

  /** The same result as {@code parser.parseFrom(bytes)}, with views of {@code bytes} for its bytes fields. */
  public static <T> T parse(Parser<T> parser, ByteString bytes) throws InvalidProtocolBufferException {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    T message = parser.parseFrom(in);
    in.checkLastTagWas(0); // as parseFrom(ByteString) does
    return message;
  }
}
