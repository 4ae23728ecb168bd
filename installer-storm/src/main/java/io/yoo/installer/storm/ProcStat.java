package io.yoo.installer.storm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time and memory from /proc (Linux), for the benchmark tables. */
final class ProcStat {
    /** USER_HZ: /proc reports CPU time in these (100 on every Linux this runs on). */
    static final int TICKS = 100;

    private ProcStat() {}

    /** utime + stime in ticks. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15, counted after "(comm) "
    }

    /** A {@code /proc/PID/status} line in KiB (VmHWM: peak RSS, VmRSS: now). */
    static long kib(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
            }
        }
        throw new IOException(field + " not in /proc/" + pid + "/status");
    }
}
