package io.yoo.installer.core.descriptor;

import java.util.List;
import java.util.stream.Collectors;

/** A descriptor had mistakes; {@link #errors()} lists all of them, in file order. */
public final class DescriptorException extends Exception {
    private final List<DescriptorError> errors;

    public DescriptorException(List<DescriptorError> errors) {
        super(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in cluster descriptor:\n"
                + errors.stream().map(DescriptorError::format).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a DescriptorException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<DescriptorError> errors() {
        return errors;
    }
}
