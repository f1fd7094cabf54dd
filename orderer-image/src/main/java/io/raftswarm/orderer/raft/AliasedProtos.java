package io.raftswarm.orderer.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;

/**
 * Parsing whose bytes fields are views of the input rather than copies. Every envelope of every
 * block is parsed on every orderer when it is applied; protobuf copies each bytes field (the
 * envelope, its payload, its header) unless told to alias, which it does only for input it knows
 * to be immutable, as a ByteString is.
 */
final class AliasedProtos {
  private AliasedProtos() {}

  /** The same result as {@code parser.parseFrom(bytes)}, with views of {@code bytes} for its bytes fields. */
  static <T> T parse(Parser<T> parser, ByteString bytes) throws InvalidProtocolBufferException {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    T message = parser.parseFrom(in);
    in.checkLastTagWas(0); // as parseFrom(ByteString) does
    return message;
  }
}
