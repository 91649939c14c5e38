package io.github.whisperjava.server;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;

/**
 * What a request sent: the audio (an uploaded {@code file}, or a raw audio body), or none when it names
 * an {@code audio_url}; and its fields, from the form, a JSON object or the query string. It owns the
 * spools it holds (the request body's own is the spooling handler's) and deletes them when closed.
 */
final class Upload implements AutoCloseable {
    private static final int MAX_JSON = 1 << 20;

    private BodySpool audio;
    private final RequestFields fields;
    private final List<BodySpool> owned = new ArrayList<>();

    private Upload(BodySpool audio, RequestFields fields) {
        this.audio = audio;
        this.fields = fields;
    }

    /** The audio, spooled; null if the request names an audio_url instead. */
    BodySpool audio() {
        return audio;
    }

    RequestFields fields() {
        return fields;
    }

    /** {@code spool} becomes this upload's audio, deleted with it. */
    BodySpool keep(BodySpool spool) {
        owned.add(spool);
        audio = spool;
        return spool;
    }

    @Override
    public void close() {
        owned.forEach(BodySpool::close);
    }

    /**
     * A multipart/form-data body: the part {@code file} is the audio, whether it names a filename or not
     * ({@code curl -F 'file=<a.wav'} sends none); every other part is a field.
     */
    static Upload multipart(HttpServletRequest req, SpoolSpace space) throws IOException {
        Map<String, List<String>> fields = query(req);
        BodySpool audio = null;
        try {
            for (Part p : req.getParts()) {
                if (p.getName().equals("file")) {
                    if (audio != null) {
                        throw ApiException.badParameter("file", "the form has more than one file part");
                    }
                    audio = space.newSpool();
                    try (InputStream in = p.getInputStream()) {
                        audio.writeAll(in);
                    }
                } else {
                    try (InputStream in = p.getInputStream()) {
                        fields.computeIfAbsent(p.getName(), k -> new ArrayList<>())
                                .add(new String(in.readNBytes(MAX_JSON), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (ServletException | IllegalStateException e) {
            closeQuietly(audio);
            throw tooLargeOrBad(e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(audio);
            throw e;
        }
        Upload upload = new Upload(null, new RequestFields(fields));
        if (audio != null) {
            upload.keep(audio);
        }
        return upload;
    }

    private static void closeQuietly(BodySpool spool) {
        if (spool != null) {
            spool.close();
        }
    }

    /** A JSON object: {@code {"audio_url": ..., "language": ..., ...}}. */
    static Upload json(HttpServletRequest req) throws IOException {
        return json(req, smallBody(req, "JSON"));
    }

    /**
     * An application/x-www-form-urlencoded body: its fields; or, when it is a JSON object, that object's,
     * because {@code curl -d '{"audio_url": ...}'} without a Content-Type sends JSON labelled as a form.
     */
    static Upload form(HttpServletRequest req) throws IOException {
        byte[] body = smallBody(req, "form");
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.stripLeading().startsWith("{")) {
            return json(req, body);
        }
        Map<String, List<String>> fields = query(req);
        decodePairs(text.strip(), fields, "the form body");
        return new Upload(null, new RequestFields(fields));
    }

    private static byte[] smallBody(HttpServletRequest req, String kind) throws IOException {
        byte[] body = req.getInputStream().readNBytes(MAX_JSON + 1);
        if (body.length > MAX_JSON) {
            throw ApiException.tooLarge(null, "a " + kind + " body may be at most 1 MiB; upload audio as multipart/form-data");
        }
        return body;
    }

    private static Upload json(HttpServletRequest req, byte[] body) {
        JsonNode root;
        try {
            root = Replies.JSON.readTree(body);
        } catch (IOException e) {
            throw ApiException.badParameter(null, "the body is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badParameter(null, "the body must be a JSON object");
        }
        Map<String, List<String>> fields = query(req);
        root.fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else if (!e.getValue().isNull()) {
                values.add(e.getValue().isContainerNode() ? e.getValue().toString() : e.getValue().asText());
            }
            fields.put(e.getKey(), values);
        });
        return new Upload(null, new RequestFields(fields));
    }

    /** A raw audio body (audio/wav, application/octet-stream), fields in the query string. */
    static Upload raw(HttpServletRequest req, SpoolSpace space) throws IOException {
        RequestFields fields = new RequestFields(query(req));
        if (req.getAttribute(BodySpoolingHandler.SPOOL) instanceof BodySpool body) {
            req.getInputStream().read(); // the failure that ended the body, if one did, shows at the first read
            return new Upload(body, fields); // the spooling handler's, deleted when the exchange ends
        }
        Upload upload = new Upload(null, fields);
        try (InputStream in = req.getInputStream()) {
            upload.keep(space.newSpool()).writeAll(in);
        } catch (IOException | RuntimeException e) {
            upload.close();
            throw e;
        }
        return upload;
    }

    private static Map<String, List<String>> query(HttpServletRequest req) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (req.getQueryString() != null) {
            decodePairs(req.getQueryString(), fields, "the query string");
        }
        return fields;
    }

    /** {@code a=1&b=2}, URL-decoded, added to {@code fields}. */
    private static void decodePairs(String encoded, Map<String, List<String>> fields, String where) {
        if (encoded.isEmpty()) {
            return;
        }
        for (String kv : encoded.split("&")) {
            int eq = kv.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) { // "%zz": a 400, where it was a 500 with a stack trace
                throw ApiException.badParameter(eq < 0 ? kv : kv.substring(0, eq),
                        where + " is not URL-encoded: " + e.getMessage());
            }
            fields.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
    }

    /**
     * Jetty's size limit (an {@link HttpException} 413 in the cause chain: the body passed the service's
     * limit while it arrived) is a 413; anything else the multipart parser throws is the client's 400.
     * The multipart limits themselves are the body limit, so the body's limit is always met first.
     */
    private static RuntimeException tooLargeOrBad(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof HttpException h && h.getCode() == 413) {
                return ApiException.tooLarge("file", "the request body is larger than this service accepts");
            }
        }
        return ApiException.badParameter("file", "cannot read the multipart body: " + e.getMessage());
    }
}
