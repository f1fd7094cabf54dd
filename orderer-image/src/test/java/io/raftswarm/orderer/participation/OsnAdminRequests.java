package io.raftswarm.orderer.participation;

import io.raftswarm.common.tls.TlsContexts;
import io.raftswarm.common.tls.TlsMaterial;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The requests Fabric's {@code osnadmin} sends ({@code internal/osnadmin}: list.go, join.go,
 * remove.go), byte for byte where it matters: a join is {@code multipart/form-data} with one file
 * part {@code config-block} named {@code config.block}, as Go's {@code multipart.Writer.CreateFormFile}
 * writes it. The osnadmin binary is not available here; this stands in for its wire format only.
 */
public final class OsnAdminRequests {
  private final HttpClient http;
  private final String base;

  public OsnAdminRequests(String hostPort, TlsMaterial clientTls) {
    this(hostPort, TlsContexts.jdkContext(clientTls));
  }

  public OsnAdminRequests(String hostPort, SSLContext context) {
    this.http = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    this.base = "https://" + hostPort;
  }

  public HttpResponse<String> list() throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + "/participation/v1/channels")).GET());
  }

  public HttpResponse<String> info(String channel) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + "/participation/v1/channels/" + channel)).GET());
  }

  public HttpResponse<String> remove(String channel) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + "/participation/v1/channels/" + channel)).DELETE());
  }

  public HttpResponse<String> join(byte[] block) throws IOException, InterruptedException {
    String boundary = "4f1d0c6b2f0a7e3c9d8b5a6e1f2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f80";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"config-block\"; filename=\"config.block\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(block);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return send(HttpRequest.newBuilder(URI.create(base + "/participation/v1/channels"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
