// Yielding to the event loop between pieces of long synchronous work, so child processes that end meanwhile are
// followed at once (render prepares batches while helm renders others; validate checks while helm lints).
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
