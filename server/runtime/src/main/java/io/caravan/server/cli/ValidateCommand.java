package io.caravan.server.cli;

import io.caravan.server.Offline;
import io.caravan.server.config.CaravanConfig;
import io.caravan.server.config.Setting;
import io.caravan.server.reload.DirectoryWatcher;
import io.caravan.server.reload.RouteFileParser;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caravan validate [files...]}: parses route files and resolves every endpoint and stage
 * option against the installed plugins, without starting anything. Exit 0 when all are valid.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check route files offline (default: every file in routes/). Exit 0 if all are valid, 1 if not,"
                + " 2 on bad input (such as a file that does not exist).")
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    Caravan parent;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Route files (YAML).")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CaravanConfig config = parent.config();
        List<Path> targets = new ArrayList<>();
        if (files.isEmpty()) {
            try (Stream<Path> s = Files.list(config.path(Setting.ROUTES_DIR))) {
                s.filter(RouteFileParser::isRouteFile).filter(p -> !DirectoryWatcher.isTemporary(p)).sorted().forEach(targets::add);
            }
        } else {
            for (Path f : files) {
                Path abs = f.toAbsolutePath();
                if (!Files.isRegularFile(abs)) {
                    throw new ParameterException(spec.commandLine(), f + ": no such file (give route files to check,"
                            + " or none for every file in routes/)");
                }
                targets.add(abs);
            }
        }
        try (Offline offline = new Offline(config)) {
            offline.pluginErrors().forEach(e -> err.println("plugin rejected: " + e));
            int bad = 0;
            for (Offline.Result r : offline.validate(targets)) {
                if (r.ok()) {
                    out.println(r.file() + ": OK (" + r.routes().size() + " route" + (r.routes().size() == 1 ? "" : "s")
                            + (r.routes().isEmpty() ? "" : ": " + String.join(", ", r.routes()))
                            + (r.off().isEmpty() ? "" : "; off, precondition false: " + String.join(", ", r.off().keySet()))
                            + ")");
                } else {
                    bad++;
                    err.println(r.file() + ": ERROR: " + r.error());
                }
            }
            out.println(targets.size() - bad + " valid, " + bad + " invalid");
            out.flush();
            err.flush();
            return bad == 0 ? 0 : 1;
        }
    }
}
