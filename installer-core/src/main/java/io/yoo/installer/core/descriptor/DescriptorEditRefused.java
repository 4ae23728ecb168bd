package io.yoo.installer.core.descriptor;

import java.util.List;

/**
 * Why an edit of the live descriptor (an enrollment, an address change) was refused; {@link #kind}
 * says how the API answers. One type for every such edit, so the API maps them one way.
 */
public final class DescriptorEditRefused extends Exception {
    private static final long serialVersionUID = 1L;

    /** NOT_FOUND: no such record or machine; CONFLICT: its state, role or the address forbids it; INVALID: the file cannot be edited or would not load. */
    public enum Kind { NOT_FOUND, CONFLICT, INVALID }

    private final Kind kind;
    private final List<String> errors;

    public DescriptorEditRefused(Kind kind, String message, List<String> errors) {
        super(message);
        this.kind = kind;
        this.errors = List.copyOf(errors);
    }

    public Kind kind() {
        return kind;
    }

    public List<String> errors() {
        return errors;
    }
}
