package io.liteboxd.api.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test-side terminal (interactive exec over a real WebSocket): collects frames; the test reads them in order. */
public final class Terminal implements WebSocket.Listener {
    public final BlockingQueue<Map<?, ?>> frames = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final StringBuilder output = new StringBuilder();
    final StringBuilder partial = new StringBuilder();
    private final List<Map<?, ?>> outputFrames = new ArrayList<>();
    private final JsonMapper json;
    private final Duration wait;
    public WebSocket socket;

    public Terminal(JsonMapper json, Duration wait) {
        this.json = json;
        this.wait = wait;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(json.readValue(partial.toString(), Map.class));
            } catch (IOException e) {
                frames.add(Map.of("unparsable", partial.toString()));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    public void send(Map<String, Object> frame) throws IOException {
        socket.sendText(json.writeValueAsString(frame), true).join();
    }

    public void input(String text) throws IOException {
        send(Map.of("type", "input", "data", text));
    }

    public Map<?, ?> next() throws InterruptedException {
        Map<?, ?> frame = frames.poll(wait.toSeconds(), TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + wait + "; output so far: " + output);
        }
        return frame;
    }

    public void awaitOutput(java.util.function.Predicate<String> done) throws InterruptedException {
        while (!done.test(output.toString())) {
            Map<?, ?> frame = next();
            assertEquals("output", frame.get("type"), frame.toString());
            read(frame);
        }
    }

    public Map<?, ?> awaitExit() throws InterruptedException {
        while (true) {
            Map<?, ?> frame = next();
            if ("output".equals(frame.get("type"))) {
                read(frame);
            } else {
                assertEquals("exit", frame.get("type"), frame.toString());
                return frame;
            }
        }
    }

    private void read(Map<?, ?> frame) {
        output.append(frame.get("data"));
        outputFrames.add(frame);
    }

    /** The output frames read so far, in order. */
    public List<Map<?, ?>> outputFrames() {
        return outputFrames;
    }

    public String output() {
        return output.toString();
    }

    public void awaitClosed() throws Exception {
        assertEquals(1000, closed.get(wait.toSeconds(), TimeUnit.SECONDS));
        assertFalse(frames.stream().anyMatch(f -> !"output".equals(f.get("type"))), frames.toString());
    }
}
