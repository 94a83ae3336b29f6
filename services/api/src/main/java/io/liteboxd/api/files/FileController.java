package io.liteboxd.api.files;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.FlatError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.StreamingFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;

/**
 * {@code /api/v1/sandboxes/{id}/files} (spec §3.7): multipart upload (fields {@code path}, then
 * {@code file}) streamed into the sandbox, and download streamed out with a file name.
 */
@Controller("/api/v1/sandboxes/{id}/files")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = FileTransfer.class)
@Tag(name = "sandboxes")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
public class FileController {

    @Serdeable
    record Message(String message) {}

    private final FileTransfer files;

    FileController(FileTransfer files) {
        this.files = files;
    }

    @Post(consumes = MediaType.MULTIPART_FORM_DATA)
    @Operation(operationId = "uploadSandboxFile", summary = "Upload a file (multipart fields path, then file), "
            + "streamed; missing parent directories are created; the file appears only once complete")
    @FlatError.BadRequest
    @FlatError.NotFound
    @FlatError.NotRunning
    @FlatError.TooLarge
    @FlatError.TooManyExecs
    @FlatError.TimedOut
    Message upload(@PathVariable String id, @Nullable @Part("path") String path, StreamingFileUpload file)
            throws IOException, InterruptedException {
        try (InputStream body = file.asInputStream()) {
            files.upload(id, SandboxPaths.check(path), body);
        }
        return new Message("file uploaded successfully");
    }

    @Get
    @Operation(operationId = "downloadSandboxFile", summary = "Download a file as raw bytes, streamed, with "
            + "Content-Disposition")
    @ApiResponse(responseCode = "200", description = "The file's bytes",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = "string", format = "binary")))
    @FlatError.BadRequest
    @FlatError.Unreadable
    @FlatError.NotFound
    @FlatError.NotRunning
    @FlatError.TooManyExecs
    @FlatError.TimedOut
    HttpResponse<Flux<byte[]>> download(@PathVariable String id, @Nullable @QueryValue String path)
            throws InterruptedException {
        FileTransfer.Download download = files.download(id, SandboxPaths.check(path));
        return HttpResponse.ok(download.bytes()).contentType(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, contentDisposition(download.fileName()));
    }

    /** RFC 6266: a plain ASCII fallback plus the exact UTF-8 name. */
    private static String contentDisposition(String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
