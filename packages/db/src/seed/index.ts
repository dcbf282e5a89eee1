export { demoSeedOptions, plannedRows, seedDatabase, type SeedOptions, type SeedSummary } from './generate';
export { createProgressBar, type ProgressReporter } from './progress';
