package dev.lsr.eval.bench;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr for the long phases of a benchmark (silent when disabled). */
public record Bars(boolean enabled) {

    public ProgressBar open(String task, long total) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .continuousUpdate();
        b.setConsumer(enabled ? new ConsoleProgressBarConsumer(System.err) : new DelegatingProgressBarConsumer(x -> {}));
        return b.build();
    }
}
