package io.caravan.server.cli;

import io.caravan.server.CaravanServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code caravan run}: the server in the foreground until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the server with the routes in routes/ and the plugins in plugins/ (the default).")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Caravan parent;

    @Override
    public Integer call() throws Exception {
        return run(parent);
    }

    int run(Caravan root) throws Exception {
        return new CaravanServer(root.config()).run();
    }
}
