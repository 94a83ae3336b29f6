package io.liteboxd.common.lifecycle;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Endpoints whose progress the drain tests control with latches. */
@Controller("/test")
@Requires(property = "spec.name", value = "DrainHttpTest")
class DrainTestController {

    /** Latches shared by the controller and the test (one set per application context). */
    @Singleton
    @Requires(property = "spec.name", value = "DrainHttpTest")
    static class Gates {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void awaitRelease() {
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static final String FIRST_CHUNK = "first chunk\n";

    private final Gates gates;

    DrainTestController(Gates gates) {
        this.gates = gates;
    }

    @Get(value = "/fast", produces = MediaType.TEXT_PLAIN)
    String fast() {
        return "fast";
    }

    @Get(value = "/slow", produces = MediaType.TEXT_PLAIN)
    @ExecuteOn(TaskExecutors.BLOCKING)
    String slow() {
        gates.entered.countDown();
        gates.awaitRelease();
        return "slow";
    }

    @Get(value = "/fail", produces = MediaType.TEXT_PLAIN)
    String fail() {
        throw new IllegalStateException("failing on purpose");
    }

    /** A body that sends one chunk, then waits for the gate before it ends. */
    @Get(value = "/stream", produces = MediaType.TEXT_PLAIN)
    StreamedFile stream() {
        InputStream body = new InputStream() {
            private boolean firstSent;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (!firstSent) {
                    byte[] first = FIRST_CHUNK.getBytes(StandardCharsets.UTF_8);
                    int n = Math.min(length, first.length);
                    System.arraycopy(first, 0, buffer, offset, n);
                    firstSent = true;
                    gates.entered.countDown();
                    return n;
                }
                gates.awaitRelease();
                return -1;
            }
        };
        return new StreamedFile(body, MediaType.TEXT_PLAIN_TYPE);
    }
}
