package io.raftswarm.swarm.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: each file in {@code inventories/broken/} is one broken inventory. Its first line
 * says {@code # expect: <field> | <part of the message>}; the offending line carries the marker
 * {@code # <-- error}. The loader must name exactly that line and field.
 */
class BrokenInventoriesTest {

  record Case(Path file, String field, String message, int line, boolean renderWarnsOnly) {
    @Override
    public String toString() {
      return file.getFileName().toString();
    }
  }

  static Path brokenDir() throws URISyntaxException {
    return Path.of(BrokenInventoriesTest.class.getResource("/inventories/broken").toURI());
  }

  static Stream<Case> cases() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(brokenDir())) {
      files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(15);
    return files.stream().map(BrokenInventoriesTest::parse);
  }

  static Case parse(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      String[] expect = lines.get(0).substring("# expect: ".length()).split(" \\| ");
      int line = 0;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("# <-- error")) {
          line = i + 1;
        }
      }
      assertThat(line).as("marker line in " + file).isPositive();
      return new Case(file, expect[0].trim(), expect[1].trim(), line,
          expect.length > 2 && expect[2].trim().equals("render-warns-only"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void error_names_line_and_field(Case c) {
    assertThatThrownBy(() -> InventoryLoader.load(c.file()))
        .isInstanceOf(InventoryException.class)
        .satisfies(e -> {
          List<Problem> problems = ((InventoryException) e).problems();
          assertThat(problems)
              .as("problems reported for %s", c.file().getFileName())
              .anySatisfy(p -> {
                assertThat(p.line()).isEqualTo(c.line());
                assertThat(p.field()).isEqualTo(c.field());
                assertThat(p.toString()).contains(c.message());
              });
          assertThat(e.getMessage()).startsWith(c.file() + ":");
        });
  }

  static Stream<Case> renderCases() throws Exception {
    return cases().filter(c -> !c.renderWarnsOnly());
  }

  /** The file names a missing key; render only warns, provision refuses. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void render_loading_fails_the_same_way_unless_only_local_files_are_missing(Case c) {
    if (c.renderWarnsOnly()) {
      Inventory inv = InventoryLoader.loadForRender(c.file());
      assertThat(inv.warnings()).anySatisfy(w -> assertThat(w).contains(c.field()));
    } else {
      assertThatThrownBy(() -> InventoryLoader.loadForRender(c.file()))
          .isInstanceOf(InventoryException.class)
          .hasMessageContaining(":" + c.line() + ": " + c.field() + ": ");
    }
  }
}
