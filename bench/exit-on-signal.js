// Bench only (`--profile`): Nest re-raises the shutdown signal once its hooks ran, which ends the
// process without Node's exit handlers, so --cpu-prof would write nothing. Exit normally instead.
const kill = process.kill.bind(process);
process.kill = (pid, signal) => (pid === process.pid ? process.exit(0) : kill(pid, signal));
