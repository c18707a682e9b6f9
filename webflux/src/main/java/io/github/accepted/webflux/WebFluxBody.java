package io.github.accepted.webflux;

import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * A request body as the engine reads it: each {@link DataBuffer} copied to the heap and released
 * on the event loop that read it, then delivered one at a time, as the engine asks, on a thread
 * that may block (the engine goes on with the submission on the thread of the last signal).
 */
final class WebFluxBody {

    private WebFluxBody() {}

    static Flow.Publisher<ByteBuffer> of(Flux<DataBuffer> body, Scheduler blocking) {
        Flux<ByteBuffer> copies = body.map(WebFluxBody::copy).publishOn(blocking, 1);
        return JdkFlowAdapter.publisherToFlowPublisher(copies);
    }

    private static ByteBuffer copy(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return ByteBuffer.wrap(bytes);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
