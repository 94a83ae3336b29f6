package io.liteboxd.egress;

/**
 * What an allowed request moved, reported when its connections closed.
 *
 * @param decision  the decision that let it through
 * @param bytesUp   bytes written to the destination (for plain HTTP: the request as sent, head included)
 * @param bytesDown bytes read from the destination (for plain HTTP: the response as received)
 */
public record EgressTraffic(EgressDecision decision, long bytesUp, long bytesDown) {}
