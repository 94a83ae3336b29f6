package io.liteboxd.common.testing;

/** Reading Prometheus text (what {@code /management/prometheus} answers) in tests. */
public final class Scrape {

    private Scrape() {
    }

    /**
     * The value of one series, written exactly as Prometheus prints it (name plus labels in
     * order, e.g. {@code liteboxd_exec_seconds_count} or {@code x_count{path="cold"}}); fails if it is absent.
     */
    public static double value(String text, String series) {
        return text.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + series + " in:\n" + text));
    }
}
