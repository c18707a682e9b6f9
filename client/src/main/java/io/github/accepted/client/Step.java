package io.github.accepted.client;

import java.net.URI;
import java.time.Duration;

/** What following a job does next. */
sealed interface Step {

    /** The job succeeded with this result. */
    record Done(JobResult result) implements Step {}

    /** Following ends with this error. */
    record Fail(AcceptedClientException error) implements Step {}

    /** After {@code delay}, GET {@code uri}: the status monitor, or (when {@code result}) the result. */
    record Get(URI uri, boolean result, Duration delay) implements Step {}
}
