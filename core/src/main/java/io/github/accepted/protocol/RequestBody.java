package io.github.accepted.protocol;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * The body of a {@link ProtocolRequest}, in the form the adapter has it. The engine reads a body
 * only for a submission, and only after the request's head passed every check that needs no body
 * ({@code Content-Type}, {@code Content-Encoding}, a declared {@code Content-Length} over the
 * limit, {@code Expect: 100-continue}): a refused request never has a byte of its body read.
 * It reads at most the body limit, then reads and drops up to 4 MiB more before answering
 * {@code 413}, so that a client still sending hears the answer.
 *
 * <p>Three forms, one per kind of adapter:
 * <ul>
 *   <li>{@link #ofBytes(byte[])}: the adapter read the body already (a framework that buffers
 *       bodies itself). Check the framework's own size limit: the engine sees the bytes only after.</li>
 *   <li>{@link #ofStream(InputStream)}: blocking reads on the thread that calls the engine. Only
 *       for servers whose threads are the adapter's to block (the JDK's {@code HttpServer}, say):
 *       a client that sends its body slowly holds that thread as long as it likes.</li>
 *   <li>{@link #ofPublisher(Flow.Publisher)}: non-blocking. The engine subscribes once, asks for
 *       one buffer at a time, copies each before asking for the next (so a buffer may be reused
 *       or released once {@code onNext} returns), and cancels once it has read what it needs.
 *       The servlet adapter adapts a {@code ReadListener} to it; Reactor converts a
 *       {@code Flux<ByteBuffer>} with {@code JdkFlowAdapter.publisherToFlowPublisher}. The rest of
 *       the submission (validation, the store's write) runs on the thread that delivers the last
 *       signal, so a publisher on an event loop must deliver on a thread that may block.</li>
 * </ul>
 *
 * <p>A body is read at most once. Instances are immutable; thread-safety of reading is that of
 * the underlying stream or publisher.
 */
public sealed interface RequestBody permits RequestBody.Bytes, RequestBody.Stream, RequestBody.Publisher {

    /** A body with no bytes, for requests without one. */
    static RequestBody empty() {
        return Bytes.EMPTY;
    }

    /** A body the adapter has read already; the array is not copied, so do not change it. */
    static RequestBody ofBytes(byte[] bytes) {
        return new Bytes(bytes);
    }

    /** A body read with blocking calls, on the thread that calls the engine. */
    static RequestBody ofStream(InputStream stream) {
        return new Stream(stream);
    }

    /** A body delivered without blocking, with backpressure; subscribed to at most once. */
    static RequestBody ofPublisher(Flow.Publisher<? extends ByteBuffer> publisher) {
        return new Publisher(publisher);
    }

    /**
     * An already-read body. The array is not copied, neither in nor out: do not change it. Two
     * instances are equal only if they hold the same array.
     *
     * @param bytes the body, not copied
     */
    @SuppressWarnings("ArrayRecordComponent") // read once by the engine, uncopied; never compared by content
    record Bytes(byte[] bytes) implements RequestBody {

        static final Bytes EMPTY = new Bytes(new byte[0]);

        /** Checks for null. */
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** A body read with blocking calls. */
    record Stream(InputStream stream) implements RequestBody {

        /** Checks for null. */
        public Stream {
            Objects.requireNonNull(stream, "stream");
        }
    }

    /** A body delivered by a {@link Flow.Publisher}. */
    record Publisher(Flow.Publisher<? extends ByteBuffer> publisher) implements RequestBody {

        /** Checks for null. */
        public Publisher {
            Objects.requireNonNull(publisher, "publisher");
        }
    }
}
