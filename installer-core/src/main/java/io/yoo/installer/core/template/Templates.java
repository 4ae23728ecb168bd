package io.yoo.installer.core.template;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Mustache templates shipped as resources under {@code /io/yoo/installer/templates/}, each
 * overridable by a file of the same name in a user directory ({@code --templates DIR}).
 *
 * <p>Output is not HTML-escaped: these are iPXE scripts, shell, YAML and JSON. Values that come
 * from the descriptor are validated before they reach a template; templates that emit JSON or
 * shell use pre-quoted values from the model, never raw user text.
 */
public final class Templates {
    public static final String RESOURCE_ROOT = "io/yoo/installer/templates/";
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*");

    private final Optional<Path> overrideDir;
    private final MustacheFactory factory;
    private final ConcurrentHashMap<String, Mustache> compiled = new ConcurrentHashMap<>();

    public Templates(Optional<Path> overrideDir) {
        this.overrideDir = overrideDir;
        this.factory = new DefaultMustacheFactory() {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Reader getReader(String resourceName) {
                return open(resourceName.endsWith(".mustache") ? resourceName.substring(0, resourceName.length() - 9) : resourceName);
            }
        };
    }

    public static Templates builtIn() {
        return new Templates(Optional.empty());
    }

    /** Renders template {@code name} (e.g. {@code ipxe/machine.ipxe}) with {@code model}. */
    public String render(String name, Object model) {
        Mustache m = compiled.computeIfAbsent(name, n -> factory.compile(open(n), n));
        StringWriter out = new StringWriter();
        m.execute(out, model);
        return out.toString();
    }

    /** True when the user directory overrides this template. */
    public boolean isOverridden(String name) {
        return overrideDir.map(d -> Files.isRegularFile(d.resolve(name + ".mustache"))).orElse(false);
    }

    private Reader open(String name) {
        if (!SAFE_NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("bad template name '" + name + "'");
        }
        if (overrideDir.isPresent()) {
            Path file = overrideDir.get().resolve(name + ".mustache");
            if (Files.isRegularFile(file)) {
                try {
                    return new StringReader(Files.readString(file));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read template override " + file, e);
                }
            }
        }
        InputStream in = Templates.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + name + ".mustache");
        if (in == null) {
            throw new IllegalArgumentException("no template '" + name + "' (looked for " + RESOURCE_ROOT + name + ".mustache)");
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
