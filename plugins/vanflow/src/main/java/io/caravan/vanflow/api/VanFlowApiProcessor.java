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
    private volatile Cors cors = new Cors("");
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
        cors = s.cors();
        log.info("VAN-flow collector: ended records kept {}, at most {} records, REST API {}, {}", s.ttl(),
                s.maxRecords(), auth, cors);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        String authorization = in.getHeader("Authorization", String.class);
        String uri = in.getHeader(Exchange.HTTP_URI, "", String.class);
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        String origin = in.getHeader("Origin", String.class);
        boolean preflight = "OPTIONS".equalsIgnoreCase(method)
                && in.getHeader("Access-Control-Request-Method", String.class) != null;
        int q = uri.indexOf('?');
        if (q >= 0) {
            query = query == null ? uri.substring(q + 1) : query;
            uri = uri.substring(0, q);
        }
        int at = uri.indexOf(PREFIX);
        String path = at < 0 ? uri : uri.substring(at + PREFIX.length());
        in.removeHeaders("*");
        in.setBody(null);
        Cors c = cors;
        String allowed = c.allow(origin);
        if (allowed != null) {
            in.setHeader("Access-Control-Allow-Origin", allowed);
            if (c.credentials()) {
                in.setHeader("Access-Control-Allow-Credentials", "true");
                in.setHeader("Vary", "Origin");
            }
            if (preflight) {
                // Before the auth check: browsers send a preflight without credentials.
                in.setHeader("Access-Control-Allow-Methods", Cors.METHODS);
                in.setHeader("Access-Control-Allow-Headers", Cors.HEADERS);
                in.setHeader("Access-Control-Max-Age", Cors.MAX_AGE_SECONDS);
                in.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
                return;
            }
        }
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
