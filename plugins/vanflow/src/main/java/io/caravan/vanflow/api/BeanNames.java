package io.caravan.vanflow.api;

/** The registry names the plugin's beans are bound under, for routes and the AMQP side. */
public final class BeanNames {
    /** The {@link io.caravan.vanflow.state.CollectorState} ({@code #vanflowState}). */
    public static final String STATE = "vanflowState";
    /** The REST processor routes/vanflow-api.yaml calls ({@code ref: vanflowApi}). */
    public static final String API = "vanflowApi";

    private BeanNames() {
    }
}
