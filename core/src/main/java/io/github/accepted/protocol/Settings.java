package io.github.accepted.protocol;

import io.github.accepted.Accepted;
import java.time.Duration;

/** What the protocol's parts share: the engine, paths, limits and answer builders. */
record Settings(
        Accepted accepted,
        String jobsPath,
        int maxBodyBytes,
        Duration maxWait,
        boolean resultRedirect,
        Replies replies,
        RetryAfterPolicy retryAfter) {

    /** {@code requested}, capped at the configured maximum wait. */
    Duration capWait(Duration requested) {
        return requested.compareTo(maxWait) > 0 ? maxWait : requested;
    }
}
