package io.caravan.server.stage;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every stage the loaded plugins contribute, by name. Thread-safe. */
public final class StageRegistry {
    private final Map<String, RegisteredStage> stages = new TreeMap<>();

    public synchronized void add(RegisteredStage stage) {
        RegisteredStage existing = stages.get(stage.name());
        if (existing != null) {
            throw new IllegalStateException("stage '" + stage.name() + "' is already contributed by plugin '"
                    + existing.pluginId() + "'");
        }
        stages.put(stage.name(), stage);
    }

    public synchronized void remove(String name) {
        stages.remove(name);
    }

    public synchronized Optional<RegisteredStage> find(String name) {
        return Optional.ofNullable(stages.get(name));
    }

    public synchronized Collection<RegisteredStage> all() {
        return List.copyOf(stages.values());
    }

    public synchronized List<String> names() {
        return List.copyOf(stages.keySet());
    }
}
