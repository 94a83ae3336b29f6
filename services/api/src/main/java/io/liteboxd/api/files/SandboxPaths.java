package io.liteboxd.api.files;

import io.liteboxd.api.error.ApiException;
import io.micronaut.core.annotation.Nullable;

/** The file paths users may name: absolute, no {@code ..} segment, not a directory path. */
final class SandboxPaths {

    private static final int MAX_LENGTH = 4096;

    private SandboxPaths() {}

    static String check(@Nullable String path) {
        if (path == null || path.isEmpty()) {
            throw ApiException.badRequest("path is required");
        }
        if (!path.startsWith("/")) {
            throw ApiException.badRequest("path must be absolute");
        }
        if (path.length() > MAX_LENGTH || path.indexOf('\0') >= 0) {
            throw ApiException.badRequest("invalid path");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw ApiException.badRequest("path must not contain '..'");
            }
        }
        if (path.endsWith("/")) {
            throw ApiException.badRequest("path must name a file, not a directory");
        }
        return path;
    }

    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
