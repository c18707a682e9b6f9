package io.github.accepted.spring.boot.autoconfigure;

/** Exposes the package-private lifecycle phase to tests in other packages. */
public final class AcceptedAutoConfigurationPhases {

    private AcceptedAutoConfigurationPhases() {}

    /** The phase of Accepted's lifecycle. */
    public static int acceptedPhase() {
        return AcceptedLifecycle.PHASE;
    }
}
