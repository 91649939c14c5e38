package io.github.whisperjava.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.whisperjava.Whisper;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.audio.transcription.TranscriptionModel;
import org.springframework.ai.model.openai.autoconfigure.OpenAiAudioTranscriptionAutoConfiguration;
import org.springframework.ai.retry.autoconfigure.SpringAiRetryAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.function.client.WebClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The auto-configuration in real contexts: the model loaded once, closed with the context, refused clearly. */
@ExtendWith(OutputCaptureExtension.class)
class WhisperAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WhisperAutoConfiguration.class))
            .withPropertyValues("spring.ai.whisper.model-path=" + TestData.TINY, "spring.ai.whisper.offline=true");

    @Test
    void oneModelLoadedAndClosedWithTheContext(CapturedOutput output) {
        AtomicReference<Whisper> loaded = new AtomicReference<>();
        runner.withPropertyValues("spring.ai.whisper.concurrency=2", "spring.ai.whisper.threads=2").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Whisper.class).hasSingleBean(TranscriptionModel.class);
            Whisper whisper = context.getBean(Whisper.class);
            loaded.set(whisper);
            assertThat(whisper.modelPath()).isEqualTo(TestData.TINY);
            assertThat(context.getBean(WhisperTranscriptionModel.class).getWhisper()).isSameAs(whisper);
            assertThat(context.getBean(WhisperTranscriptionModel.class).getDefaultOptions().getThreads()).isEqualTo(2);
            assertThat(whisper.isClosed()).isFalse();
        });
        assertThat(loaded.get().isClosed()).as("closed with the context").isTrue();
        assertThat(output).contains("whisper model " + TestData.TINY + " loaded (WHISPER_MODEL_PATH=" + TestData.TINY
                + "), 2 transcriptions at once");
        assertThat(output).contains("whisper model " + TestData.TINY + " closed with the application context");
    }

    @Test
    void anInvalidPropertyFailsTheContextSayingWhich() {
        runner.withPropertyValues("spring.ai.whisper.concurrency=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("spring.ai.whisper.concurrency must be 1..1024, got 0");
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("spring.ai.whisper.concurrency must be 1..1024, got 0");
        });
    }

    @Test
    void aMissingModelFileFailsTheContextNamingIt() {
        runner.withPropertyValues("spring.ai.whisper.model-path=/nonexistent/ggml-tiny.bin").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining(
                    "spring.ai.whisper.model-path=/nonexistent/ggml-tiny.bin: cannot load model /nonexistent/ggml-tiny.bin");
        });
    }

    @Test
    void anUnknownSizeFailsTheContextNamingIt() {
        runner.withPropertyValues("spring.ai.whisper.model-path=", "spring.ai.whisper.model-size=enormous",
                "spring.ai.whisper.models-dir=target/no-models").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining(
                    "spring.ai.whisper.model-size=enormous: unknown model size \"enormous\"");
        });
    }

    @Test
    void anotherTranscriptionProviderTurnsItOff() {
        runner.withPropertyValues("spring.ai.model.audio.transcription=openai").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(Whisper.class).doesNotHaveBean(TranscriptionModel.class);
        });
    }

    /** The switch from OpenAI's cloud: OpenAI's starter stays for chat, one property moves transcription here. */
    @Test
    void oneProviderPropertyMovesTranscriptionFromOpenAiToWhisper() {
        runner.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                        SpringAiRetryAutoConfiguration.class, OpenAiAudioTranscriptionAutoConfiguration.class))
                .withPropertyValues("spring.ai.openai.api-key=unused", "spring.ai.model.audio.transcription=whisper")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(TranscriptionModel.class);
                    assertThat(context.getBean(TranscriptionModel.class)).isInstanceOf(WhisperTranscriptionModel.class);
                });
    }

    @Test
    void aWhisperOfTheApplicationsOwnIsUsedAndLeftToItsOwner() {
        Whisper own = Whisper.load(TestData.TINY);
        try {
            // no destroy method: the context would otherwise infer close() on it as on any AutoCloseable bean
            runner.withBean(Whisper.class, () -> own, bd -> bd.setDestroyMethodName("")).run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(Whisper.class);
                assertThat(context.getBean(WhisperTranscriptionModel.class).getWhisper()).isSameAs(own);
            });
            assertThat(own.isClosed()).as("the application closes what it made").isFalse();
        } finally {
            own.close();
        }
    }
}
