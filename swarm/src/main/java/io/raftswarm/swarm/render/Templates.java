package io.raftswarm.swarm.render;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The FreeMarker templates in {@code hosts/templates/}. Looked up, first match wins, in
 * {@code -Draftswarm.templates=DIR}, {@code $raftswarm.home/hosts/templates} (set by
 * scripts/raftswarm), the nearest {@code hosts/templates} above the working directory (tests
 * run in swarm/), and finally the class path under {@code /hosts/templates} (a packaged CLI).
 */
final class Templates {
  static final String DIR = "hosts/templates";
  private final Configuration cfg;

  private Templates(Configuration cfg) {
    this.cfg = cfg;
  }

  static Templates load() {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_33);
    List<TemplateLoader> loaders = new ArrayList<>();
    try {
      for (Path dir : candidateDirs()) {
        loaders.add(new FileTemplateLoader(dir.toFile()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the template directory", e);
    }
    loaders.add(new ClassTemplateLoader(Templates.class, "/" + DIR));
    cfg.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(TemplateLoader[]::new)));
    cfg.setDefaultEncoding("UTF-8");
    cfg.setLocale(Locale.ROOT);
    cfg.setNumberFormat("computer"); // 10050, never "10,050"
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setWrapUncheckedExceptions(true);
    cfg.setFallbackOnNullLoopVariable(false);
    return new Templates(cfg);
  }

  private static List<Path> candidateDirs() {
    List<Path> dirs = new ArrayList<>();
    Optional.ofNullable(System.getProperty("raftswarm.templates")).map(Path::of)
        .ifPresent(dirs::add);
    Optional.ofNullable(System.getProperty("raftswarm.home")).map(h -> Path.of(h, DIR))
        .ifPresent(dirs::add);
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(DIR))) {
        dirs.add(p.resolve(DIR));
        break;
      }
    }
    return dirs.stream().filter(Files::isDirectory).toList();
  }

  String render(String name, Map<String, Object> model) {
    try {
      Template template = cfg.getTemplate(name);
      StringWriter out = new StringWriter();
      template.process(model, out);
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load template " + name + " (looked in "
          + candidateDirs() + " and the class path /" + DIR + "); run from a raftswarm checkout"
          + " or set -Draftswarm.templates=<dir>", e);
    } catch (TemplateException e) {
      throw new IllegalStateException("template " + name + " failed: " + e.getMessage(), e);
    }
  }
}
