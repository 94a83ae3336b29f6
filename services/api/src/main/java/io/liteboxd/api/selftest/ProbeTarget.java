package io.liteboxd.api.selftest;

/** One address the probe connects to, passed to it as {@code label=host:port}. */
record ProbeTarget(TargetKind kind, String host, int port) {

    String argument() {
        return kind.label() + "=" + hostPort();
    }

    String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code host:port} as an operator writes it in the settings; the port is required. */
    static ProbeTarget parse(TargetKind kind, String text) {
        String trimmed = text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("not host:port: " + text);
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not host:port: " + text);
        }
        if (port < 1 || port > 65535 || host.isBlank() || host.contains(" ") || host.contains("=")) {
            throw new IllegalArgumentException("not host:port: " + text);
        }
        return new ProbeTarget(kind, host, port);
    }
}
