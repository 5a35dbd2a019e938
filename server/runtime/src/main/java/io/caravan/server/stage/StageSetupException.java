package io.caravan.server.stage;

/**
 * A {@code stage:} endpoint cannot be set up: an unknown stage, or options its stage refuses. It
 * carries the route being created when it happened, so the route file's error can name route,
 * file, stage and option in one line.
 */
public final class StageSetupException extends IllegalArgumentException {
    private final String routeId;
    private final String detail;

    /**
     * @param routeId the route whose creation set up the endpoint, or null outside a route's creation
     * @param detail  what is wrong, naming the stage (and the option): {@code stage 'x': option 'y' ...}
     */
    StageSetupException(String routeId, String detail, Throwable cause) {
        super(routeId == null ? detail : "route '" + routeId + "': " + detail, cause);
        this.routeId = routeId;
        this.detail = detail;
    }

    /** The route being created when the endpoint was set up, or null. */
    public String routeId() {
        return routeId;
    }

    /** What is wrong, without the route. */
    public String detail() {
        return detail;
    }
}
