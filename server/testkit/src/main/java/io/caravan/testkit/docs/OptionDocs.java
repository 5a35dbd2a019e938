package io.caravan.testkit.docs;

import io.caravan.api.plugin.BeanProvider;
import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.StageProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The build step that keeps each plugin's README option tables generated from its
 * {@code OptionSpec}s ({@link OptionTables}). Run by every module under {@code plugins/} at
 * {@code process-test-classes} (exec-maven-plugin, test class path): it reads the module's
 * {@code target/classes/META-INF/extensions.idx}, instantiates the providers listed there, and
 * compares the README's generated blocks with what the specs say now.
 *
 * <p>Mode from {@code -Dcaravan.docs}: {@code check} (default) fails the build naming the README
 * and showing the difference; {@code write} rewrites the blocks; {@code skip} does nothing.
 */
public final class OptionDocs {
    private static final String INDEX = "target/classes/META-INF/extensions.idx";

    /** What to do with a README whose blocks differ from the specs. */
    enum Mode { CHECK, WRITE, SKIP }

    private OptionDocs() {
    }

    /**
     * @param args the module's packaging (a {@code pom} module has no README to check) and its directory
     */
    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: OptionDocs <packaging> <module directory>");
        }
        Mode mode = mode(System.getProperty("caravan.docs", "check"));
        if (mode == Mode.SKIP || args[0].equals("pom")) {
            return;
        }
        Path module = Path.of(args[1]);
        Path readme = module.resolve("README.md");
        String updated = run(module, Thread.currentThread().getContextClassLoader(), mode);
        // Build output, not a log line: Maven shows it next to the step that printed it.
        System.out.println("[caravan-docs] " + readme + ": " + updated);
    }

    static Mode mode(String text) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dcaravan.docs=" + text + ": expected check, write or skip");
        }
    }

    /**
     * Checks or writes the module's README.
     *
     * @return what was done, in words
     * @throws IllegalStateException in CHECK mode when the README is stale, with the difference
     */
    static String run(Path module, ClassLoader loader, Mode mode) throws IOException, ReflectiveOperationException {
        Path readme = module.resolve("README.md");
        if (!Files.isRegularFile(readme)) {
            throw new IllegalStateException(readme + " does not exist; a plugin documents its options in its README");
        }
        OptionTables.Plugin plugin = load(module.resolve(INDEX), loader);
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        String generated = OptionTables.update(readme.toString(), text, plugin);
        if (generated.equals(text)) {
            return "option tables up to date";
        }
        if (mode == Mode.WRITE) {
            Files.writeString(readme, generated, StandardCharsets.UTF_8);
            return "option tables rewritten";
        }
        throw new IllegalStateException(readme + ": the option tables differ from the plugin's OptionSpecs (the specs"
                + " are the source; never edit between the caravan:options markers). Regenerate with"
                + " ./mvnw -B -pl " + module.getParent().getFileName() + "/" + module.getFileName()
                + " -am process-test-classes -Dcaravan.docs=write\n--- README as it is, +++ as the specs make it:\n"
                + OptionTables.diff(text, generated));
    }

    /** The providers the module's extensions.idx lists, instantiated as PF4J would. */
    static OptionTables.Plugin load(Path index, ClassLoader loader) throws IOException, ReflectiveOperationException {
        if (!Files.isRegularFile(index)) {
            throw new IllegalStateException(index + " does not exist: the plugin lists no extensions (is the PF4J"
                    + " annotation processor on the compiler's path?)");
        }
        List<StageProvider<?, ?>> stages = new ArrayList<>();
        List<ComponentProvider> components = new ArrayList<>();
        Map<String, String> beans = new LinkedHashMap<>();
        for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Object extension = Class.forName(name, true, loader).getDeclaredConstructor().newInstance();
            if (extension instanceof StageProvider<?, ?> s) {
                stages.add(s);
            }
            if (extension instanceof ComponentProvider c) {
                components.add(c);
            }
            if (extension instanceof BeanProvider b) {
                beans.putAll(b.descriptions());
            }
        }
        return new OptionTables.Plugin(stages, components, beans);
    }
}
