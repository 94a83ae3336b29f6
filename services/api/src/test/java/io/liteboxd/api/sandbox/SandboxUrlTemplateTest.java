package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SandboxUrlTemplateTest {

    @Test
    void fillsInTheIdAndKeepsThePortPlaceholder() {
        var urls = new SandboxUrlTemplate("http://{port}-{id}.sbx.liteboxd.test:30080/");
        assertEquals("http://{port}-abcd1234.sbx.liteboxd.test:30080", urls.forSandbox("abcd1234"));
        assertEquals("https://{port}-abcd1234.sbx.example.com",
                new SandboxUrlTemplate("https://{port}-{id}.sbx.example.com").forSandbox("abcd1234"));
    }

    @Test
    void unsetMeansHostModeIsOff() {
        assertNull(new SandboxUrlTemplate(null).forSandbox("abcd1234"));
        assertNull(new SandboxUrlTemplate("  ").forSandbox("abcd1234"));
    }

    @Test
    void refusesShapesTheGatewayCannotRoute() {
        for (String bad : new String[] {"sbx.example.com", "ftp://{port}-{id}.sbx.example.com",
                "https://{id}-{port}.sbx.example.com", "https://sbx.example.com/{id}/{port}",
                "https://{port}-{id}.sbx.example.com/app", "https://{port}-{id}.sbx.example.com?x=1"}) {
            assertThrows(IllegalArgumentException.class, () -> new SandboxUrlTemplate(bad), bad);
        }
    }
}
