"""Background tasks: run each once across replicas, record it, pause it, report on it.

The scheduler (`app/tasks/scheduler.py`) only decides *when*; everything about a run —
taking the lease, keeping it, timing it, stopping it, recording activity and storing the
outcome — happens in this package, so a run started by the scheduler, by "run now" or by
another task goes through the same path. `app/wiring.py` builds and connects the parts:

- `definition.py`: what a task is (`TaskDefinition`) and the tasks by name (`TaskCatalog`);
- `engine.py` (`TaskEngine`): claims a run, executes it, concludes it, starts its
  follow-ups, and stops the runs under way when the service stops;
- `leases.py` (`LeaseKeeper`): the heartbeat that keeps the leases of the runs under way;
- `outcomes.py` (`OutcomeStore`): stores each outcome, keeping those the database refuses;
- `reporting.py`: how runs read in the activity log and in `last_error`;
- `events.py` (`TaskEvents`): tells subscribers of each finished run and handled slot;
- `reads.py` (`TaskReads`): snapshots with their derived health, recent runs, next runs;
- `control.py` (`TaskControl`): pause and resume, with their audit rows.

A run holds its task's lease for LEASE and renews it every HEARTBEAT_SECONDS while it goes
on, so a replica that dies frees its tasks within about a minute, however long the interval.
Stopping the service interrupts its runs through their CancelToken, stores them as
`interrupted` and releases their leases within STOP_TIMEOUT_SECONDS. An outcome the database
refuses (locked, unreachable) is kept in memory, a bounded number of them, and stored again
at the next heartbeat or claim.
"""
