package io.yoo.installer.core.state;

/**
 * Told about every stored event after its transaction committed (so a listener never shows
 * something a crash could take back). Called on the store's writer thread: be quick, hand off.
 */
@FunctionalInterface
public interface StateListener {
    void changed(Transition transition);
}
