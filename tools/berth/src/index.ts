// Entry point Nx loads for the berth plugin (nx.json "plugins": ["berth"]).
export { createNodesV2 } from './nx/plugin';
