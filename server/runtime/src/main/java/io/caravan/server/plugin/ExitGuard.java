package io.caravan.server.plugin;

import java.security.Permission;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a plugin from ending the server with {@code System.exit}, {@code Runtime.exit} or
 * {@code Runtime.halt}, and names the jar when it tries.
 *
 * <p>Two mechanisms, because the JDK is removing the first:
 * <ul>
 *   <li><b>Refuse</b> (Java 17; Java 18-23 with {@code -Djava.security.manager=allow}, which
 *       {@code bin/caravan} adds): a {@link SecurityManager} that permits everything except an exit
 *       whose call stack holds a class of a plugin's class loader. The plugin gets a
 *       {@link SecurityException} naming its jar (so a stage fails that one exchange, and a plugin
 *       that exits while loading or starting is rejected), and the listener records the attempt.</li>
 *   <li><b>Name</b> (always; the only one on Java 24+, where no security manager can be
 *       installed): a shutdown hook that, when the JVM is ending, finds the thread inside
 *       {@code System.exit} and the first plugin class on its stack, and logs the jar. The server
 *       still ends; the log says who ended it. {@code Runtime.halt} runs no hooks and stays unnamed.</li>
 * </ul>
 */
public final class ExitGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ExitGuard.class);
    private static boolean hookInstalled;

    /** A refused exit: which jar, with what status, from which thread and class. */
    public record Attempt(String jar, int status, String thread, String caller) {
        public String message() {
            return "plugin jar " + jar + " called System.exit(" + status + ") (or Runtime.halt) from " + caller + " on thread "
                    + thread + ": refused, the server keeps running";
        }
    }

    /** How the guard ended up working on this JVM. */
    public enum Mode { REFUSING, NAMING_ONLY }

    private ExitGuard() {
    }

    /**
     * Installs the naming hook and, if {@code refuse}, the security manager.
     *
     * @param onRefused told about every refused attempt (from the plugin's thread)
     */
    public static synchronized Mode install(boolean refuse, Consumer<Attempt> onRefused) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExitGuard::nameTheExiter, "caravan-exit-diagnosis"));
            hookInstalled = true;
        }
        if (!refuse) {
            return Mode.NAMING_ONLY;
        }
        @SuppressWarnings("removal")
        SecurityManager current = System.getSecurityManager();
        if (current instanceof Guard g) {
            g.listener = onRefused;
            return Mode.REFUSING;
        }
        if (current != null) {
            LOG.warn("A security manager ({}) is already installed; plugins calling System.exit are only named at exit",
                    current.getClass().getName());
            return Mode.NAMING_ONLY;
        }
        try {
            installSecurityManager(new Guard(onRefused));
            return Mode.REFUSING;
        } catch (UnsupportedOperationException | SecurityException e) {
            int feature = Runtime.version().feature();
            LOG.warn("Java {} cannot refuse System.exit from plugins ({}); {}: a plugin that calls it ends the server, and"
                            + " the log names its jar", feature, e.getMessage(),
                    feature < 24 ? "start Java with -Djava.security.manager=allow (bin/caravan does)" : "no security manager exists any more");
            return Mode.NAMING_ONLY;
        }
    }

    @SuppressWarnings("removal")
    private static void installSecurityManager(SecurityManager sm) {
        System.setSecurityManager(sm);
    }

    /** The plugin jar among the classes on this stack, innermost first. */
    private static Optional<String> pluginOnStack(Class<?>[] stack) {
        for (Class<?> c : stack) {
            if (c.getClassLoader() instanceof IsolatingPluginClassLoader l) {
                return Optional.of(l.jar() + "|" + c.getName());
            }
        }
        return Optional.empty();
    }

    /** Shutdown hook: if a thread is inside System.exit, names the plugin on its stack. */
    private static void nameTheExiter() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] st = e.getValue();
            int exit = -1;
            for (int i = 0; i < st.length; i++) {
                if ((st[i].getClassName().equals("java.lang.Runtime") || st[i].getClassName().equals("java.lang.System"))
                        && st[i].getMethodName().equals("exit")) {
                    exit = i;
                }
            }
            for (int i = exit + 1; exit >= 0 && i < st.length; i++) {
                Optional<String> jar = IsolatingPluginClassLoader.jarOfLoadedClass(st[i].getClassName());
                if (jar.isPresent()) {
                    LOG.error("The server is ending because plugin jar {} called System.exit, at {} on thread {};"
                            + " remove or fix that jar", jar.get(), st[i], e.getKey().getName());
                    return;
                }
            }
        }
    }

    /** Allows everything, as if there were no security manager, except an exit from plugin code. */
    @SuppressWarnings("removal")
    private static final class Guard extends SecurityManager {
        private volatile Consumer<Attempt> listener;

        Guard(Consumer<Attempt> listener) {
            this.listener = listener;
        }

        @Override
        public void checkExit(int status) {
            Optional<String> found = pluginOnStack(getClassContext());
            if (found.isPresent()) {
                String[] jarAndClass = found.get().split("\\|", 2);
                Attempt a = new Attempt(jarAndClass[0], status, Thread.currentThread().getName(), jarAndClass[1]);
                try {
                    listener.accept(a);
                } catch (RuntimeException e) {
                    LOG.warn("Recording {} failed: {}", a.message(), e.toString());
                }
                throw new SecurityException(a.message());
            }
        }

        // Everything else is allowed, and cheaply: no permission objects are built.
        @Override
        public void checkPermission(Permission perm) {
        }

        @Override
        public void checkPermission(Permission perm, Object context) {
        }

        @Override
        public void checkAccept(String host, int port) {
        }

        @Override
        public void checkConnect(String host, int port) {
        }

        @Override
        public void checkConnect(String host, int port, Object context) {
        }

        @Override
        public void checkListen(int port) {
        }

        @Override
        public void checkRead(String file) {
        }

        @Override
        public void checkWrite(String file) {
        }

        @Override
        public void checkDelete(String file) {
        }

        @Override
        public void checkPropertyAccess(String key) {
        }

        @Override
        public void checkPropertiesAccess() {
        }

        @Override
        public void checkAccess(Thread t) {
        }

        @Override
        public void checkAccess(ThreadGroup g) {
        }

        @Override
        public void checkExec(String cmd) {
        }

        @Override
        public void checkLink(String lib) {
        }

        @Override
        public void checkPackageAccess(String pkg) {
        }

        @Override
        public void checkSecurityAccess(String target) {
        }
    }
}
