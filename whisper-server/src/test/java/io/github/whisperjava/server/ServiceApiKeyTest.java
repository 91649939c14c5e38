package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The optional API key, as OpenAI's clients send it, and every option from the environment.
 */
class ServiceApiKeyTest {
    @TempDir
    Path tmp;

    @Test
    void withAKeyTranscriptionsNeedItAndProbesDoNot() throws Exception {
        Path keyFile = Files.writeString(tmp.resolve("key"), "s3cret-key\n");
        ApiKey key = ApiKey.from(keyFile, "ignored-when-a-file-is-given");
        Whisper w = Whisper.load(ServiceFixture.TINY, ModelOptions.defaults().withConcurrency(1));
        try (TranscriptionServer server = TranscriptionServer.listen(ServiceConfig.defaults().withConcurrency(1),
                "127.0.0.1", 0, key).serve(w)) {
            HttpResponse<String> none = ServiceFixture.postRaw(server, "/transcribe", ServiceFixture.jfk());
            assertEquals(401, none.statusCode(), none.body());
            assertTrue(none.body().contains("\"code\":\"invalid_api_key\""), none.body());
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
            HttpResponse<String> wrong = send(server, "Bearer s3cret-kez");
            assertEquals(401, wrong.statusCode(), wrong.body());
            HttpResponse<String> right = send(server, "Bearer s3cret-key");
            assertEquals(200, right.statusCode(), right.body());
            for (String open : new String[] {"/health", "/ready", "/metrics"}) {
                assertEquals(200, ServiceFixture.get(server, open).statusCode(), open);
            }

            String base = ServiceFixture.url(server, "/v1");
            // one params object per call: the SDK reads its file once
            Supplier<TranscriptionCreateParams> p = () -> TranscriptionCreateParams.builder()
                    .file(ServiceFixture.SHARED.resolve("audio/jfk.wav")).model(AudioModel.WHISPER_1).build();
            OpenAIClient stranger = OpenAIOkHttpClient.builder().apiKey("not-the-key").baseUrl(base).maxRetries(0).build();
            OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("s3cret-key").baseUrl(base).maxRetries(0).build();
            try {
                UnauthorizedException e = assertThrows(UnauthorizedException.class,
                        () -> stranger.audio().transcriptions().create(p.get()));
                assertEquals(401, e.statusCode());
                assertTrue(client.audio().transcriptions().create(p.get()).isTranscription());
            } finally {
                stranger.close();
                client.close();
            }
        }
    }

    private static HttpResponse<String> send(TranscriptionServer server, String authorization) throws Exception {
        return ServiceFixture.HTTP.send(HttpRequest.newBuilder(URI.create(ServiceFixture.url(server, "/transcribe")))
                .header("Content-Type", "audio/wav").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(ServiceFixture.jfk())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anEmptyKeyFileIsRefusedNotTakenAsNoKey() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        assertThrows(IllegalArgumentException.class, () -> ApiKey.from(empty, null));
        assertFalse(ApiKey.from(null, "").required());
        assertTrue(ApiKey.from(null, "k").admits("bearer k"));
    }

    @Test
    void everyOptionComesFromTheEnvironmentAndAFlagWins() {
        Map<String, String> env = Map.of("WHISPER_SERVER_PORT", "8123", "WHISPER_SERVER_MAX_BODY_MB", "7",
                "WHISPER_SERVER_NO_VAD", "true", "WHISPER_SERVER_ALLOW_URL_PREFIX", "http://a.example/x/,http://b.example/",
                "WHISPER_SERVER_CONCURRENCY", "3", "WHISPER_SERVER_HOST", "0.0.0.0", "WHISPER_SERVER_LIVE_IDLE_TIMEOUT", "9");
        ServeCommand fromEnv = parse(env);
        assertEquals(8123, fromEnv.port);
        assertEquals("0.0.0.0", fromEnv.host);
        assertEquals(3, fromEnv.concurrency);
        ServiceConfig c = fromEnv.config();
        assertEquals(7L << 20, c.maxBodyBytes());
        assertFalse(c.vad());
        assertEquals(2, c.fetch().allowedPrefixes().size(), c.fetch().allowedPrefixes().toString());
        assertEquals(12, c.maxQueue()); // 4 x the concurrency the environment set
        assertEquals(12, c.live().maxSessions());
        assertEquals(9, c.live().idleTimeout().toSeconds());

        ServeCommand flagWins = parse(env, "--port", "9000");
        assertEquals(9000, flagWins.port);
        ServeCommand defaults = parse(Map.of());
        assertEquals(8000, defaults.port);
        assertTrue(defaults.config().vad());
        assertEquals("WHISPER_SERVER_MAX_DOWNLOAD_MB", EnvironmentDefaults.variable("--max-download-mb"));
    }

    private static ServeCommand parse(Map<String, String> env, String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).setDefaultValueProvider(new EnvironmentDefaults(env)).parseArgs(args);
        return cmd;
    }
}
