package io.caravan.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources into a real PF4J plugin jar (manifest, classes, META-INF/extensions.idx
 * from PF4J's own annotation processor), against the test's class path. It can also break the
 * jar in the ways operators break them: no Plugin-Id, a class missing, a corrupt file.
 */
public final class PluginJarBuilder {
    private final String id;
    private final String version;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Set<String> omitted = new HashSet<>();
    private String requires = ">=0.0.1";
    private boolean withId = true;

    private PluginJarBuilder(String id, String version) {
        this.id = id;
        this.version = version;
    }

    public static PluginJarBuilder plugin(String id, String version) {
        return new PluginJarBuilder(id, version);
    }

    /** Adds a compilation unit; {@code className} is fully qualified. */
    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Leaves the manifest without Plugin-Id. */
    public PluginJarBuilder withoutPluginId() {
        withId = false;
        return this;
    }

    /** Compiles the class but leaves it out of the jar (a missing dependency). */
    public PluginJarBuilder omitClass(String className) {
        omitted.add(className);
        return this;
    }

    public PluginJarBuilder requires(String range) {
        requires = range;
        return this;
    }

    /** Writes the jar to {@code out} (atomically, via a temporary file and a rename) and returns it. */
    public Path build(Path out) {
        try {
            Path classes = Files.createTempDirectory("plugin-classes");
            compile(classes);
            Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
            writeJar(classes, tmp);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            deleteTree(classes);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void compile(Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK");
        }
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        }));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                    "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor", "--release", "17", "-proc:full");
            Boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
            if (!ok) {
                throw new IllegalStateException("plugin sources do not compile: " + diagnostics.getDiagnostics());
            }
        }
    }

    private void writeJar(Path classes, Path jar) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (withId) {
            a.putValue("Plugin-Id", id);
        }
        a.putValue("Plugin-Version", version);
        a.putValue("Plugin-Requires", requires);
        a.putValue("Plugin-Description", "test plugin " + id);
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String entry = classes.relativize(p).toString().replace('\\', '/');
                if (entry.endsWith(".class") && isOmitted(entry)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(entry));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
    }

    private boolean isOmitted(String entry) {
        String className = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
        return omitted.stream().anyMatch(o -> className.equals(o) || className.startsWith(o + "$"));
    }

    /**
     * A zip bomb made of a good plugin jar: its {@code META-INF/extensions.idx} followed by
     * {@code zeros} zero bytes, deflated (a gigabyte takes about a megabyte on disk). With
     * {@code declaredSize} set, the central directory claims the index has that many bytes: a
     * header that lies, so only counting inflated bytes can catch it.
     */
    public static Path zipBomb(Path goodJar, Path out, long zeros, Integer declaredSize) {
        String index = "META-INF/extensions.idx";
        try {
            Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
            try (java.io.InputStream in = Files.newInputStream(goodJar); java.util.zip.ZipInputStream zin = new java.util.zip.ZipInputStream(in);
                 OutputStream os = Files.newOutputStream(tmp); java.util.zip.ZipOutputStream zout = new java.util.zip.ZipOutputStream(os)) {
                zout.setLevel(9);
                for (java.util.zip.ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                    zout.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    zin.transferTo(zout);
                    if (e.getName().equals(index)) {
                        byte[] block = new byte[1 << 20];
                        for (long left = zeros; left > 0; left -= block.length) {
                            zout.write(block, 0, (int) Math.min(block.length, left));
                        }
                    }
                    zout.closeEntry();
                }
            }
            if (declaredSize != null) {
                declareSize(tmp, index, declaredSize);
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites a zip's central directory so the entry claims {@code size} uncompressed bytes. */
    private static void declareSize(Path zip, String entry, int size) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int eocd = bytes.length - 22;
        while (b.getInt(eocd) != 0x06054b50) {
            eocd--;
        }
        int count = b.getShort(eocd + 10) & 0xffff;
        int at = b.getInt(eocd + 16);
        for (int i = 0; i < count; i++) {
            int nameLength = b.getShort(at + 28) & 0xffff;
            if (new String(bytes, at + 46, nameLength, StandardCharsets.UTF_8).equals(entry)) {
                b.putInt(at + 24, size);
            }
            at += 46 + nameLength + (b.getShort(at + 30) & 0xffff) + (b.getShort(at + 32) & 0xffff);
        }
        Files.write(zip, bytes);
    }

    /**
     * Source of a one-stage plugin: stage {@code name} sets attribute {@code key} to {@code value}
     * on every record of a FlowBatch. Enough to tell two versions of a plugin apart in the output.
     */
    public static String taggingStage(String pkg, String className, String name, String key, String value) {
        return """
                package %1$s;

                import io.caravan.api.flow.FlowBatch;
                import io.caravan.api.stage.*;
                import java.util.List;
                import org.pf4j.Extension;

                @Extension
                public class %2$s implements StageProvider<FlowBatch, FlowBatch> {
                    public String name() { return "%3$s"; }
                    public String description() { return "sets %4$s=%5$s"; }
                    public Class<FlowBatch> inputType() { return FlowBatch.class; }
                    public Class<FlowBatch> outputType() { return FlowBatch.class; }
                    public List<OptionSpec> options() {
                        return List.of(OptionSpec.of("key", OptionType.STRING, "%4$s", "attribute to set"));
                    }
                    public Stage<FlowBatch, FlowBatch> create(StageOptions o, StageContext c) {
                        String key = o.getString("key");
                        return batch -> { batch.records().forEach(r -> r.attribute(key, "%5$s")); return batch; };
                    }
                }
                """.formatted(pkg, className, name, key, value);
    }
}
