package io.caravan.server.plugin;

import io.caravan.api.plugin.BeanProvider;
import io.caravan.server.metrics.MicrometerPluginContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.StageProvider;
import io.caravan.server.stage.RegisteredStage;
import io.caravan.server.stage.StageComponent;
import io.caravan.server.stage.StageEndpoint;
import io.caravan.server.stage.StageRegistry;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.impl.converter.CoreTypeConverterRegistry;
import org.apache.camel.spi.TypeConverterRegistry;
import org.apache.camel.spi.TypeConvertible;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where plugin contributions enter and leave Camel: stages into the
 * {@link StageRegistry} behind {@code stage:}, components with {@code addComponent}, beans into
 * the registry. Camel's own discovery cannot see inside plugin jars, so all of it is done in code.
 */
public final class ContributionRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(ContributionRegistrar.class);

    private final CamelContext camel;
    private final StageRegistry stages;
    private final Function<String, MicrometerPluginContext> contexts;
    /** What each registered plugin's components and beans hold: released when it is withdrawn. */
    private final Map<String, Held> registered = new ConcurrentHashMap<>();

    /** A plugin's component-and-bean context (its meters) and its beans, to close on withdraw. */
    private record Held(MicrometerPluginContext context, Map<String, Object> beans) {
    }

    /**
     * @param contexts makes the context a plugin's components and beans get, by plugin id
     */
    public ContributionRegistrar(CamelContext camel, StageRegistry stages,
                                 Function<String, MicrometerPluginContext> contexts) {
        this.camel = camel;
        this.stages = stages;
        this.contexts = contexts;
    }

    /**
     * Registers everything the plugin contributes, or nothing: every name is checked for a clash
     * before the first is registered.
     */
    public void register(LoadedPlugin plugin) throws PluginLoadException {
        Contributions c = plugin.contributions();
        String who = plugin.source().getFileName() + ": plugin '" + plugin.id() + "'";
        for (StageProvider<?, ?> s : c.stages()) {
            var clash = stages.find(s.name());
            if (clash.isPresent()) {
                throw new PluginLoadException(who + " contributes stage '" + s.name() + "', already contributed by plugin '"
                        + clash.get().pluginId() + "'");
            }
        }
        for (ComponentProvider cp : c.components()) {
            if (cp.scheme().equals(StageComponent.SCHEME) || camel.hasComponent(cp.scheme()) != null
                    || resolvable(cp.scheme())) {
                throw new PluginLoadException(who + " contributes component '" + cp.scheme()
                        + "', but that scheme is already taken");
            }
        }
        for (String bean : c.beanNames()) {
            if (camel.getRegistry().lookupByName(bean) != null) {
                throw new PluginLoadException(who + " contributes bean '" + bean + "', but a bean of that name exists");
            }
        }
        List<Runnable> undo = new ArrayList<>();
        MicrometerPluginContext context = contexts.apply(plugin.id());
        undo.add(context::close);
        Map<String, Object> beans = new LinkedHashMap<>();
        undo.add(() -> closeBeans(plugin, beans));
        try (LoaderSwap ignored = LoaderSwap.to(plugin.classLoader())) {
            for (StageProvider<?, ?> s : c.stages()) {
                stages.add(new RegisteredStage(s, plugin.id(), plugin.version(), plugin.classLoader()));
                undo.add(() -> stages.remove(s.name()));
            }
            for (ComponentProvider cp : c.components()) {
                Component component = cp.create(context);
                camel.addComponent(cp.scheme(), component);
                undo.add(() -> camel.removeComponent(cp.scheme()));
            }
            for (BeanProvider bp : c.beanProviders()) {
                for (Map.Entry<String, Object> bean : bp.beans(context).entrySet()) {
                    if (!c.beanNames().contains(bean.getKey())) {
                        throw new IllegalStateException("bean '" + bean.getKey() + "' is not among the names its"
                                + " provider describes " + c.beanNames());
                    }
                    beans.put(bean.getKey(), bean.getValue());
                    camel.getRegistry().bind(bean.getKey(), bean.getValue());
                    undo.add(() -> camel.getRegistry().unbind(bean.getKey()));
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // Newest first: beans unbound before they are closed, meters released last.
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
            throw new PluginLoadException(who + ": registering its contributions failed: " + e, e);
        }
        registered.put(plugin.id(), new Held(context, beans));
    }

    /** Closes the plugin's beans that are {@link AutoCloseable}, as BeanProvider promises; a failure is logged. */
    private static void closeBeans(LoadedPlugin plugin, Map<String, Object> beans) {
        try (LoaderSwap ignored = LoaderSwap.to(plugin.classLoader())) {
            for (Map.Entry<String, Object> bean : beans.entrySet()) {
                if (bean.getValue() instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception | LinkageError e) {
                        LOG.warn("Closing bean '{}' of plugin '{}' failed: {}", bean.getKey(), plugin.id(), e.toString());
                    }
                }
            }
        }
        beans.clear();
    }

    private boolean resolvable(String scheme) {
        try {
            return PluginHelper.getComponentResolver(camel).resolveComponent(scheme, camel) != null;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Withdraws everything the plugin contributed and drops Camel's references to its classes
     * (endpoints, components, beans, cached introspection), so its class loader can be collected.
     * Routes using them must already be removed.
     */
    public void withdraw(LoadedPlugin plugin) {
        Contributions c = plugin.contributions();
        for (StageProvider<?, ?> s : c.stages()) {
            stages.remove(s.name());
            for (Endpoint e : List.copyOf(camel.getEndpoints())) {
                if (e instanceof StageEndpoint se && se.stageName().equals(s.name())) {
                    removeEndpoint(e);
                }
            }
        }
        for (ComponentProvider cp : c.components()) {
            for (Endpoint e : List.copyOf(camel.getEndpoints())) {
                if (e.getEndpointUri().startsWith(cp.scheme() + ":")) {
                    removeEndpoint(e);
                }
            }
            Component removed = camel.removeComponent(cp.scheme());
            if (removed != null) {
                try {
                    removed.close();
                } catch (Exception e) {
                    LOG.warn("Closing component '{}' of plugin '{}' failed: {}", cp.scheme(), plugin.id(), e.toString());
                }
            }
        }
        for (String bean : c.beanNames()) {
            camel.getRegistry().unbind(bean);
        }
        Held held = registered.remove(plugin.id());
        if (held != null) {
            closeBeans(plugin, held.beans());
            held.context().close();
        }
        PluginHelper.getBeanIntrospection(camel).clearCache();
        forgetClassesOf(plugin.classLoader());
    }

    /**
     * Camel keeps what it learned about classes for the context's lifetime: type conversions, hits
     * and misses, keyed by from and to class (a stage body of a plugin's own type converted for a
     * log or a {@code convertBodyTo}), and the bean component's method info keyed by class and
     * bean instance (a plugin's bean called from a route). Either pins the plugin's class loader
     * after unload, and neither cache can be listed through Camel's API, so the maps are read
     * reflectively: type conversions naming the plugin's classes are removed, the bean info cache
     * (only a cache) is cleared.
     */
    private void forgetClassesOf(ClassLoader loader) {
        TypeConverterRegistry converters = camel.getTypeConverterRegistry();
        Map<?, ?> conversions = field(converters, CoreTypeConverterRegistry.class, "converters");
        if (conversions != null) {
            for (Object key : List.copyOf(conversions.keySet())) {
                if (key instanceof TypeConvertible<?, ?> tc && (loadedBy(tc.getFrom(), loader) || loadedBy(tc.getTo(), loader))) {
                    converters.removeTypeConverter(tc.getTo(), tc.getFrom());
                }
            }
        }
        Component bean = camel.hasComponent("bean");
        if (bean != null) {
            Map<?, ?> beanInfos = field(bean, bean.getClass(), "beanInfoCache");
            if (beanInfos != null) {
                beanInfos.clear();
            }
        }
    }

    private static boolean loadedBy(Class<?> type, ClassLoader loader) {
        Class<?> c = type;
        while (c != null && c.isArray()) {
            c = c.getComponentType();
        }
        return c != null && c.getClassLoader() == loader;
    }

    private static Map<?, ?> field(Object owner, Class<?> declaring, String name) {
        try {
            Field f = declaring.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(owner) instanceof Map<?, ?> m ? m : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Cannot clear Camel's {} cache of {} ({}): an unloaded plugin's classes may stay in memory",
                    name, declaring.getSimpleName(), e.toString());
            return null;
        }
    }

    private void removeEndpoint(Endpoint e) {
        try {
            camel.removeEndpoint(e);
        } catch (Exception ex) {
            LOG.warn("Removing endpoint {} failed: {}", e.getEndpointUri(), ex.toString());
        }
    }
}
