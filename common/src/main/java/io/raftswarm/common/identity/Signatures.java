package io.raftswarm.common.identity;

import java.io.IOException;
import java.math.BigInteger;
import java.security.interfaces.ECKey;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/** DER ECDSA signature handling: Fabric accepts only "low-S" signatures (s <= n/2). */
final class Signatures {
  private Signatures() {}

  /** Returns the signature with s replaced by n - s when s is in the upper half, as Fabric's signer does. */
  static byte[] toLowS(byte[] der, ECKey key) {
    BigInteger[] rs = decode(der);
    BigInteger n = key.getParams().getOrder();
    if (rs[1].compareTo(n.shiftRight(1)) <= 0) {
      return der;
    }
    return encode(rs[0], n.subtract(rs[1]));
  }

  static boolean isLowS(byte[] der, ECKey key) {
    BigInteger s = decode(der)[1];
    return s.signum() > 0 && s.compareTo(key.getParams().getOrder().shiftRight(1)) <= 0;
  }

  static BigInteger[] decode(byte[] der) {
    try {
      ASN1Sequence sequence = ASN1Sequence.getInstance(der);
      if (sequence.size() != 2) {
        throw new IllegalArgumentException("ECDSA signature must be a DER SEQUENCE of two INTEGERs");
      }
      return new BigInteger[] {
        ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue(),
        ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue()
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed ECDSA signature: " + e.getMessage(), e);
    }
  }

  static byte[] encode(BigInteger r, BigInteger s) {
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode ECDSA signature", e);
    }
  }
}
