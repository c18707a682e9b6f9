package io.github.accepted.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A request body read with Servlet non-blocking I/O, as the {@link Flow.Publisher} the protocol
 * engine subscribes to. Subscribing starts async mode (if it is not started yet) and sets a
 * {@link ReadListener}: no container thread waits for a slow client's bytes.
 *
 * <p>Signals are serialised by a work-in-progress counter: the container's listener callbacks
 * and the subscriber's {@code request} calls may come from different threads, and whichever
 * comes first reads, as long as there is demand and {@link ServletInputStream#isReady()} says a
 * read will not block. Each buffer handed to {@code onNext} is reused once it returns.
 * Subscribe on the thread running {@code service} (the engine does, when it asks for the body).
 */
final class ServletBody implements Flow.Publisher<ByteBuffer> {

    private final HttpServletRequest request;
    private final Runnable onReadToTheEnd;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    /** {@code onReadToTheEnd} runs once the last byte was read, before the subscriber hears it. */
    ServletBody(HttpServletRequest request, Runnable onReadToTheEnd) {
        this.request = request;
        this.onReadToTheEnd = onReadToTheEnd;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
            subscriber.onError(new IllegalStateException("the request body can be read once"));
            return;
        }
        Reading reading = new Reading(subscriber, onReadToTheEnd);
        subscriber.onSubscribe(reading);
        try {
            if (!request.isAsyncStarted()) {
                AsyncContext async = request.startAsync();
                async.setTimeout(0); // the connection's idle timeout bounds a client that stops sending
            }
            ServletInputStream in = request.getInputStream();
            reading.start(in);
            in.setReadListener(reading);
        } catch (IOException | RuntimeException e) {
            reading.onError(e);
        }
    }

    /** One subscription: the read loop, driven by listener callbacks and demand. */
    private static final class Reading implements Flow.Subscription, ReadListener {

        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final Runnable onReadToTheEnd;
        private final AtomicInteger wip = new AtomicInteger();
        private final AtomicLong demand = new AtomicLong();
        private final byte[] buffer = new byte[8192];
        private volatile @Nullable ServletInputStream in; // set by start, which may come after a request
        private volatile boolean available;
        private volatile boolean allRead;
        private volatile boolean cancelled;
        private volatile @Nullable Throwable error;
        private boolean done; // touched only inside drain

        Reading(Flow.Subscriber<? super ByteBuffer> subscriber, Runnable onReadToTheEnd) {
            this.subscriber = subscriber;
            this.onReadToTheEnd = onReadToTheEnd;
        }

        void start(ServletInputStream stream) {
            in = stream;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                error = new IllegalArgumentException("demand must be positive (rule 3.9), was " + n);
            } else {
                demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        @Override
        public void onDataAvailable() {
            available = true;
            drain();
        }

        @Override
        public void onAllDataRead() {
            allRead = true;
            drain();
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            drain();
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                if (!done) {
                    step();
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private void step() {
            while (!cancelled && error == null && in != null && available && demand.get() > 0) {
                int n;
                try {
                    if (!in.isReady()) {
                        available = false; // the container calls onDataAvailable when there is more
                        break;
                    }
                    n = in.read(buffer);
                } catch (IOException | RuntimeException e) {
                    error = e;
                    break;
                }
                if (n < 0) {
                    available = false;
                    allRead = true;
                } else if (n > 0) {
                    demand.decrementAndGet();
                    subscriber.onNext(ByteBuffer.wrap(buffer, 0, n));
                }
            }
            if (cancelled) {
                done = true;
            } else if (error != null) {
                done = true;
                subscriber.onError(error);
            } else if (allRead && !available) {
                done = true;
                onReadToTheEnd.run();
                subscriber.onComplete();
            }
        }
    }
}
