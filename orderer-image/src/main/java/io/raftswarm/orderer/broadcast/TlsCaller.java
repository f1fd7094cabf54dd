package io.raftswarm.orderer.broadcast;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Puts the caller's verified TLS client certificate into the gRPC context ({@link #CERTIFICATE}). */
public final class TlsCaller implements ServerInterceptor {
  public static final Context.Key<X509Certificate> CERTIFICATE = Context.key("raftswarm-tls-client-certificate");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    X509Certificate cert = null;
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session != null) {
      try {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
          cert = x;
        }
      } catch (SSLPeerUnverifiedException e) {
        cert = null;
      }
    }
    return Contexts.interceptCall(Context.current().withValue(CERTIFICATE, cert), call, headers, next);
  }
}
