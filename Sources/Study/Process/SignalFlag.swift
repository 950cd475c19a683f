#if canImport(Glibc)
import Glibc
#endif

/// SIGINT/SIGTERM/SIGUSR1 → a flag the run polls after each step (a second signal exits at once).
/// SIGUSR1 is what a Slurm job's script passes on shortly before the job's time limit
/// (`SlurmPlan`): the run stops as on SIGTERM, with its checkpoints written, and exits 128 + 10.
package enum SignalFlag {
    nonisolated(unsafe) package static var received: Int32 = 0

    package static func install() {
        let handler: @convention(c) (Int32) -> Void = { sig in
            if SignalFlag.received != 0 { _exit(128 + sig) }
            SignalFlag.received = sig
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        signal(SIGUSR1, handler)
        // A parent may have started us with these signals blocked (the mask is inherited): unblock.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
