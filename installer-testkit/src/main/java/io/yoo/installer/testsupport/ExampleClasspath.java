package io.yoo.installer.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The runtime classpath of an example module (examples/embed-*): its own classes plus what
 * maven-dependency-plugin's {@code build-classpath} (scope runtime) wrote, passed to the tests as
 * {@code yoo.example.classes} and {@code yoo.example.runtimeClasspath}. The tests run the
 * example's main with exactly this classpath and check what it does not contain: not the test
 * classpath, which carries JUnit and friends.
 */
public record ExampleClasspath(List<Path> entries) {

    public static ExampleClasspath ofThisModule() throws IOException {
        String classes = System.getProperty("yoo.example.classes");
        String file = System.getProperty("yoo.example.runtimeClasspath");
        if (classes == null || file == null) {
            throw new IllegalStateException("yoo.example.classes / yoo.example.runtimeClasspath not set: run through Maven (see the example's pom)");
        }
        List<Path> entries = new ArrayList<>();
        entries.add(Path.of(classes));
        String listed = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        if (!listed.isEmpty()) {
            Arrays.stream(listed.split(File.pathSeparator)).map(Path::of).forEach(entries::add);
        }
        return new ExampleClasspath(List.copyOf(entries));
    }

    /** For {@code java -cp}. */
    public String asArgument() {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    /** Entries whose path contains one of {@code fragments} (e.g. "snakeyaml", "installer-core"). */
    public List<Path> entriesMatching(String... fragments) {
        return entries.stream().filter(p -> Arrays.stream(fragments).anyMatch(f -> p.toString().contains(f))).toList();
    }

    /** Which of {@code classNames} load from exactly these entries (over the JDK's platform classes only). */
    public List<String> loadable(String... classNames) throws IOException {
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = entries.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IOException(e);
            }
        }
        List<String> found = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            for (String name : classNames) {
                try {
                    Class.forName(name, false, loader);
                    found.add(name);
                } catch (ClassNotFoundException | LinkageError e) {
                    // absent: what the caller wants to know
                }
            }
        }
        return found;
    }
}
