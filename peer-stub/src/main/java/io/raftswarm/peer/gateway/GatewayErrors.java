package io.raftswarm.peer.gateway;

import com.google.protobuf.Any;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/**
 * Errors as Fabric's gateway returns them: a gRPC status whose details are one
 * {@code gateway.ErrorDetail} (address, MSP id, message) per endorser or orderer that failed, so
 * the official clients can show where it went wrong.
 */
final class GatewayErrors {
  private GatewayErrors() {}

  static StatusRuntimeException of(io.grpc.Status.Code code, String message, List<ErrorDetail> details) {
    Status.Builder status = Status.newBuilder().setCode(code.value()).setMessage(message);
    details.forEach(d -> status.addDetails(Any.pack(d)));
    return StatusProto.toStatusRuntimeException(status.build());
  }

  static StatusRuntimeException of(io.grpc.Status.Code code, String message) {
    return of(code, message, List.of());
  }

  static ErrorDetail detail(String address, String mspId, String message) {
    return ErrorDetail.newBuilder().setAddress(address).setMspId(mspId).setMessage(message).build();
  }
}
