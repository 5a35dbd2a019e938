package io.caravan.api.stage;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * The extension point through which a plugin contributes a stage, used from routes as
 * {@code stage:<name>?<options>}. Mark implementations {@code @Extension}; they need a public
 * no-argument constructor and no static state.
 *
 * <p>The declared {@link #options()} are the one source of truth: the runtime binds and validates
 * route options against them before a route starts, and {@code caravan plugins}, the admin API and
 * the docs list them. The stage's version is its plugin's version.
 */
public interface StageProvider<I, O> extends ExtensionPoint {

    /** Unique stage name across all plugins: lower-case words joined by '-'. */
    String name();

    /** One line: what the stage does. */
    String description();

    /** The body type the stage takes (a {@code FlowBatch}, a {@code Datagram}, {@code byte[]}, ...). */
    Class<I> inputType();

    /** The body type the stage returns. */
    Class<O> outputType();

    /** Every option the stage accepts. */
    List<OptionSpec> options();

    /**
     * Builds a stage for one endpoint. Options are already bound and type-checked; throw
     * {@link OptionException} for rules that span options (say, two that exclude each other).
     */
    Stage<I, O> create(StageOptions options, StageContext context) throws OptionException;
}
