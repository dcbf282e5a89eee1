export * from './common';
export * from './courses';
export * from './errors';
export * from './mentors';
export * from './users';
