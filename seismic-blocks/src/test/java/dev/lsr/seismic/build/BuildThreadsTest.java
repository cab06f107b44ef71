package dev.lsr.seismic.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.seismic.TestData;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.RealisticCollection;
import dev.lsr.seismic.io.SyntheticCollection;
import dev.lsr.seismic.store.SeismicFormat;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The structure does not depend on how many threads built it (a collection's `seismic.threads`
 * and the machine's core count change only the build time), so a segment comes out the same
 * whichever machine or setting built it.
 */
class BuildThreadsTest {

    @Test
    void oneTwoAndFiveThreadsWriteTheSameBytes() throws Exception {
        ForwardIndex synthetic = TestData.forward(new SyntheticCollection(4_000, 7), 4_000, WeightEncoding.F16);
        check(synthetic);
        if (!Files.isRegularFile(RealisticCollection.sharedFile())) {
            System.out.println("BuildThreadsTest: realistic part skipped, shared SPLADE++ vectors absent: "
                    + RealisticCollection.sharedFile());
            return;
        }
        RealisticCollection realistic = TestData.realistic(3_000, 5);
        ForwardIndex.Builder b = ForwardIndex.builder(realistic.dim(), WeightEncoding.F16);
        for (int i = 0; i < realistic.size(); i++) {
            b.add(realistic.document(i));
        }
        check(b.build());
    }

    private static void check(ForwardIndex forward) throws Exception {
        BuildParams params = BuildParams.defaults().withNPostings(120).withPruning(BuildParams.Pruning.GLOBAL_REFILLED);
        byte[] one = bytes(forward, params.withThreads(1));
        assertThat(bytes(forward, params.withThreads(2))).isEqualTo(one);
        assertThat(bytes(forward, params.withThreads(5))).isEqualTo(one);
    }

    private static byte[] bytes(ForwardIndex forward, BuildParams params) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SeismicFormat.write(SeismicBuilder.build(forward, params), out);
        return out.toByteArray();
    }
}
