package dev.lsr.eval.cli;

import dev.lsr.encoder.model.ImportProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows an encoder import's progress on stderr, one bar per step. */
final class ImportProgressBar implements ImportProgress, AutoCloseable {

    private ProgressBar bar;
    private String step;

    @Override
    public void update(String newStep, long done, long total) {
        if (!newStep.equals(step)) {
            close();
            step = newStep;
            boolean bytes = total > 1_000_000;
            bar = new ProgressBarBuilder().setTaskName(newStep).setInitialMax(bytes ? total >> 20 : total)
                    .setUnit(bytes ? " MiB" : "", 1).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .continuousUpdate().build();
        }
        bar.stepTo(total > 1_000_000 ? done >> 20 : done);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
