// Scratch folders must not outlive an interrupted command (Ctrl-C, a CI timeout): clean up, then die of the signal.

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Runs `cleanup` (synchronous) if the process is interrupted before the returned function is called. */
export function cleanUpOnInterrupt(cleanup: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    for (const other of SIGNALS) process.off(other, onSignal);
    try {
      cleanup();
    } finally {
      process.kill(process.pid, signal);
    }
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}
