package io.caravan.server.cli;

import io.caravan.traffic.skydive.AnalyzerDemo;
import java.io.PrintWriter;

/** Runs the traffic tool's analyzer stand-in; loaded only once {@link AnalyzerCommand} found the tool. */
final class AnalyzerRun {
    private AnalyzerRun() {
    }

    static void run(int port, int flowsPerSecond, String username, String password, PrintWriter out)
            throws InterruptedException {
        AnalyzerDemo.run(port, flowsPerSecond, username, password, out);
    }
}
