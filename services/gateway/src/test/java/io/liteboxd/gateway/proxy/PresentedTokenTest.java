package io.liteboxd.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresentedTokenTest {

    @Test
    void headerThenQueryThenCookie() {
        List<String> cookies = List.of("app=1; liteboxd_sandbox_token=c1", "__Host-liteboxd_sandbox_token=c2");
        assertEquals(new PresentedToken("h", PresentedToken.Source.HEADER), PresentedToken.choose("h", "q", cookies));
        assertEquals(new PresentedToken("q", PresentedToken.Source.QUERY), PresentedToken.choose(null, "q", cookies));
        assertEquals(new PresentedToken("c2", PresentedToken.Source.COOKIE), PresentedToken.choose("", null, cookies),
                "the __Host- cookie first");
        assertEquals(new PresentedToken("c1", PresentedToken.Source.COOKIE),
                PresentedToken.choose(null, null, List.of("liteboxd_sandbox_token=c1")));
        assertEquals(new PresentedToken(null, PresentedToken.Source.NONE),
                PresentedToken.choose(null, null, List.of("liteboxd_session=s")), "the API's session is no sandbox token");
    }

    @Test
    void everyTokenCookieIsACandidateSoAPlantedOneCannotLockTheUserOut() {
        PresentedToken token = PresentedToken.choose(null, null,
                List.of("liteboxd_sandbox_token=planted; liteboxd_sandbox_token=mine", "liteboxd_sandbox_token=x; "
                        + "liteboxd_sandbox_token=y; liteboxd_sandbox_token=z"));
        assertEquals("planted", token.value());
        assertEquals(List.of("planted", "mine", "x", "y"), token.candidates(), "at most four, in the order sent");
        assertEquals(List.of("q"), PresentedToken.choose(null, "q", List.of("liteboxd_sandbox_token=c")).candidates());
    }

    @Test
    void aCookieIsRefusedForSubresourcesOfOtherSitesButNotForNavigations() {
        PresentedToken cookie = new PresentedToken("c", PresentedToken.Source.COOKIE);
        for (String site : List.of("same-site", "cross-site", "Cross-Site")) {
            GatewayError e = assertThrows(GatewayError.class,
                    () -> cookie.refuseCrossSiteCookie(HttpMethod.GET, site, "cors"), site);
            assertEquals(403, e.status().getCode());
            assertEquals("cross-origin request refused", e.getMessage());
            assertThrows(GatewayError.class, () -> cookie.refuseCrossSiteCookie(HttpMethod.POST, site, "navigate"),
                    "a form posted from another site");
            assertThrows(GatewayError.class, () -> cookie.refuseCrossSiteCookie(HttpMethod.GET, site, "websocket"));
            assertDoesNotThrow(() -> cookie.refuseCrossSiteCookie(HttpMethod.GET, site, "navigate"));
        }
        assertDoesNotThrow(() -> cookie.refuseCrossSiteCookie(HttpMethod.POST, "same-origin", "cors"));
        assertDoesNotThrow(() -> cookie.refuseCrossSiteCookie(HttpMethod.POST, "none", "navigate"));
        assertDoesNotThrow(() -> cookie.refuseCrossSiteCookie(HttpMethod.POST, null, null), "no fetch metadata");
        assertDoesNotThrow(() -> new PresentedToken("h", PresentedToken.Source.HEADER)
                .refuseCrossSiteCookie(HttpMethod.POST, "cross-site", "cors"), "a header token is no ambient credential");
    }
}
