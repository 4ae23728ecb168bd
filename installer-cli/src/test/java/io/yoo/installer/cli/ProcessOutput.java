package io.yoo.installer.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The lines a started process prints, collected as they come by a virtual thread (tests poll them). */
final class ProcessOutput {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Thread reader;

    private ProcessOutput(Process p) {
        reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // process ended
            }
        });
    }

    static ProcessOutput follow(Process p) {
        return new ProcessOutput(p);
    }
}
