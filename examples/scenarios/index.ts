export { accessReviews } from './access-reviews.js';
export { cast, evidence } from './cast.js';
export { leavers } from './leavers.js';
export type { Scenario, ScenarioStep } from './step.js';
export { suppliers } from './suppliers.js';
export { walk, type WalkedStep } from './walk.js';
export { sendToRegister, DEMO_CREDENTIAL } from './commands.js';
export { runThroughRegister, type RegisterStep } from './run.js';
