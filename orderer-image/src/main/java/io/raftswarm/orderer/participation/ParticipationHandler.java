package io.raftswarm.orderer.participation;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftswarm.orderer.ops.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Other methods get 405 with an Allow header; errors are {@code {"error":"..."}}. Independent of
 * the HTTP transport ({@link AdminServer}).
 */
public final class ParticipationHandler {
  private static final Logger LOG = LoggerFactory.getLogger("orderer.common.channelparticipation");
  private static final String BASE_V1 = "/participation/v1";
  private static final String FORM_KEY = "config-block";

  private final ChannelRegistrar registrar;
  private final boolean enabled;
  private final long maxRequestBodyBytes;

  public ParticipationHandler(ChannelRegistrar registrar, boolean enabled, long maxRequestBodyBytes) {
    this.registrar = registrar;
    this.enabled = enabled;
    this.maxRequestBodyBytes = maxRequestBodyBytes;
  }

  public long maxRequestBodyBytes() {
    return maxRequestBodyBytes;
  }

  public AdminResponse handle(AdminRequest request) {
    try {
      if (!enabled) {
        return error(503, "channel participation API is disabled");
      }
      String path = request.path();
      String method = request.method();
      if (path.equals(BASE_V1) || path.equals(BASE_V1 + "/")) {
        return "GET".equals(method)
            ? new AdminResponse(302, Map.of("Location", ChannelInfo.URL_BASE), null)
            : notAllowed("invalid request method: " + method, "GET");
      }
      if (path.equals(ChannelInfo.URL_BASE)) {
        return switch (method) {
          case "GET" -> listAll(request);
          case "POST" -> join(request);
          default -> notAllowed("invalid request method: " + method, "GET", "POST");
        };
      }
      String prefix = ChannelInfo.URL_BASE + "/";
      if (path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0) {
        String channelId = path.substring(prefix.length());
        return switch (method) {
          case "GET" -> listOne(request, channelId);
          case "DELETE" -> remove(request, channelId);
          default -> notAllowed("invalid request method: " + method, "GET", "DELETE");
        };
      }
      return error(404, "404 page not found");
    } catch (RuntimeException e) {
      LOG.warn("Channel participation request {} {} failed: {}", request.method(), request.path(), e.toString());
      return error(500, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private AdminResponse listAll(AdminRequest request) {
    Optional<AdminResponse> refused = refuseNonJson(request);
    if (refused.isPresent()) {
      return refused.get();
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
    return new AdminResponse(200, Map.of("Cache-Control", "no-store"), json.append('}').toString());
  }

  private AdminResponse listOne(AdminRequest request, String channelId) {
    Optional<AdminResponse> refused = refuseNonJson(request).or(() -> refuseChannelId(channelId));
    if (refused.isPresent()) {
      return refused.get();
    }
    return registrar.channel(channelId)
        .map(info -> new AdminResponse(200, Map.of("Cache-Control", "no-store"), info.json()))
        .orElseGet(() -> error(404, "channel does not exist"));
  }

  private AdminResponse join(AdminRequest request) {
    Optional<AdminResponse> refused = refuseNonJson(request);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (!request.contentType().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return error(400, "unsupported Content-Type: [" + request.contentType() + "]");
    }
    try {
      if (request.body().length > maxRequestBodyBytes) {
        throw bad("cannot read form from request body: http: request body too large (ChannelParticipation.MaxRequestBodySize is "
            + maxRequestBodyBytes + " bytes)");
      }
      List<MultipartForm.Part> parts = MultipartForm.parse(request.contentType(), request.body());
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
      return new AdminResponse(201, Map.of("Location", info.url()), info.json());
    } catch (ParticipationException e) {
      return failure(e, "GET", "DELETE");
    }
  }

  private AdminResponse remove(AdminRequest request, String channelId) {
    Optional<AdminResponse> refused = refuseNonJson(request).or(() -> refuseChannelId(channelId));
    if (refused.isPresent()) {
      return refused.get();
    }
    try {
      registrar.remove(channelId);
      return new AdminResponse(204, Map.of(), null);
    } catch (ParticipationException e) {
      return failure(e.during("cannot remove"), "GET");
    }
  }

  private static Optional<AdminResponse> refuseNonJson(AdminRequest request) {
    String accept = request.accept();
    if (accept.isBlank() || accept.contains("application/json") || accept.contains("application/*") || accept.contains("*/*")) {
      return Optional.empty();
    }
    return Optional.of(error(406, "response Content-Type is application/json only"));
  }

  private static Optional<AdminResponse> refuseChannelId(String channelId) {
    try {
      JoinBlocks.validateChannelId(channelId);
      return Optional.empty();
    } catch (ParticipationException e) {
      return Optional.of(error(400, e.getMessage()));
    }
  }

  private static AdminResponse failure(ParticipationException e, String... allowWhenExists) {
    return switch (e.failure()) {
      case ALREADY_EXISTS -> notAllowed(e.getMessage(), allowWhenExists);
      case NOT_EXIST -> error(404, e.getMessage());
      case PENDING_REMOVAL -> error(409, e.getMessage());
      case REMOVAL_FAILURE -> error(500, e.getMessage());
      default -> error(400, e.getMessage());
    };
  }

  private static ParticipationException bad(String message) {
    return new ParticipationException(ParticipationException.Failure.BAD_REQUEST, message);
  }

  private static AdminResponse notAllowed(String message, String... allow) {
    return new AdminResponse(405, Map.of("Allow", String.join(", ", allow)), errorJson(message));
  }

  private static AdminResponse error(int status, String message) {
    return new AdminResponse(status, Map.of(), errorJson(message));
  }

  private static String errorJson(String message) {
    return "{\"error\":" + Json.quote(message) + "}";
  }
}
