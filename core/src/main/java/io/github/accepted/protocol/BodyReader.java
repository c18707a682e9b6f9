package io.github.accepted.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Reads a submission's {@link RequestBody} up to the body limit, in whatever form the adapter
 * gave it. A stream is read on the calling thread; a publisher is subscribed to and the future
 * completes on the thread of its last signal. Past the limit the rest is read and dropped, up to
 * {@link #DISCARD_LIMIT}, so that a client still sending reads the {@code 413} rather than a
 * reset connection.
 */
final class BodyReader {

    /**
     * How much of an oversized body is read and thrown away before answering {@code 413}. Past
     * it, the adapter stops reading and the container closes the connection.
     */
    static final long DISCARD_LIMIT = 4L << 20;

    private BodyReader() {}

    /** The body over the limit: the future of {@link #read} fails with it once the rest is dropped. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("body too large");
        }
    }

    /**
     * Reads the whole body if it has at most {@code max} bytes; {@code expected} (the declared
     * length, at most 64 KiB) sizes the first buffer. Fails with {@link TooLarge} past the
     * limit, or another {@link IOException} if the body could not be read.
     */
    static CompletableFuture<byte[]> read(RequestBody body, int max, int expected) {
        if (body instanceof RequestBody.Bytes bytes) {
            return bytes.bytes().length > max
                    ? CompletableFuture.failedFuture(new TooLarge())
                    : CompletableFuture.completedFuture(bytes.bytes());
        }
        if (body instanceof RequestBody.Stream stream) {
            return readStream(stream.stream(), max, expected);
        }
        return subscribe(((RequestBody.Publisher) body).publisher(), new Collector(max, expected));
    }

    /** Reads and drops up to {@link #DISCARD_LIMIT} bytes; completes when done or the client went. */
    static CompletableFuture<byte[]> discard(RequestBody body) {
        if (body instanceof RequestBody.Bytes) {
            return CompletableFuture.completedFuture(new byte[0]);
        }
        if (body instanceof RequestBody.Stream stream) {
            drop(stream.stream());
            return CompletableFuture.completedFuture(new byte[0]);
        }
        return subscribe(((RequestBody.Publisher) body).publisher(), new Collector(-1, 0));
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<byte[]> subscribe(
            Flow.Publisher<? extends ByteBuffer> publisher, Collector collector) {
        try {
            ((Flow.Publisher<ByteBuffer>) publisher).subscribe(collector);
        } catch (RuntimeException e) {
            collector.result.completeExceptionally(new IOException("could not subscribe to the body", e));
        }
        return collector.result;
    }

    private static CompletableFuture<byte[]> readStream(InputStream in, int max, int expected) {
        byte[] buffer = new byte[Math.max(1, Math.min(expected + 1, max + 1))];
        int length = 0;
        try {
            while (true) {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, max + 1));
                }
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    return CompletableFuture.completedFuture(Arrays.copyOf(buffer, length));
                }
                length += read;
                if (length > max) {
                    drop(in);
                    return CompletableFuture.failedFuture(new TooLarge());
                }
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void drop(InputStream in) {
        byte[] buffer = new byte[8192];
        long read = 0;
        try {
            int n;
            while (read < DISCARD_LIMIT && (n = in.read(buffer)) >= 0) {
                read += n;
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    /**
     * Subscribes with a demand of one buffer at a time and copies each before asking for the
     * next; past {@code max} (or from the start, when {@code max} is negative) it drops what it
     * gets, and cancels once it dropped {@link #DISCARD_LIMIT} bytes.
     */
    private static final class Collector implements Flow.Subscriber<ByteBuffer> {

        final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final int max;
        private final boolean discarding;
        private Flow.Subscription subscription;
        private byte[] buffer;
        private int length;
        private boolean tooLarge;
        private long dropped;

        @SuppressWarnings("NullAway.Init") // subscription: set by onSubscribe, which Flow calls before onNext
        Collector(int max, int expected) {
            this.max = max;
            this.discarding = max < 0;
            this.buffer = discarding ? new byte[0] : new byte[Math.max(1, Math.min(expected + 1, max + 1))];
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            if (subscription != null) {
                s.cancel(); // read at most once
                return;
            }
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(ByteBuffer chunk) {
            if (result.isDone()) {
                return;
            }
            int n = chunk.remaining();
            if (discarding || tooLarge) {
                dropped += n;
            } else if (length + (long) n > max) {
                tooLarge = true;
                buffer = new byte[0]; // frees the memory; never read once too large
                dropped += length + (long) n - max;
            } else {
                if (length + n > buffer.length) {
                    buffer = Arrays.copyOf(
                            buffer, (int) Math.min(Math.max(buffer.length * 2L, length + (long) n), max + 1L));
                }
                chunk.get(buffer, length, n);
                length += n;
            }
            if (dropped > DISCARD_LIMIT) {
                subscription.cancel();
                finish();
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            if (tooLarge || discarding) {
                finish();
            } else {
                result.completeExceptionally(error instanceof IOException ? error : new IOException(error));
            }
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            if (tooLarge) {
                result.completeExceptionally(new TooLarge());
            } else {
                result.complete(discarding ? new byte[0] : Arrays.copyOf(buffer, length));
            }
        }
    }
}
