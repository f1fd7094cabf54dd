package io.raftswarm.orderer.participation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Fabric's routing and status codes of the channel participation API, without HTTP or an orderer. */
class ParticipationHandlerTest {
  private final List<String> removed = new ArrayList<>();
  private final ChannelRegistrar registrar = new ChannelRegistrar() {
    @Override
    public List<ChannelInfo> channels() {
      return List.of();
    }

    @Override
    public Optional<ChannelInfo> channel(String channelId) {
      return channelId.equals("mychannel") ? Optional.of(new ChannelInfo("mychannel", "consenter", "active", 7)) : Optional.empty();
    }

    @Override
    public ChannelInfo join(JoinBlocks.JoinBlock configBlock) {
      throw new AssertionError("no valid join block in these tests");
    }

    @Override
    public void remove(String channelId) throws ParticipationException {
      if (!channelId.equals("mychannel")) {
        throw new ParticipationException(ParticipationException.Failure.NOT_EXIST, null);
      }
      removed.add(channelId);
    }
  };
  private final ParticipationHandler handler = new ParticipationHandler(registrar, true, 1024);

  private static AdminRequest get(String path) {
    return new AdminRequest("GET", path, "", "", new byte[0]);
  }

  @Test
  void an_empty_list_is_null_as_go_marshals_it() {
    AdminResponse r = handler.handle(get("/participation/v1/channels"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).isEqualTo("{\"systemChannel\":null,\"channels\":null}");
    assertThat(r.headers()).containsEntry("Cache-Control", "no-store");
  }

  @Test
  void info_and_remove_of_a_served_and_an_unknown_channel() {
    assertThat(handler.handle(get("/participation/v1/channels/mychannel")).json())
        .isEqualTo("{\"name\":\"mychannel\",\"url\":\"/participation/v1/channels/mychannel\",\"consensusRelation\":\"consenter\","
            + "\"status\":\"active\",\"height\":7}");
    AdminResponse gone = handler.handle(new AdminRequest("DELETE", "/participation/v1/channels/mychannel", "", "", new byte[0]));
    assertThat(gone.status()).isEqualTo(204);
    assertThat(gone.json()).isNull();
    assertThat(removed).containsExactly("mychannel");
    AdminResponse unknown = handler.handle(new AdminRequest("DELETE", "/participation/v1/channels/other", "", "", new byte[0]));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json()).isEqualTo("{\"error\":\"cannot remove: channel does not exist\"}");
  }

  @Test
  void the_base_path_redirects_and_unknown_paths_are_404() {
    AdminResponse base = handler.handle(get("/participation/v1/"));
    assertThat(base.status()).isEqualTo(302);
    assertThat(base.headers()).containsEntry("Location", "/participation/v1/channels");
    assertThat(handler.handle(get("/participation/v1/channels/mychannel/blocks/1")).status()).isEqualTo(404);
  }

  @Test
  void only_json_is_offered() {
    AdminResponse xml = handler.handle(new AdminRequest("GET", "/participation/v1/channels", "application/xml", "", new byte[0]));
    assertThat(xml.status()).isEqualTo(406);
    assertThat(handler.handle(new AdminRequest("GET", "/participation/v1/channels", "text/html, */*", "", new byte[0])).status())
        .isEqualTo(200);
  }

  @Test
  void a_body_over_the_limit_and_a_form_without_the_block_part_are_bad_requests() {
    String boundary = "b0undary";
    byte[] big = new byte[2048];
    AdminResponse tooLarge = handler.handle(new AdminRequest("POST", "/participation/v1/channels", "",
        "multipart/form-data; boundary=" + boundary, big));
    assertThat(tooLarge.status()).isEqualTo(400);
    assertThat(tooLarge.json()).contains("request body too large");
    byte[] form = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"other\"; filename=\"x.block\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\nabc\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    AdminResponse missing = handler.handle(new AdminRequest("POST", "/participation/v1/channels", "",
        "multipart/form-data; boundary=" + boundary, form));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json()).isEqualTo("{\"error\":\"form does not contains part key: config-block\"}");
  }

  @Test
  void a_disabled_api_answers_503() {
    AdminResponse r = new ParticipationHandler(registrar, false, 1024).handle(get("/participation/v1/channels"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json()).isEqualTo("{\"error\":\"channel participation API is disabled\"}");
  }
}
