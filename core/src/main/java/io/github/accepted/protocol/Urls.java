package io.github.accepted.protocol;

import io.github.accepted.JobId;

/** The absolute URLs of one request's monitors: {@code base + jobsPath + "/" + id}. */
record Urls(String jobsBase) {

    static Urls of(String base, String jobsPath) {
        return new Urls(base + jobsPath);
    }

    String status(JobId id) {
        return jobsBase + "/" + id.value();
    }

    String result(JobId id) {
        return jobsBase + "/" + id.value() + "/result";
    }

    String collection() {
        return jobsBase;
    }
}
