package io.github.accepted.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a request's CPU time goes: JFR execution samples taken in this JVM while {@code work}
 * runs, counted for the server's request threads, and the share of those samples whose stack
 * passes through each named method ("Class.method", simple class name).
 */
final class CpuProfile {

    /** The samples of one profiled run. */
    record Shares(int samples, Map<String, Double> percentByMethod) implements java.io.Serializable {}

    private CpuProfile() {}

    static Shares of(String threadPrefix, List<String> methods, Callable<?> work) throws Exception {
        Path file = Files.createTempFile("accepted-profile", ".jfr");
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
            recording.start();
            work.call();
            recording.stop();
            recording.dump(file);
            String keep = System.getProperty("accepted.profile.dir");
            if (keep != null) { // for a closer look: jfr print --events jdk.ExecutionSample FILE
                Path dir = Files.createDirectories(Path.of(keep));
                Files.copy(file, dir.resolve("profile-" + System.nanoTime() + ".jfr"));
            }
            return count(file, threadPrefix, methods);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Shares count(Path file, String threadPrefix, List<String> methods) throws IOException {
        Map<String, Integer> hits = new LinkedHashMap<>();
        methods.forEach(m -> hits.put(m, 0));
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                    || event.getStackTrace() == null
                    || event.getThread("sampledThread") == null) {
                continue;
            }
            String thread = event.getThread("sampledThread").getJavaName();
            if (thread == null || !thread.startsWith(threadPrefix)) {
                continue;
            }
            samples++;
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                String type = frame.getMethod().getType().getName();
                String name = type.substring(type.lastIndexOf('.') + 1) + "."
                        + frame.getMethod().getName();
                if (hits.containsKey(name) && seen.add(name)) {
                    hits.merge(name, 1, Integer::sum);
                }
            }
        }
        Map<String, Double> percent = new LinkedHashMap<>();
        int total = samples;
        hits.forEach((m, n) -> percent.put(m, total == 0 ? 0 : 100.0 * n / total));
        return new Shares(samples, percent);
    }
}
