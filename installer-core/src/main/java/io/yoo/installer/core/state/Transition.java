package io.yoo.installer.core.state;

/** The result of feeding one event to the state machine: the machine afterwards and what happened. */
public record Transition(MachineRecord before, MachineRecord after, ProgressEvent event, Outcome outcome) {

    public boolean stateChanged() {
        return before.state() != after.state();
    }
}
