package io.liteboxd.controller.workqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import org.junit.jupiter.api.Test;

/** A reconciler's memory of what it did: per object (UID), forgotten once the object is gone or replaced. */
class ActedOnTest {

    static V1Pod pod(String uid) {
        return new V1Pod().metadata(new V1ObjectMeta().namespace("ns").name("sandbox-0000abcd").uid(uid));
    }

    @Test
    void theSameObjectIsIncludedUntilItIsGoneOrReplaced() {
        ActedOn acted = new ActedOn();
        assertFalse(acted.includes("ns/sandbox-0000abcd", pod("u1")));
        acted.add("ns/sandbox-0000abcd", pod("u1"));
        assertTrue(acted.includes("ns/sandbox-0000abcd", pod("u1")), "the cache has not caught up yet");
        assertFalse(acted.includes("ns/sandbox-0000abcd", pod("u2")), "a new pod of the same name is another object");
        assertEquals(0, acted.size(), "forgotten");
        acted.add("ns/sandbox-0000abcd", pod("u2"));
        assertFalse(acted.includes("ns/sandbox-0000abcd", null), "gone from the cache");
        assertEquals(0, acted.size());
    }

    @Test
    void perVersionForgetsOnceTheObjectChanged() {
        ActedOn acted = ActedOn.perVersion();
        V1Pod v1 = pod("u1");
        v1.getMetadata().resourceVersion("10");
        acted.add("ns/sandbox-0000abcd", v1);
        assertTrue(acted.includes("ns/sandbox-0000abcd", v1), "the cache still shows the version acted on");
        V1Pod v2 = pod("u1");
        v2.getMetadata().resourceVersion("11");
        assertFalse(acted.includes("ns/sandbox-0000abcd", v2), "changed since: eligible again");
    }
}
