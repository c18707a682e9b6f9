package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.Accepted;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.spi.JobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code accepted.*} settings. Checked when they are bound: a bad value stops the application
 * at startup with the property's name and the reason. Defaults are those of the engine's builders,
 * except {@code shutdown-timeout} (25 s, so that it fits Spring's default 30 s shutdown phase).
 */
@ConfigurationProperties("accepted")
public class AcceptedProperties implements Validator {

    /** Default of {@code accepted.shutdown-timeout}: 25 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(25);

    /** Where jobs are kept. */
    public enum StoreType {
        /** PostgreSQL when accepted-postgres and a DataSource bean are present, else memory. */
        AUTO,
        /** In memory: one instance; queued jobs fail at shutdown. */
        MEMORY,
        /** PostgreSQL (accepted-postgres and a DataSource bean required). */
        POSTGRES
    }

    /** Where jobs are kept: auto (PostgreSQL when accepted-postgres and a DataSource are present), memory or postgres. */
    private StoreType store = StoreType.AUTO;

    /** How many jobs run at once on this instance (threads of the worker pool). Default: processors, at least 2. */
    private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());

    /** At most this many queued jobs (across instances on PostgreSQL); past it, submissions get 503. */
    private int maxQueued = JobStore.DEFAULT_MAX_QUEUED;

    /** At most this many job records in all. Default: 100,000 in memory, unbounded on PostgreSQL. */
    private @Nullable Integer maxRetained;

    /** How long finished jobs are kept. */
    private Duration retention = Accepted.DEFAULT_RETENTION;

    /** How often expired jobs are purged. */
    private Duration purgeInterval = Accepted.DEFAULT_PURGE_INTERVAL;

    /** How often the store is checked for queued work besides the wake-up after each submit. */
    private Duration pollInterval = Accepted.DEFAULT_POLL_INTERVAL;

    /**
     * Jobs claimed ahead of the free workers (0 to 1024). 0, the default, claims only for free
     * workers. A few (e.g. 4) save claims when jobs are short and many; with long jobs a
     * prefetched job waits for a worker of its own instance even while another is idle.
     */
    private int prefetch = Accepted.DEFAULT_PREFETCH;

    /**
     * How long running jobs get to finish at shutdown, while new submissions get 503 and monitors
     * keep answering. Unless set, spring.lifecycle.timeout-per-shutdown-phase follows it (+5 s).
     */
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

    /** Where the monitor endpoints live (GET /jobs, GET|DELETE /jobs/{id}, GET /jobs/{id}/result). */
    private String jobsPath = ProtocolEngine.DEFAULT_JOBS_PATH;

    /** The largest request body a submit endpoint takes; larger ones get 413. */
    private DataSize maxBodySize = DataSize.ofBytes(ProtocolEngine.DEFAULT_MAX_BODY_BYTES);

    /** The largest JSON result shown inline in the status monitor; larger ones only at /jobs/{id}/result. */
    private DataSize maxInlineResultSize = DataSize.ofBytes(ProtocolEngine.DEFAULT_MAX_INLINE_RESULT_BYTES);

    /** A fixed Retry-After for unfinished jobs. Default: adaptive (half the expected remaining time). */
    private @Nullable Duration retryAfter;

    /** The longest adaptive Retry-After. */
    private Duration maxRetryAfter = ProtocolEngine.DEFAULT_MAX_RETRY_AFTER;

    /** The longest Prefer: wait honoured; keep it below your proxies' idle timeouts. */
    private Duration maxWait = ProtocolEngine.DEFAULT_MAX_WAIT;

    /** Whether GET /jobs/{id} of a succeeded job answers 303 to its result instead of 200 with it inline. */
    private boolean resultRedirect;

    /** IP addresses of the reverse proxies whose Forwarded / X-Forwarded-* headers are trusted. */
    private List<String> trustedProxies = new ArrayList<>();

    /** Host names clients may use; requests for others get 400. Default: any. */
    private List<String> allowedHosts = new ArrayList<>();

    /**
     * Submit endpoints, by name. A name equal to an @AcceptedJob type changes that handler's
     * route; any other name adds a route (its type defaults to the name).
     */
    private Map<String, RouteProperties> routes = new LinkedHashMap<>();

    /** The PostgreSQL store. */
    private final Postgres postgres = new Postgres();

    /** A submit endpoint. */
    public static class RouteProperties {

        /** The endpoint as "METHOD /path", such as "POST /api/reports". */
        private @Nullable String route;

        /** The job type it creates. Default: the route's name. */
        private @Nullable String type;

        /** Whether the route is served. */
        private @Nullable Boolean enabled;

        /** "Auto" mode: wait this long for the job before answering 202. */
        private @Nullable Duration waitByDefault;

        /** Whether submissions without an Idempotency-Key are refused (400). */
        private @Nullable Boolean requireIdempotencyKey;

        /** Whether the status monitor shows the job's input. */
        private @Nullable Boolean echoInput;

        /** A fixed Retry-After for this route's jobs. */
        private @Nullable Duration retryAfter;

        public @Nullable String getRoute() {
            return route;
        }

        public void setRoute(@Nullable String route) {
            this.route = route;
        }

        public @Nullable String getType() {
            return type;
        }

        public void setType(@Nullable String type) {
            this.type = type;
        }

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Duration getWaitByDefault() {
            return waitByDefault;
        }

        public void setWaitByDefault(@Nullable Duration waitByDefault) {
            this.waitByDefault = waitByDefault;
        }

        public @Nullable Boolean getRequireIdempotencyKey() {
            return requireIdempotencyKey;
        }

        public void setRequireIdempotencyKey(@Nullable Boolean requireIdempotencyKey) {
            this.requireIdempotencyKey = requireIdempotencyKey;
        }

        public @Nullable Boolean getEchoInput() {
            return echoInput;
        }

        public void setEchoInput(@Nullable Boolean echoInput) {
            this.echoInput = echoInput;
        }

        public @Nullable Duration getRetryAfter() {
            return retryAfter;
        }

        public void setRetryAfter(@Nullable Duration retryAfter) {
            this.retryAfter = retryAfter;
        }
    }

    /** Settings of the PostgreSQL store. */
    public static class Postgres {

        /** How long a claimed job is held without a heartbeat before another instance takes it back. */
        private Duration leaseTimeout = Duration.ofSeconds(10);

        /** Whether the store creates or migrates its schema at start, or only checks it. */
        private boolean createSchema = true;

        /** Whether to LISTEN for wake-ups and changes from other instances. */
        private boolean listen = true;

        /** This instance's name in leases. Default: the JVM's name and a random suffix. */
        private @Nullable String instanceId;

        public Duration getLeaseTimeout() {
            return leaseTimeout;
        }

        public void setLeaseTimeout(Duration leaseTimeout) {
            this.leaseTimeout = leaseTimeout;
        }

        public boolean isCreateSchema() {
            return createSchema;
        }

        public void setCreateSchema(boolean createSchema) {
            this.createSchema = createSchema;
        }

        public boolean isListen() {
            return listen;
        }

        public void setListen(boolean listen) {
            this.listen = listen;
        }

        public @Nullable String getInstanceId() {
            return instanceId;
        }

        public void setInstanceId(@Nullable String instanceId) {
            this.instanceId = instanceId;
        }
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return AcceptedProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        PropertyChecks.check((AcceptedProperties) target, errors);
    }

    public StoreType getStore() {
        return store;
    }

    public void setStore(StoreType store) {
        this.store = store;
    }

    public int getWorkers() {
        return workers;
    }

    public void setWorkers(int workers) {
        this.workers = workers;
    }

    public int getMaxQueued() {
        return maxQueued;
    }

    public void setMaxQueued(int maxQueued) {
        this.maxQueued = maxQueued;
    }

    public @Nullable Integer getMaxRetained() {
        return maxRetained;
    }

    public void setMaxRetained(@Nullable Integer maxRetained) {
        this.maxRetained = maxRetained;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public Duration getPurgeInterval() {
        return purgeInterval;
    }

    public void setPurgeInterval(Duration purgeInterval) {
        this.purgeInterval = purgeInterval;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public int getPrefetch() {
        return prefetch;
    }

    public void setPrefetch(int prefetch) {
        this.prefetch = prefetch;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public String getJobsPath() {
        return jobsPath;
    }

    public void setJobsPath(String jobsPath) {
        this.jobsPath = jobsPath;
    }

    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    public DataSize getMaxInlineResultSize() {
        return maxInlineResultSize;
    }

    public void setMaxInlineResultSize(DataSize maxInlineResultSize) {
        this.maxInlineResultSize = maxInlineResultSize;
    }

    public @Nullable Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(@Nullable Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public Duration getMaxRetryAfter() {
        return maxRetryAfter;
    }

    public void setMaxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = maxRetryAfter;
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public boolean isResultRedirect() {
        return resultRedirect;
    }

    public void setResultRedirect(boolean resultRedirect) {
        this.resultRedirect = resultRedirect;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public List<String> getAllowedHosts() {
        return allowedHosts;
    }

    public void setAllowedHosts(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    public Map<String, RouteProperties> getRoutes() {
        return routes;
    }

    public void setRoutes(Map<String, RouteProperties> routes) {
        this.routes = routes;
    }

    public Postgres getPostgres() {
        return postgres;
    }
}
