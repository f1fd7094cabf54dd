package io.raftswarm.swarm.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTarsTest {
  @TempDir Path dir;

  private Path tar(String... nameAndContent) throws IOException {
    Path tar = dir.resolve("image.tar");
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      for (int i = 0; i < nameAndContent.length; i += 2) {
        byte[] data = nameAndContent[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(nameAndContent[i]);
        e.setSize(data.length);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
      }
    }
    return tar;
  }

  @Test
  void image_id_is_the_sha256_of_the_config_named_in_the_manifest_wherever_it_comes()
      throws Exception {
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";
    String expected = "sha256:" + HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(config.getBytes(StandardCharsets.UTF_8)));
    Path tar = tar("manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"raftswarm/orderer:latest\"]}]",
        "layer.tar.gz", "not json", "config.json", config);
    assertThat(ImageTars.imageId(tar)).isEqualTo(expected);
  }

  @Test
  void a_tar_without_manifest_is_refused_with_its_path() throws Exception {
    Path tar = tar("hello.txt", "hi");
    assertThatThrownBy(() -> ImageTars.imageId(tar))
        .isInstanceOf(IOException.class).hasMessageContaining(tar.toString())
        .hasMessageContaining("manifest.json");
  }
}
