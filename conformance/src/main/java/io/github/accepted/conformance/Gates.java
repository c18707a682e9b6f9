package io.github.accepted.conformance;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Named latches that test handlers wait on, so a test decides when a job may finish.
 * Thread-safe.
 */
public final class Gates {

    private static final ConcurrentHashMap<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    private Gates() {}

    /** A new, closed gate's name. */
    public static String newGate() {
        String name = UUID.randomUUID().toString();
        GATES.put(name, new CountDownLatch(1));
        return name;
    }

    /** Opens the gate: whoever waits on it goes on. */
    public static void open(String name) {
        latch(name).countDown();
    }

    /** Waits until the gate opens. */
    public static void await(String name) throws InterruptedException {
        latch(name).await();
    }

    /** Whether the gate is open. */
    public static boolean isOpen(String name) {
        return latch(name).getCount() == 0;
    }

    private static CountDownLatch latch(String name) {
        return GATES.computeIfAbsent(name, n -> new CountDownLatch(1));
    }
}
