package io.liteboxd.controller.pool;

/**
 * How many ready pods a pool keeps: at least {@code min}, at most {@code max}, and in between as
 * many as the observed demand needs. Creates arrive at {@code rate} per second (claims plus the
 * cold creates a pool missed, over the last window); a claimed pod is replaced after
 * {@code refillSeconds} (the time a new pool pod takes to turn Ready). The pool runs dry only when
 * more than {@code n} creates arrive within one refill, so with Poisson arrivals the size is the
 * smallest {@code n} with P(N ≤ n) ≥ {@code target} for N ~ Poisson(rate × refill): the hit
 * ratio the operator asks for. Pure, so the arithmetic is unit-tested.
 */
final class PoolSizing {

    private PoolSizing() {}

    static int desired(int min, int max, double rate, double refillSeconds, double target) {
        int floor = Math.max(0, Math.min(min, max));
        if (rate <= 0 || refillSeconds <= 0 || max <= floor) {
            return floor;
        }
        double mean = rate * refillSeconds;
        double term = Math.exp(-mean); // P(N = 0)
        double cumulative = term;
        int n = 0;
        while (cumulative < target && n < max) {
            n++;
            term *= mean / n;
            cumulative += term;
            if (term == 0 && cumulative < target) {
                // exp(-mean) underflowed (a huge mean): more than max anyway.
                return max;
            }
        }
        return Math.max(floor, Math.min(n, max));
    }
}
