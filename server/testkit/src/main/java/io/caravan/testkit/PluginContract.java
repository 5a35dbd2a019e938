package io.caravan.testkit;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks every plugin's build must pass before PF4J and the runtime see it: its extensions
 * are listed in META-INF/extensions.idx, marked {@code @Extension}, implement a Caravan
 * extension point, have a public no-argument constructor and no static state.
 */
public final class PluginContract {
    private static final List<String> EXTENSION_POINTS = List.of("io.caravan.api.stage.StageProvider",
            "io.caravan.api.plugin.ComponentProvider", "io.caravan.api.plugin.BeanProvider");

    private PluginContract() {
    }

    /** Fails unless the module's built extensions.idx lists exactly {@code extensions}. */
    public static void assertIndexed(List<Class<?>> extensions) throws IOException {
        Set<String> indexed = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("target/classes/META-INF/extensions.idx"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                indexed.add(line.trim());
            }
        }
        Set<String> expected = new TreeSet<>(extensions.stream().map(Class::getName).toList());
        if (!indexed.equals(expected)) {
            throw new AssertionError("META-INF/extensions.idx lists " + indexed + " but the plugin contributes " + expected);
        }
    }

    /** Fails unless each class is an {@code @Extension} of a Caravan extension point with a public no-arg constructor and no static fields. */
    public static void assertStaticFreeExtensions(List<Class<?>> extensions) throws ReflectiveOperationException {
        for (Class<?> type : extensions) {
            if (Arrays.stream(type.getAnnotations()).noneMatch(a -> a.annotationType().getName().equals("org.pf4j.Extension"))) {
                throw new AssertionError(type + " is not marked @org.pf4j.Extension");
            }
            boolean implementsPoint = false;
            for (String point : EXTENSION_POINTS) {
                implementsPoint |= Class.forName(point, false, type.getClassLoader()).isAssignableFrom(type);
            }
            if (!implementsPoint) {
                throw new AssertionError(type + " implements none of " + EXTENSION_POINTS);
            }
            if (!Modifier.isPublic(type.getConstructor().getModifiers())) {
                throw new AssertionError(type + " needs a public no-argument constructor");
            }
            List<String> statics = Arrays.stream(type.getDeclaredFields())
                    .filter(f -> !f.isSynthetic() && Modifier.isStatic(f.getModifiers())).map(Field::getName).toList();
            if (!statics.isEmpty()) {
                throw new AssertionError(type + " has static fields " + statics + "; plugin contributions keep no static state");
            }
        }
    }
}
