package io.raftswarm.orderer.participation;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;

/**
 * A {@code multipart/form-data} body (RFC 7578) read with Apache James mime4j: what
 * {@code osnadmin channel join} sends (one file part named {@code config-block}).
 */
public final class MultipartForm {
  /** One part: its form field name, whether it was a file upload (had a filename), its bytes. */
  public record Part(String name, boolean file, byte[] content) {}

  private MultipartForm() {}

  /**
   * Parses the parts of {@code body}; {@code contentType} is the request's header, boundary
   * included. Reads at most {@code maxBytes} of content.
   */
  public static List<Part> parse(String contentType, InputStream body, long maxBytes) throws ParticipationException {
    MimeConfig config = new MimeConfig.Builder()
        .setMaxLineLen(-1) // parts are binary blocks, not lines of text
        .setMaxContentLen(maxBytes)
        .build();
    MimeTokenStream stream = new MimeTokenStream(config);
    List<Part> parts = new ArrayList<>();
    try {
      stream.parseHeadless(body, contentType);
      String name = null;
      boolean file = false;
      for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
        switch (state) {
          case T_START_BODYPART -> {
            name = null;
            file = false;
          }
          case T_FIELD -> {
            Field field = stream.getField();
            if ("content-disposition".equals(field.getNameLowerCase())) {
              RawBody disposition = RawFieldParser.DEFAULT.parseRawBody(
                  field instanceof RawField raw ? raw : new RawField(field.getName(), field.getBody()));
              for (NameValuePair p : disposition.getParams()) {
                if ("name".equalsIgnoreCase(p.getName())) {
                  name = p.getValue();
                } else if ("filename".equalsIgnoreCase(p.getName())) {
                  file = true;
                }
              }
            }
          }
          case T_BODY -> {
            if (stream.getBodyDescriptor().getMimeType().startsWith("multipart/")) {
              break; // the outer multipart body itself; its parts follow
            }
            byte[] content = stream.getDecodedInputStream().readAllBytes();
            if (name != null) {
              parts.add(new Part(name, file, content));
            }
          }
          default -> { }
        }
      }
    } catch (IOException | MimeException | RuntimeException e) {
      throw new ParticipationException(ParticipationException.Failure.BAD_REQUEST,
          "cannot read form from request body: " + e.getMessage());
    }
    return parts;
  }
}
