package dev.parley.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.parley.support.Api;

/** Multipart uploads and binary downloads over real HTTP, for the file tests. */
final class Uploads {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    Uploads(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A multipart form: text fields, then one file part (omitted when {@code bytes} is null). */
    static final class Form {
        final Map<String, String> fields = new LinkedHashMap<>();
        String partFilename = "data.bin";
        String partType = "application/octet-stream";
        byte[] bytes;

        Form field(String name, String value) {
            fields.put(name, value);
            return this;
        }

        Form file(String filename, String type, byte[] content) {
            this.partFilename = filename;
            this.partType = type;
            this.bytes = content;
            return this;
        }
    }

    static Form form() {
        return new Form();
    }

    Api.Response upload(String path, Api.Session session, Form form) {
        String boundary = "----parley" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> field : form.fields.entrySet()) {
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                        + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (form.bytes != null) {
                String type = form.partType == null ? "" : "Content-Type: " + form.partType + "\r\n";
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                        + form.partFilename + "\"\r\n" + type + "\r\n").getBytes(StandardCharsets.UTF_8));
                body.write(form.bytes);
                body.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Api(portOf()).send("POST", path, session, body.toByteArray(),
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary));
    }

    private int portOf() {
        return URI.create(base).getPort();
    }

    record Download(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    Download download(String path, Api.Session session, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + session.accessToken());
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = client.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) ->
                    responseHeaders.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
            return new Download(response.statusCode(), responseHeaders, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
