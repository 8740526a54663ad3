"""Pure rules of the domain: a task's health as a function of its state and the time, how a
run over several sources ends when some fail. No I/O; imports models and utils only."""
