package io.yoo.installer.core.assets;

import java.util.List;

/** The outcome of a sync or import, file by file. */
public record SyncReport(List<Outcome> outcomes) {

    public enum Result {
        /** already verified and unchanged: nothing fetched */
        PRESENT,
        /** fetched (or imported) and verified now */
        FETCHED,
        /** failed: download error or verification failure; nothing was installed */
        FAILED
    }

    public record Outcome(String path, Result result, String message) {}

    public SyncReport {
        outcomes = List.copyOf(outcomes);
    }

    public long count(Result r) {
        return outcomes.stream().filter(o -> o.result() == r).count();
    }

    public boolean ok() {
        return count(Result.FAILED) == 0;
    }

    public List<Outcome> failures() {
        return outcomes.stream().filter(o -> o.result() == Result.FAILED).toList();
    }

    public String summary() {
        return count(Result.PRESENT) + " already present, " + count(Result.FETCHED) + " fetched and verified, " + count(Result.FAILED) + " failed";
    }
}
