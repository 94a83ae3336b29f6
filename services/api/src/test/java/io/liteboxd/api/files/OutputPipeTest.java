package io.liteboxd.api.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.exec.ExecExit;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every wait of the download pipe has a deadline, on both sides. */
class OutputPipeTest {

    @Test
    void chunksFlowAndACleanExitEndsTheSequence() throws Exception {
        OutputPipe pipe = new OutputPipe(Duration.ofSeconds(5), () -> { });
        pipe.stderr("123\n".getBytes());
        pipe.stdout(new byte[] {1, 2});
        pipe.finish(ExecExit.exited(0));
        assertEquals("123", pipe.pid());
        assertArrayEquals(new byte[] {1, 2}, pipe.nextChunk());
        assertNull(pipe.nextChunk());
    }

    @Test
    void aCommandThatSendsNothingTimesOut() {
        OutputPipe pipe = new OutputPipe(Duration.ofMillis(300), () -> { });
        assertThrows(TimeoutException.class, () -> pipe.awaitData(Duration.ofMillis(200)));
        IOException stalled = assertThrows(IOException.class, pipe::nextChunk);
        assertTrue(stalled.getMessage().contains("stalled"), stalled.getMessage());
    }

    @Test
    void aReaderThatTakesNothingIsGivenUpAndTheDownloadFails() {
        AtomicInteger stalls = new AtomicInteger();
        OutputPipe pipe = new OutputPipe(Duration.ofMillis(200), stalls::incrementAndGet);
        for (int i = 0; i < 65; i++) { // one more than the queue holds: the last offer waits, then gives up
            pipe.stdout(new byte[] {(byte) i});
        }
        assertEquals(1, stalls.get());
        pipe.stdout(new byte[] {9}); // dropped at once: the pipe is closed
        assertEquals(1, stalls.get());
        IOException failed = assertThrows(IOException.class, pipe::nextChunk);
        assertTrue(failed.getMessage().contains("the client took no data"), failed.getMessage());
    }

    @Test
    void aFailedCommandCutsTheDownload() {
        OutputPipe pipe = new OutputPipe(Duration.ofSeconds(5), () -> { });
        pipe.finish(ExecExit.exited(1));
        assertThrows(IOException.class, pipe::nextChunk);
    }
}
