package io.github.accepted.spi;

import io.github.accepted.Job;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.MDC;

/** {@link JobContextPropagator#mdc(String...)}: chosen MDC keys from the submitter to the runs. */
final class MdcPropagator implements JobContextPropagator {

    private static final String PREFIX = "mdc.";

    private final List<String> keys;

    MdcPropagator(String... keys) {
        this.keys = List.of(Objects.requireNonNull(keys, "keys"));
        if (this.keys.isEmpty()) {
            throw new IllegalArgumentException("name at least one MDC key");
        }
    }

    @Override
    public Map<String, String> capture(String type) {
        Map<String, String> captured = new HashMap<>();
        for (String key : keys) {
            String value = MDC.get(key);
            if (value != null) {
                captured.put(PREFIX + key, value);
            }
        }
        return captured;
    }

    @Override
    public RunScope open(Job job) {
        for (String key : keys) {
            String value = job.propagation().get(PREFIX + key);
            if (value != null) {
                MDC.put(key, value);
            }
        }
        return last -> keys.forEach(MDC::remove);
    }
}
