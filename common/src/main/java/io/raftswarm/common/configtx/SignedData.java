package io.raftswarm.common.configtx;

import com.google.protobuf.ByteString;

/** One signature to evaluate a policy with (Fabric's protoutil.SignedData): signed bytes, signer identity, signature. */
public record SignedData(byte[] data, ByteString identity, byte[] signature) {}
