package io.caravan.vanflow.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.vanflow.state.CollectorState;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * The Camel side of the REST API: routes/vanflow-api.yaml sends every request under
 * {@code platform-http:/api/v1alpha1} here. Checks Basic auth when users are configured, answers
 * GET from {@link VanFlowApi}, and replaces every header so nothing of the request is echoed back.
 *
 * <p>Bound in the registry, it receives the CamelContext and reads the collector's config keys
 * from the server's properties then ({@link VanFlowSettings}), configuring the shared state too.
 */
public final class VanFlowApiProcessor implements Processor, CamelContextAware {
    static final String PREFIX = "/api/v1alpha1";

    private final CollectorState state;
    private final VanFlowApi api;
    private final Logger log;
    private final ObjectMapper json = new ObjectMapper();
    private volatile BasicAuth auth = new BasicAuth("");
    private CamelContext camel;

    public VanFlowApiProcessor(CollectorState state, Logger log) {
        this.state = state;
        this.api = new VanFlowApi(state);
        this.log = log;
    }

    @Override
    public void setCamelContext(CamelContext camel) {
        this.camel = camel;
        VanFlowSettings s = VanFlowSettings.read(key -> camel.getPropertiesComponent().resolveProperty(key).orElse(null),
                CollectorState.DEFAULT_TTL, CollectorState.DEFAULT_MAX_RECORDS);
        configure(s);
    }

    @Override
    public CamelContext getCamelContext() {
        return camel;
    }

    /** Applies the settings: limits to the state, users to the API. */
    public void configure(VanFlowSettings s) {
        state.limits(s.ttl(), s.maxRecords());
        auth = new BasicAuth(s.users());
        log.info("VAN-flow collector: ended records kept {}, at most {} records, REST API {}", s.ttl(), s.maxRecords(), auth);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        String authorization = in.getHeader("Authorization", String.class);
        String uri = in.getHeader(Exchange.HTTP_URI, "", String.class);
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        int q = uri.indexOf('?');
        if (q >= 0) {
            query = query == null ? uri.substring(q + 1) : query;
            uri = uri.substring(0, q);
        }
        int at = uri.indexOf(PREFIX);
        String path = at < 0 ? uri : uri.substring(at + PREFIX.length());
        in.removeHeaders("*");
        in.setBody(null);
        BasicAuth a = auth;
        String user = null;
        if (!a.open()) {
            user = a.user(authorization);
            if (user == null) {
                in.setHeader("WWW-Authenticate", "Basic realm=\"vanflow\"");
                reply(in, 401, java.util.Map.of("error", "missing or wrong credentials"));
                return;
            }
        }
        if (!"GET".equalsIgnoreCase(method) && !"HEAD".equalsIgnoreCase(method)) {
            reply(in, 405, java.util.Map.of("error", "method " + method + " not allowed; the API is read-only"));
            return;
        }
        VanFlowApi.Response r = api.get(path, Query.parse(query), user);
        reply(in, r.status(), r.body());
    }

    private void reply(Message m, int status, Object body) throws Exception {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(json.writeValueAsBytes(body));
    }
}
