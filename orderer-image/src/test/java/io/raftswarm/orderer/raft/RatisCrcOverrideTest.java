package io.raftswarm.orderer.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.Checksum;
import org.apache.ratis.util.PureJavaCrc32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orderer's {@code org.apache.ratis.util.PureJavaCrc32C}, which replaces Ratis' own so that the
 * Raft log's checksums run on the JDK's CRC32C: it is the class Ratis gets, it has every public
 * member of Ratis' class, and it computes what Ratis' class computes.
 */
class RatisCrcOverrideTest {
  private static final String NAME = "org/apache/ratis/util/PureJavaCrc32C.class";
  private static Class<?> ratisOwn;

  /** Ratis' class, loaded from its jar by a loader of its own (the application's loader finds ours first). */
  @BeforeAll
  static void loadRatisOwn() throws Exception {
    URL jar = Collections.list(RatisCrcOverrideTest.class.getClassLoader().getResources(NAME)).stream()
        .filter(u -> u.getProtocol().equals("jar") && u.getPath().contains("ratis-common"))
        .findFirst().orElseThrow(() -> new AssertionError("no ratis-common jar with " + NAME + " on the class path"));
    String path = jar.getPath();
    URL jarFile = new URL(path.substring(0, path.indexOf("!/")));
    ratisOwn = new URLClassLoader(new URL[] {jarFile}, ClassLoader.getPlatformClassLoader())
        .loadClass("org.apache.ratis.util.PureJavaCrc32C");
  }

  @Test
  void the_class_that_ratis_gets_by_that_name_is_the_orderers() throws Exception {
    Class<?> resolved = Class.forName("org.apache.ratis.util.PureJavaCrc32C", false,
        org.apache.ratis.server.RaftServer.class.getClassLoader());

    assertThat(resolved).isSameAs(PureJavaCrc32C.class);
    assertThat(resolved.getProtectionDomain().getCodeSource().getLocation())
        .isEqualTo(RaftSettings.class.getProtectionDomain().getCodeSource().getLocation());
    assertThat(ratisOwn).isNotSameAs(resolved);
  }

  @Test
  void it_has_every_public_constructor_and_method_of_ratis_class() {
    assertThat(publicMembers(PureJavaCrc32C.class)).containsAll(publicMembers(ratisOwn));
  }

  @Test
  void it_gives_the_standard_crc32c_check_value() {
    Checksum crc = new PureJavaCrc32C();
    crc.update("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9);

    assertThat(crc.getValue()).isEqualTo(0xE3069283L);
  }

  @Test
  void it_computes_what_ratis_class_computes_on_arrays_buffers_and_single_bytes() throws Exception {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      byte[] data = new byte[random.nextInt(5_000)];
      random.nextBytes(data);
      int off = data.length == 0 ? 0 : random.nextInt(data.length);
      int len = random.nextInt(data.length - off + 1);
      Checksum ours = new PureJavaCrc32C();
      Checksum theirs = (Checksum) ratisOwn.getConstructor().newInstance();

      ours.update(data, off, len);
      theirs.update(data, off, len);
      assertThat(ours.getValue()).as("byte[] of %d from %d", len, off).isEqualTo(theirs.getValue());

      for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.wrap(data), ByteBuffer.allocateDirect(data.length).put(data)}) {
        buffer.limit(off + len).position(off);
        ours.reset();
        theirs.reset();
        ours.update(buffer);
        assertThat(buffer.position()).as("the buffer's position after our update").isEqualTo(off);
        theirs.update(buffer);
        assertThat(buffer.position()).as("the buffer's position after Ratis' update").isEqualTo(off);
        assertThat(ours.getValue()).as("%s of %d from %d", buffer.isDirect() ? "direct buffer" : "heap buffer", len, off)
            .isEqualTo(theirs.getValue());
      }

      int b = random.nextInt(256);
      ours.update(b);
      theirs.update(b);
      assertThat(ours.getValue()).as("then one byte").isEqualTo(theirs.getValue());
    }
  }

  /** "&lt;init&gt;[parameters]" and "[static ]name[parameters] -> return type" of each public constructor and method a class declares. */
  private static Set<String> publicMembers(Class<?> c) {
    Set<String> members = new TreeSet<>();
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (Modifier.isPublic(k.getModifiers())) {
        members.add("<init>" + Arrays.toString(k.getParameterTypes()));
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers())) {
        members.add((Modifier.isStatic(m.getModifiers()) ? "static " : "") + m.getName()
            + Arrays.toString(m.getParameterTypes()) + " -> " + m.getReturnType().getName());
      }
    }
    return members;
  }
}
