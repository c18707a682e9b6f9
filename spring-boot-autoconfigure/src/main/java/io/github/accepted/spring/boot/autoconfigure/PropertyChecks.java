package io.github.accepted.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import org.springframework.validation.Errors;

/** The checks of {@link AcceptedProperties}: each bad value is reported with its property path. */
final class PropertyChecks {

    private PropertyChecks() {}

    static void check(AcceptedProperties p, Errors errors) {
        atLeast(errors, "workers", p.getWorkers(), 1);
        atLeast(errors, "maxQueued", p.getMaxQueued(), 1);
        if (p.getMaxRetained() != null) {
            atLeast(errors, "maxRetained", p.getMaxRetained(), 1);
        }
        positive(errors, "retention", p.getRetention());
        atLeastOneMilli(errors, "purgeInterval", p.getPurgeInterval());
        atLeastOneMilli(errors, "pollInterval", p.getPollInterval());
        notNegative(errors, "shutdownTimeout", p.getShutdownTimeout());
        if (p.getPrefetch() < 0 || p.getPrefetch() > 1024) {
            errors.rejectValue("prefetch", "range", "must be between 0 and 1024");
        }
        String jobsPath = p.getJobsPath();
        if (jobsPath == null || !RouteSpec.isPath(jobsPath) || jobsPath.length() < 2 || jobsPath.endsWith("/")) {
            errors.rejectValue("jobsPath", "path", "must be an absolute path like /jobs, without a trailing slash");
        }
        if (p.getMaxBodySize() == null
                || p.getMaxBodySize().toBytes() < 2
                || p.getMaxBodySize().toBytes() > Integer.MAX_VALUE - 8) {
            errors.rejectValue("maxBodySize", "range", "must be between 2B and 2047MB");
        }
        if (p.getMaxInlineResultSize() == null
                || p.getMaxInlineResultSize().toBytes() < 0
                || p.getMaxInlineResultSize().toBytes() > Integer.MAX_VALUE) {
            errors.rejectValue("maxInlineResultSize", "range", "must be between 0B and 2047MB");
        }
        if (p.getRetryAfter() != null) {
            notNegative(errors, "retryAfter", p.getRetryAfter());
        }
        if (p.getMaxRetryAfter() == null || p.getMaxRetryAfter().compareTo(Duration.ofSeconds(1)) < 0) {
            errors.rejectValue("maxRetryAfter", "min", "must be at least 1s");
        }
        notNegative(errors, "maxWait", p.getMaxWait());
        for (Map.Entry<String, AcceptedProperties.RouteProperties> entry :
                p.getRoutes().entrySet()) {
            checkRoute(errors, "routes[" + entry.getKey() + "]", entry.getValue());
        }
        if (p.getPostgres().getLeaseTimeout() == null
                || p.getPostgres().getLeaseTimeout().toMillis() < 30) {
            errors.rejectValue("postgres.leaseTimeout", "min", "must be at least 30ms");
        }
    }

    private static void checkRoute(Errors errors, String path, AcceptedProperties.RouteProperties route) {
        if (route.getRoute() != null) {
            try {
                RouteSpec.parseEndpoint(route.getRoute());
            } catch (IllegalArgumentException e) {
                errors.rejectValue(path + ".route", "route", String.valueOf(e.getMessage()));
            }
        }
        if (route.getWaitByDefault() != null) {
            notNegative(errors, path + ".waitByDefault", route.getWaitByDefault());
        }
        if (route.getRetryAfter() != null) {
            notNegative(errors, path + ".retryAfter", route.getRetryAfter());
        }
    }

    private static void atLeast(Errors errors, String field, int value, int min) {
        if (value < min) {
            errors.rejectValue(field, "min", "must be at least " + min);
        }
    }

    private static void positive(Errors errors, String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            errors.rejectValue(field, "positive", "must be positive");
        }
    }

    private static void atLeastOneMilli(Errors errors, String field, Duration value) {
        if (value == null || value.toMillis() < 1) {
            errors.rejectValue(field, "min", "must be at least 1ms");
        }
    }

    private static void notNegative(Errors errors, String field, Duration value) {
        if (value == null || value.isNegative()) {
            errors.rejectValue(field, "negative", "must not be negative");
        }
    }
}
