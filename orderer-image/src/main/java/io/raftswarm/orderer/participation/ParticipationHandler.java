package io.raftswarm.orderer.participation;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.raftswarm.orderer.ops.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's channel participation REST API ({@code orderer/common/channelparticipation/restapi.go})
 * with the same paths, JSON shapes and status codes, so {@code osnadmin channel list|join|remove}
 * works against a raftswarm orderer:
 * <ul>
 *   <li>{@code GET /participation/v1/channels}: 200 {@code {"systemChannel":null,"channels":[..]}}</li>
 *   <li>{@code GET /participation/v1/channels/{id}}: 200 channel info, 404 if not served</li>
 *   <li>{@code POST /participation/v1/channels} (multipart form, file part {@code config-block}):
 *       201 with the info and a Location header; 405 if the channel exists</li>
 *   <li>{@code DELETE /participation/v1/channels/{id}}: 204, 404 if not served</li>
 * </ul>
 * Other methods get 405 with an Allow header; errors are {@code {"error":"..."}}.
 */
public final class ParticipationHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.common.channelparticipation");
  private static final String BASE_V1 = "/participation/v1/";
  private static final String FORM_KEY = "config-block";

  private final ChannelRegistrar registrar;
  private final boolean enabled;
  private final long maxRequestBodyBytes;

  public ParticipationHandler(ChannelRegistrar registrar, boolean enabled, long maxRequestBodyBytes) {
    this.registrar = registrar;
    this.enabled = enabled;
    this.maxRequestBodyBytes = maxRequestBodyBytes;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!enabled) {
        sendError(exchange, 503, "channel participation API is disabled");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals(BASE_V1) || path.equals(BASE_V1.substring(0, BASE_V1.length() - 1))) {
        if ("GET".equals(method)) {
          exchange.getResponseHeaders().set("Location", ChannelInfo.URL_BASE);
          exchange.sendResponseHeaders(302, -1);
        } else {
          sendNotAllowed(exchange, "invalid request method: " + method, "GET");
        }
        return;
      }
      if (path.equals(ChannelInfo.URL_BASE)) {
        switch (method) {
          case "GET" -> listAll(exchange);
          case "POST" -> join(exchange);
          default -> sendNotAllowed(exchange, "invalid request method: " + method, "GET", "POST");
        }
        return;
      }
      if (path.startsWith(ChannelInfo.URL_BASE + "/") && path.indexOf('/', ChannelInfo.URL_BASE.length() + 1) < 0) {
        String channelId = path.substring(ChannelInfo.URL_BASE.length() + 1);
        switch (method) {
          case "GET" -> listOne(exchange, channelId);
          case "DELETE" -> remove(exchange, channelId);
          default -> sendNotAllowed(exchange, "invalid request method: " + method, "GET", "DELETE");
        }
        return;
      }
      sendError(exchange, 404, "404 page not found");
    } catch (RuntimeException e) {
      LOG.warn("Channel participation request {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
      sendError(exchange, 500, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private void listAll(HttpExchange exchange) throws IOException {
    if (!acceptsJson(exchange)) {
      return;
    }
    List<ChannelInfo> channels = registrar.channels();
    StringBuilder json = new StringBuilder("{\"systemChannel\":null,\"channels\":");
    if (channels.isEmpty()) {
      json.append("null"); // Go marshals the empty slice Fabric returns as null
    } else {
      json.append('[');
      for (int i = 0; i < channels.size(); i++) {
        ChannelInfo c = channels.get(i);
        json.append(i == 0 ? "" : ",").append("{\"name\":").append(Json.quote(c.name()))
            .append(",\"url\":").append(Json.quote(c.url())).append('}');
      }
      json.append(']');
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, json.append('}').toString());
  }

  private void listOne(HttpExchange exchange, String channelId) throws IOException {
    if (!acceptsJson(exchange) || !validChannelId(exchange, channelId)) {
      return;
    }
    Optional<ChannelInfo> info = registrar.channel(channelId);
    if (info.isEmpty()) {
      sendError(exchange, 404, "channel does not exist");
      return;
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, info.get().json());
  }

  private void join(HttpExchange exchange) throws IOException {
    if (!acceptsJson(exchange)) {
      return;
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      sendError(exchange, 400, "unsupported Content-Type: [" + (contentType == null ? "" : contentType) + "]");
      return;
    }
    try {
      byte[] body = readLimited(exchange.getRequestBody());
      List<MultipartForm.Part> parts = MultipartForm.parse(contentType, new java.io.ByteArrayInputStream(body), maxRequestBodyBytes);
      Optional<MultipartForm.Part> blockPart = parts.stream().filter(p -> p.file() && FORM_KEY.equals(p.name())).findFirst();
      if (blockPart.isEmpty()) {
        throw bad("form does not contains part key: " + FORM_KEY);
      }
      if (parts.size() != 1) {
        throw bad("form contains too many parts");
      }
      Block block;
      try {
        block = Block.parseFrom(blockPart.get().content());
      } catch (InvalidProtocolBufferException e) {
        throw bad("cannot unmarshal file part " + FORM_KEY + " into a block: " + e.getMessage());
      }
      JoinBlocks.JoinBlock joinBlock = JoinBlocks.validate(block);
      ChannelInfo info;
      try {
        info = registrar.join(joinBlock);
      } catch (ParticipationException e) {
        throw e.during("cannot join");
      }
      exchange.getResponseHeaders().set("Location", info.url());
      send(exchange, 201, info.json());
    } catch (ParticipationException e) {
      sendFailure(exchange, e, "GET", "DELETE");
    }
  }

  private void remove(HttpExchange exchange, String channelId) throws IOException {
    if (!acceptsJson(exchange) || !validChannelId(exchange, channelId)) {
      return;
    }
    try {
      registrar.remove(channelId);
      exchange.sendResponseHeaders(204, -1);
    } catch (ParticipationException e) {
      sendFailure(exchange, e.during("cannot remove"), "GET");
    }
  }

  private byte[] readLimited(InputStream in) throws IOException, ParticipationException {
    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBodyBytes + 1));
    if (body.length > maxRequestBodyBytes) {
      throw bad("cannot read form from request body: http: request body too large (ChannelParticipation.MaxRequestBodySize is "
          + maxRequestBodyBytes + " bytes)");
    }
    return body;
  }

  private static boolean acceptsJson(HttpExchange exchange) throws IOException {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    if (accept == null || accept.isBlank() || accept.contains("application/json") || accept.contains("application/*")
        || accept.contains("*/*")) {
      return true;
    }
    sendError(exchange, 406, "response Content-Type is application/json only");
    return false;
  }

  private static boolean validChannelId(HttpExchange exchange, String channelId) throws IOException {
    try {
      JoinBlocks.validateChannelId(channelId);
      return true;
    } catch (ParticipationException e) {
      sendError(exchange, 400, e.getMessage());
      return false;
    }
  }

  private static void sendFailure(HttpExchange exchange, ParticipationException e, String... allowWhenExists) throws IOException {
    switch (e.failure()) {
      case ALREADY_EXISTS -> sendNotAllowed(exchange, e.getMessage(), allowWhenExists);
      case NOT_EXIST -> sendError(exchange, 404, e.getMessage());
      case PENDING_REMOVAL -> sendError(exchange, 409, e.getMessage());
      case REMOVAL_FAILURE -> sendError(exchange, 500, e.getMessage());
      default -> sendError(exchange, 400, e.getMessage());
    }
  }

  private static ParticipationException bad(String message) {
    return new ParticipationException(ParticipationException.Failure.BAD_REQUEST, message);
  }

  private static void sendNotAllowed(HttpExchange exchange, String message, String... allow) throws IOException {
    exchange.getResponseHeaders().set("Allow", String.join(", ", allow));
    sendError(exchange, 405, message);
  }

  private static void sendError(HttpExchange exchange, int code, String message) throws IOException {
    send(exchange, code, "{\"error\":" + Json.quote(message) + "}");
  }

  private static void send(HttpExchange exchange, int code, String json) throws IOException {
    // Go's json.Encoder ends every document with a newline; osnadmin prints the body as is.
    byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }
}
