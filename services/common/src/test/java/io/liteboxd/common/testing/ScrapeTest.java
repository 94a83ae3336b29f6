package io.liteboxd.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScrapeTest {

    static final String TEXT = """
            # HELP x_seconds demo
            x_seconds_count{path="cold"} 3
            x_seconds_count{path="pool"} 0
            x_seconds_sum{path="cold"} 2.5
            x_seconds_count_extra 9
            """;

    @Test
    void readsTheExactSeriesOnly() {
        assertEquals(3, Scrape.value(TEXT, "x_seconds_count{path=\"cold\"}"));
        assertEquals(0, Scrape.value(TEXT, "x_seconds_count{path=\"pool\"}"));
        assertEquals(2.5, Scrape.value(TEXT, "x_seconds_sum{path=\"cold\"}"));
        assertThrows(AssertionError.class, () -> Scrape.value(TEXT, "x_seconds_count"));
    }
}
