package dev.lsr.api.models;

import dev.lsr.encoder.model.ImportProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on the console for a model import (the default model's first start downloads and
 * converts ~400 MB), one bar per step. Called only from the importing thread.
 */
public final class ConsoleImportProgress implements ImportProgress {

    private String step;
    private ProgressBar bar;

    @Override
    public void update(String step, long done, long total) {
        if (!step.equals(this.step)) {
            finish();
            this.step = step;
            bar = new ProgressBarBuilder().setTaskName(step).setInitialMax(Math.max(total, 1)).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).continuousUpdate().build();
        }
        if (total > 0) {
            bar.maxHint(total);
        }
        bar.stepTo(done);
        if (total > 0 && done >= total) {
            finish();
        }
    }

    private void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
            step = null;
        }
    }
}
