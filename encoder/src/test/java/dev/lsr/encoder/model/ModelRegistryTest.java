package dev.lsr.encoder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.encoder.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

    @TempDir
    Path tmp;

    @Test
    void importsAnOnnxExportOnceAndFindsItByName() throws Exception {
        Path export = tmp.resolve("export/my-mlm");
        Files.createDirectories(export);
        Files.copy(TinyModel.onnx(), export.resolve("model.onnx"));
        Files.copy(TinyModel.tokenizer(), export.resolve("tokenizer.json"));
        List<String> steps = new ArrayList<>();
        ModelRegistry reg = new ModelRegistry(tmp.resolve("data"), (s, d, t) -> steps.add(s));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Path> a = pool.submit(() -> reg.resolve(export.toString()));
            Future<Path> b = pool.submit(() -> reg.resolve(export.resolve("model.onnx").toString()));
            assertThat(a.get()).isEqualTo(b.get()).isEqualTo(tmp.resolve("data/models/my-mlm"));
        } finally {
            pool.shutdown();
        }
        Path dir = tmp.resolve("data/models/my-mlm");
        long modified = Files.getLastModifiedTime(dir.resolve("model.json")).toMillis();
        assertThat(reg.resolve("my-mlm")).isEqualTo(dir);
        assertThat(reg.resolve(dir.toString())).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(dir.resolve("model.json")).toMillis()).isEqualTo(modified);
        assertThat(ModelDirectory.open(dir).name()).isEqualTo("my-mlm");
        try (var s = Files.list(tmp.resolve("data/models"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.contains("importing"))).isEmpty();
        }
    }

    @Test
    void unknownNamesAreRefusedWithWhereItLooked() {
        ModelRegistry reg = new ModelRegistry(tmp.resolve("data"), ImportProgress.NONE);
        assertThatThrownBy(() -> reg.resolve("no-such-model")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("no-such-model").hasMessageContaining(tmp.resolve("data/models").toString());
        assertThatThrownBy(() -> reg.resolve(tmp.resolve("missing/dir").toString())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a model directory");
    }
}
