package io.liteboxd.common.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CloseEchoTest {

    @Test
    void codesThatMayBeSentPassThrough() {
        for (int code : new int[] {1000, 1001, 1003, 1007, 1011, 1014, 3000, 4001, 4999}) {
            assertEquals(code, CloseEcho.sendable(code), String.valueOf(code));
        }
    }

    @Test
    void codesThatMustNeverBeSentBecomeNormalClosure() {
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
            assertEquals(1000, CloseEcho.sendable(code), String.valueOf(code));
        }
    }
}
