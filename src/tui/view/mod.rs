//! Pure drawing: (snapshot, UI state, clock) → frame. No I/O, no locks.
