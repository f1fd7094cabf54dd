package io.raftswarm.orderer.participation;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.multipart.Attribute;
import io.grpc.netty.shaded.io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.grpc.netty.shaded.io.netty.handler.codec.http.multipart.FileUpload;
import io.grpc.netty.shaded.io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code multipart/form-data} body (RFC 7578) read with Netty's form decoder (the Netty that
 * grpc-netty-shaded bundles): what {@code osnadmin channel join} sends, one file part named
 * {@code config-block}.
 */
public final class MultipartForm {
  /** One part: its form field name, whether it was a file upload (had a filename), its bytes. */
  public record Part(String name, boolean file, byte[] content) {}

  private MultipartForm() {}

  /** The parts of {@code body}; {@code contentType} is the request's header, boundary included. */
  public static List<Part> parse(String contentType, byte[] body) throws ParticipationException {
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
        Unpooled.wrappedBuffer(body));
    request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    HttpPostRequestDecoder decoder = null;
    try {
      // In memory only: a config block is small and must never land in a temp file.
      decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), request);
      List<Part> parts = new ArrayList<>();
      for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
        if (data instanceof FileUpload upload) {
          parts.add(new Part(upload.getName(), true, upload.get()));
        } else if (data instanceof Attribute attribute) {
          parts.add(new Part(attribute.getName(), false, attribute.get()));
        }
      }
      return parts;
    } catch (IOException | RuntimeException e) {
      throw new ParticipationException(ParticipationException.Failure.BAD_REQUEST,
          "cannot read form from request body: " + e.getMessage());
    } finally {
      if (decoder != null) {
        decoder.destroy();
      }
      request.release();
    }
  }
}
