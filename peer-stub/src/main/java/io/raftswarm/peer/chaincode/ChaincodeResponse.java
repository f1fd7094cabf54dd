package io.raftswarm.peer.chaincode;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A chaincode's answer, as Fabric's {@code peer.Response}: status 200 = OK, 400.. = error
 * (the proposal is not endorsed).
 */
public record ChaincodeResponse(int status, String message, byte[] payload) {
  public static final int OK = 200;
  public static final int ERROR = 500;

  public ChaincodeResponse {
    message = Objects.requireNonNullElse(message, "");
    payload = payload == null ? new byte[0] : payload.clone();
  }

  public static ChaincodeResponse success() {
    return new ChaincodeResponse(OK, "", new byte[0]);
  }

  public static ChaincodeResponse success(String payload) {
    return new ChaincodeResponse(OK, "", payload.getBytes(StandardCharsets.UTF_8));
  }

  public static ChaincodeResponse success(byte[] payload) {
    return new ChaincodeResponse(OK, "", payload);
  }

  public static ChaincodeResponse error(String message) {
    return new ChaincodeResponse(ERROR, message, new byte[0]);
  }

  public boolean isOk() {
    return status < 400;
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  public String payloadUtf8() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
